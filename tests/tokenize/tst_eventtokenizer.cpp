#include "testsupport.h"

#include "midi/smfreader.h"
#include "midi/tempomap.h"
#include "tokenize/eventtokenizer.h"

#include <QtTest>

#include <cmath>
#include <map>
#include <random>

using namespace lyrebird;
using namespace lyrebird::tokenize;

class TestEventTokenizer : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void vocabularyLayout();
  void encodesAHandMadePiece();
  void roundTripKeepsTimingAndVelocity_data();
  void roundTripKeepsTimingAndVelocity();
  void longPausesUseSeveralShifts();
  void transposition();
  void decodeIsWellFormedForAnyIds();
};

namespace {

struct Timed {
  double start;
  double end;
  int pitch;
  int velocity;
  bool operator<(const Timed& o) const {
    return start != o.start ? start < o.start : pitch != o.pitch ? pitch < o.pitch : end < o.end;
  }
};

std::vector<Timed> timedNotes(const midi::Score& score) {
  const midi::TempoMap map(score);
  std::vector<Timed> out;
  for (const midi::Track& t : score.tracks) {
    if (t.isDrum) continue;
    for (const midi::Note& n : t.notes) {
      out.push_back({map.seconds(n.startTicks), map.seconds(n.endTicks()), n.pitch, n.velocity});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

EventTokenizer tokenizer() {
  return EventTokenizer(TokenizerConfig{});
}

} // namespace

void TestEventTokenizer::vocabularyLayout() {
  const EventTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  QCOMPARE(v.size(), std::size_t{389}); // <unk> + 128 + 128 + 100 + 32
  QCOMPARE(t.vocabularySize(), v.size());
  QCOMPARE(v.token(t.noteOn(60)), std::string("on60"));
  QCOMPARE(v.token(t.noteOff(127)), std::string("off127"));
  QCOMPARE(v.token(t.timeShift(1)), std::string("wait1"));
  QCOMPARE(v.token(t.timeShift(100)), std::string("wait100"));
  QCOMPARE(v.token(t.velocity(31)), std::string("vel31"));
}

void TestEventTokenizer::encodesAHandMadePiece() {
  midi::Score s; // 480 ticks per quarter at 120 BPM: 960 ticks a second
  midi::Track track;
  track.notes = {{0, 480, 60, 100}, {0, 480, 64, 100}, {480, 240, 67, 20}};
  s.tracks = {track};
  const EventTokenizer t = tokenizer();
  const std::vector<TokenId> ids = t.encode(s, t.fixedVocabulary());
  const std::vector<TokenId> expected = {t.velocity(25),  t.noteOn(60),  t.noteOn(64),  // 100 * 32 / 128 = bin 25
                                         t.timeShift(50), t.noteOff(60), t.noteOff(64), // 0.5 s later
                                         t.velocity(5),   t.noteOn(67),  t.timeShift(25),
                                         t.noteOff(67)}; // 20 -> bin 5; 0.25 s
  QCOMPARE(ids, expected);
}

void TestEventTokenizer::roundTripKeepsTimingAndVelocity_data() {
  QTest::addColumn<QString>("file");
  LYREBIRD_REQUIRE_SHARED();
  for (const char* f :
       {"data/piano-midi-de/midis/Chopin/chpn-p1.mid", "data/nottingham/MIDI/ashover1.mid",
        "data/jsb-chorales/valid/jsb_valid_000.mid", "midi-tests/tonejs-midi/test/midi/debussy/claire_de_lune.mid",
        "midi-tests/tonejs-midi/test/midi/230_bpm_multitrack.mid"}) {
    QTest::newRow(f) << QString::fromLatin1(f);
  }
}

void TestEventTokenizer::roundTripKeepsTimingAndVelocity() {
  QFETCH(QString, file);
  const auto read = midi::readSmfFile(test::sharedDir() / file.toStdString());
  if (!read.ok()) QSKIP(read.error().describe().c_str());
  const EventTokenizer t = tokenizer();
  const midi::Score back = t.decode(t.encode(read->score, t.fixedVocabulary()), t.fixedVocabulary());
  const std::vector<Timed> before = timedNotes(read->score);
  const std::vector<Timed> after = timedNotes(back);
  QCOMPARE(after.size(), before.size());
  // Onsets within half a step (5 ms) plus a decoded tick (~1 ms); pitches exact; velocity in its bin.
  std::vector<Timed> remaining = after;
  for (const Timed& n : before) {
    auto it = std::find_if(remaining.begin(), remaining.end(), [&](const Timed& m) {
      return m.pitch == n.pitch && std::abs(m.start - n.start) <= 0.005 + 1.0 / 960 && m.velocity / 4 == n.velocity / 4;
    });
    QVERIFY2(it != remaining.end(), qPrintable(QStringLiteral("pitch %1 at %2 s").arg(n.pitch).arg(n.start)));
    remaining.erase(it);
  }
  // Releases: per pitch, the same times on the 10 ms grid (a note keeps at least one step).
  // Overlapping notes of one pitch may swap releases, so compare the sorted lists.
  std::map<int, std::vector<double>> expectedEnds;
  std::map<int, std::vector<double>> decodedEnds;
  for (const Timed& n : before) {
    const double step = std::max(std::round(n.end / 0.01), std::round(n.start / 0.01) + 1);
    expectedEnds[n.pitch].push_back(step * 0.01);
  }
  for (const Timed& n : after)
    decodedEnds[n.pitch].push_back(n.end);
  for (auto& [pitch, ends] : expectedEnds) {
    std::vector<double>& got = decodedEnds[pitch];
    std::sort(ends.begin(), ends.end());
    std::sort(got.begin(), got.end());
    QCOMPARE(got.size(), ends.size());
    for (std::size_t i = 0; i < ends.size(); ++i) {
      QVERIFY2(std::abs(got[i] - ends[i]) <= 1.0 / 960 + 1e-9, qPrintable(QStringLiteral("pitch %1").arg(pitch)));
    }
  }
}

void TestEventTokenizer::longPausesUseSeveralShifts() {
  midi::Score s;
  midi::Track track;
  track.notes = {{0, 96, 60, 64}, {960 * 3 + 96, 96, 62, 64}}; // the second note 3.1 s after the first
  s.tracks = {track};
  const EventTokenizer t = tokenizer();
  const std::vector<TokenId> ids = t.encode(s, t.fixedVocabulary());
  const long shifts100 = std::count(ids.begin(), ids.end(), t.timeShift(100));
  QCOMPARE(shifts100, 3L);
  const midi::Score back = t.decode(ids, t.fixedVocabulary());
  QCOMPARE(back.tracks.at(0).notes.at(1).startTicks, std::int64_t{960 * 3 + 96});
}

void TestEventTokenizer::transposition() {
  const EventTokenizer t = tokenizer();
  std::vector<TokenId> ids = {t.velocity(10), t.noteOn(60), t.timeShift(5), t.noteOff(60)};
  QVERIFY(t.transpose(ids, 5, t.fixedVocabulary()));
  QCOMPARE(ids, (std::vector<TokenId>{t.velocity(10), t.noteOn(65), t.timeShift(5), t.noteOff(65)}));
  std::vector<TokenId> high = {t.noteOn(125), t.noteOff(125)};
  QVERIFY(!t.transpose(high, 3, t.fixedVocabulary()));
  QCOMPARE(high, (std::vector<TokenId>{t.noteOn(125), t.noteOff(125)}));
}

void TestEventTokenizer::decodeIsWellFormedForAnyIds() {
  const EventTokenizer t = tokenizer();
  std::mt19937 random(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<TokenId> ids(500);
    for (TokenId& id : ids)
      id = static_cast<TokenId>(random() % 400); // some beyond the vocabulary
    const midi::Score s = t.decode(ids, t.fixedVocabulary());
    for (const midi::Track& track : s.tracks) {
      QVERIFY(std::is_sorted(track.notes.begin(), track.notes.end(),
                             [](const midi::Note& a, const midi::Note& b) { return a.startTicks < b.startTicks; }));
      for (const midi::Note& n : track.notes) {
        QVERIFY(n.durationTicks > 0);
        QVERIFY(n.velocity >= 1 && n.velocity <= 127);
      }
    }
  }
}

QTEST_GUILESS_MAIN(TestEventTokenizer)
#include "tst_eventtokenizer.moc"
