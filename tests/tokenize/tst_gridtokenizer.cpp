#include "testsupport.h"

#include "corpus/corpus.h"
#include "tokenize/gridtokenizer.h"

#include <QtTest>

#include <algorithm>
#include <random>
#include <tuple>

using namespace lyrebird;
using namespace lyrebird::tokenize;

class TestGridTokenizer : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void vocabularyLayout();
  void durationBins();
  void encodesAHandMadePiece();
  void roundTripIsExactOnTheGrid_data();
  void roundTripIsExactOnTheGrid();
  void roundTripOverRealCorpora_data();
  void roundTripOverRealCorpora();
  void streamingDecoderAfterAPrime();
  void lookbackSaysWhatFollowedABarBefore();
  void barClockSaysWhereInItsBarTheMusicIs();
  void grammarAllowsOnlyWellFormedStreams();
  void transposition();
  void decodeIsWellFormedForAnyIds();
  void gridFitTellsEngravedFromPlayed();
};

namespace {

GridTokenizer tokenizer() {
  TokenizerConfig c;
  c.kind = TokenizerConfig::Kind::Grid;
  return GridTokenizer(c);
}

using NoteKey = std::tuple<std::int64_t, int, std::int64_t, int>; // start, pitch, duration, velocity

std::vector<NoteKey> notesOf(const midi::Score& score) {
  std::vector<NoteKey> out;
  for (const midi::Track& t : score.tracks) {
    if (t.isDrum) continue;
    for (const midi::Note& n : t.notes)
      out.emplace_back(n.startTicks, n.pitch, n.durationTicks, n.velocity);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The notes a grid round trip must give back: onsets and ends on the grid (decoded ticks),
// lengths at their duration bin, velocities at their bin's centre.
std::vector<NoteKey> expectedNotes(const GridTokenizer& t, const midi::Score& score) {
  const std::int64_t res = t.config().gridResolution;
  const std::int64_t tpq = score.ticksPerQuarter;
  const int bins = t.config().velocityBins;
  std::vector<NoteKey> out;
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& n : track.notes) {
      const std::int64_t onset = (2 * n.startTicks * res + tpq) / (2 * tpq);
      const std::int64_t end = (2 * n.endTicks() * res + tpq) / (2 * tpq);
      const int steps = t.durationSteps()[t.durationBin(static_cast<int>(std::max<std::int64_t>(1, end - onset)))];
      const int bin = std::clamp(n.velocity * bins / 128, 0, bins - 1);
      const int velocity = std::clamp((bin * 128 + 64) / bins, 1, 127);
      out.emplace_back(onset * kDecodedTicksPerQuarter / res, n.pitch, steps * kDecodedTicksPerQuarter / res, velocity);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

midi::Score piece(std::vector<midi::Note> notes, std::vector<midi::TimeSignature> meters = {}, int tpq = 480) {
  midi::Score s;
  s.ticksPerQuarter = tpq;
  midi::Track track;
  std::sort(notes.begin(), notes.end(), [](const midi::Note& a, const midi::Note& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  track.notes = std::move(notes);
  s.tracks = {track};
  s.timeSignatures = std::move(meters);
  return s;
}

} // namespace

void TestGridTokenizer::vocabularyLayout() {
  const GridTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  QCOMPARE(
      v.size(),
      std::size_t{349}); // <unk> + 28 bars (one per meter) + 96 positions + 128 pitches + 64 lengths + 32 velocities
  QCOMPARE(t.vocabularySize(), v.size());
  QCOMPARE(v.token(t.barToken(0)), std::string("bar1/2"));
  QCOMPARE(v.token(t.barToken(GridTokenizer::meterIndex(4, 4))), std::string("bar4/4"));
  QCOMPARE(GridTokenizer::meterIndex(6, 8), std::size_t{17});
  QCOMPARE(GridTokenizer::meterIndex(12, 16), std::size_t{17}); // unnamed: the same length in eighths, 6/8
  QCOMPARE(GridTokenizer::meterIndex(7, 2), GridTokenizer::meterIndex(4, 4)); // too long: 4/4
  QCOMPARE(v.token(t.positionToken(95)), std::string("pos95"));
  QCOMPARE(v.token(t.pitchToken(60)), std::string("p60"));
  QCOMPARE(v.token(t.durationToken(0)), std::string("d1"));
  QCOMPARE(v.token(t.durationToken(63)), std::string("d192"));
  QCOMPARE(v.token(t.velocityToken(31)), std::string("vel31"));
  // Without counts, a generation starts in 4/4; with them, in the corpus's meters, as often as its bars are.
  QCOMPARE(t.startToken(v, 1), t.barToken(GridTokenizer::meterIndex(4, 4)));
  Vocabulary counted = v;
  counted.add("bar3/4", 300);
  counted.add("bar6/8", 100);
  int threeFour = 0, sixEight = 0;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    const TokenId start = t.startToken(counted, seed);
    threeFour += start == t.barToken(GridTokenizer::meterIndex(3, 4));
    sixEight += start == t.barToken(GridTokenizer::meterIndex(6, 8));
  }
  QCOMPARE(threeFour + sixEight, 400);
  QVERIFY(threeFour > 250 && threeFour < 350);
}

void TestGridTokenizer::durationBins() {
  const GridTokenizer t = tokenizer();
  const std::vector<int>& d = t.durationSteps();
  QCOMPARE(d.size(), std::size_t{64});
  for (int steps = 1; steps <= 48; ++steps)
    QCOMPARE(d[t.durationBin(steps)], steps); // every length up to a 4/4 bar
  QCOMPARE(d[t.durationBin(54)], 54);         // then by eighths
  QCOMPARE(d[t.durationBin(56)], 54);         // nearest
  QCOMPARE(d[t.durationBin(57)], 54);         // a tie goes to the shorter
  QCOMPARE(d[t.durationBin(100)], 96);        // by quarters above two bars: 96 or 108, 96 is nearer
  QCOMPARE(d[t.durationBin(5000)], 192);      // longer notes end after four bars
}

void TestGridTokenizer::encodesAHandMadePiece() {
  const GridTokenizer t = tokenizer();
  // 4/4 at 480 ticks a quarter: a C-E dyad for a quarter, G an eighth later in the bar, a C in the
  // next bar held a whole bar.
  const midi::Score s = piece({{0, 480, 60, 100}, {0, 480, 64, 100}, {480, 240, 67, 20}, {1920, 1920, 72, 20}});
  const std::vector<TokenId> ids = t.encode(s, t.fixedVocabulary());
  const std::vector<TokenId> expected = {
      t.barToken(7),       t.positionToken(0),  t.velocityToken(25), // 4/4 is meter 7; 100*32/128 = 25
      t.pitchToken(60),    t.durationToken(11), t.pitchToken(64),    t.durationToken(11),  // 12 steps = d12
      t.positionToken(12), t.velocityToken(5),  t.pitchToken(67),    t.durationToken(5),   // 6 steps
      t.barToken(7),       t.positionToken(0),  t.pitchToken(72),    t.durationToken(47)}; // 48 steps
  QCOMPARE(ids, expected);
  QCOMPARE(t.fixedVocabulary().token(t.barToken(7)), std::string("bar4/4"));
  QCOMPARE(t.fixedVocabulary().token(t.barToken(6)), std::string("bar3/4"));
}

void TestGridTokenizer::roundTripIsExactOnTheGrid_data() {
  QTest::addColumn<midi::Score>("score");
  // Sixteenths, eighth-note triplets and a dotted half in 4/4.
  QTest::newRow("sixteenths and triplets") << piece({{0, 120, 60, 80},
                                                     {120, 120, 62, 80},
                                                     {240, 160, 64, 90},
                                                     {400, 160, 65, 90},
                                                     {560, 160, 67, 90},
                                                     {960, 1440, 48, 60},
                                                     {960, 1440, 55, 60}});
  // A pickup (1/4), then 3/4, then 6/8 from bar 4; empty bars between.
  QTest::newRow("pickup, meter changes, empty bars")
      << piece({{0, 480, 67, 100}, {480, 960, 60, 100}, {1920, 480, 64, 100}, {6240, 720, 62, 64}, {8400, 240, 60, 64}},
               {{0, 1, 4}, {480, 3, 4}, {3360, 6, 8}});
  // Another resolution of the file: 96 ticks a quarter.
  QTest::newRow("96 ticks a quarter") << piece({{0, 24, 60, 100}, {24, 72, 61, 100}, {96, 384, 62, 100}}, {}, 96);
  // Long notes: two bars exactly, and one past four bars (ends after four).
  QTest::newRow("long notes") << piece({{0, 3840, 40, 50}, {3840, 10000, 41, 50}});
}

void TestGridTokenizer::roundTripIsExactOnTheGrid() {
  QFETCH(midi::Score, score);
  const GridTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  const std::vector<TokenId> ids = t.encode(score, v);
  const midi::Score decoded = t.decode(ids, v);
  QCOMPARE(notesOf(decoded), expectedNotes(t, score));
  // Decoding then encoding again gives the same tokens.
  QCOMPARE(t.encode(decoded, v), ids);
}

void TestGridTokenizer::roundTripOverRealCorpora_data() {
  QTest::addColumn<QString>("folder");
  QTest::addColumn<bool>("shared");
  QTest::newRow("demo corpus (engraved)") << QStringLiteral("resources/demo/corpus") << false;
  QTest::newRow("jsb-chorales (quantized)") << QStringLiteral("data/jsb-chorales/train") << true;
  QTest::newRow("nottingham (quantized)") << QStringLiteral("data/nottingham/MIDI") << true;
}

void TestGridTokenizer::roundTripOverRealCorpora() {
  QFETCH(QString, folder);
  QFETCH(bool, shared);
  if (shared) LYREBIRD_REQUIRE_SHARED();
  const std::filesystem::path root = (shared ? test::sharedDir() : test::sourceDir()) / folder.toStdString();
  const Result<corpus::Corpus> corpus = corpus::loadCorpus(root, {});
  QVERIFY(corpus.ok());
  const GridTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  std::size_t pieces = 0, notes = 0;
  for (const corpus::CorpusFile& f : corpus->files) {
    if (!f.score || pieces >= 120) continue;
    ++pieces;
    const std::vector<TokenId> ids = t.encode(*f.score, v);
    const midi::Score decoded = t.decode(ids, v);
    const std::vector<NoteKey> expected = expectedNotes(t, *f.score);
    QCOMPARE(notesOf(decoded), expected);
    QCOMPARE(t.encode(decoded, v), ids);
    notes += expected.size();
  }
  QVERIFY(pieces > 10);
  QVERIFY(notes > 1000);
}

void TestGridTokenizer::streamingDecoderAfterAPrime() {
  const GridTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  // A prime in 3/4 that ends on beat 2 of its second bar, at velocity bin 10.
  const std::vector<TokenId> prime = {t.barToken(6),       t.positionToken(0),  t.velocityToken(10),
                                      t.pitchToken(60),    t.durationToken(11), t.barToken(6),
                                      t.positionToken(12), t.pitchToken(62),    t.durationToken(11)};
  const auto d = t.decoder(v);
  d->prime(prime);
  QCOMPARE(d->nowTicks(), std::int64_t{480}); // time restarts at the prime's last bar, on beat 2
  std::vector<NoteEvent> events;
  for (TokenId id : {t.positionToken(24), t.pitchToken(64), t.durationToken(11), t.barToken(6), t.positionToken(0),
                     t.pitchToken(65), t.durationToken(35)}) {
    d->push(id, events);
  }
  d->finish(events);
  QCOMPARE(events.size(), std::size_t{4});
  QCOMPARE(events[0].ticks, std::int64_t{960}); // beat 3
  QCOMPARE(events[0].pitch, std::uint8_t{64});
  QCOMPARE(events[0].velocity, std::uint8_t{(10 * 128 + 64) / 32});
  QCOMPARE(events[1].kind, NoteEvent::Kind::End);
  QCOMPARE(events[1].ticks, std::int64_t{1440});
  QCOMPARE(events[2].ticks, std::int64_t{1440}); // the next 3/4 bar
  QCOMPARE(events[3].ticks, std::int64_t{1440 + 1440});
  const std::vector<midi::TimeSignature> meters = d->timeSignatures();
  QCOMPARE(meters.size(), std::size_t{1});
  QCOMPARE(int(meters[0].numerator), 3);
  QCOMPARE(int(meters[0].denominator), 4);
}

void TestGridTokenizer::barClockSaysWhereInItsBarTheMusicIs() {
  const GridTokenizer t = tokenizer();
  const std::size_t threeFour = GridTokenizer::meterIndex(3, 4), fourFour = GridTokenizer::meterIndex(4, 4);
  const TokenId c = t.pitchToken(60), q = t.durationToken(11);
  // A note before any bar line (a window that starts mid-bar), then a 3/4 bar (36 steps) with
  // notes at 0 and 12, then a 4/4 bar (48 steps) with one at 24.
  const std::vector<TokenId> ids = {t.positionToken(3),  c, q, t.barToken(threeFour), t.positionToken(0),  c, q,
                                    t.positionToken(12), c, q, t.barToken(fourFour),  t.positionToken(24), c, q};
  std::vector<int> meter, toBarLine;
  for (const LookbackTracker::Lookback& l : t.lookback(ids)) {
    meter.push_back(l.meter);
    toBarLine.push_back(l.toBarLine);
  }
  const int m3 = static_cast<int>(threeFour) + 1, m4 = static_cast<int>(fourFour) + 1;
  QCOMPARE(meter, (std::vector<int>{0, 0, 0, m3, m3, m3, m3, m3, m3, m3, m4, m4, m4, m4}));
  QCOMPARE(toBarLine, (std::vector<int>{0, 0, 0, 36, 36, 36, 36, 24, 24, 24, 48, 24, 24, 24}));
  // The rows a network needs for them: every meter and none; every step of the longest bar and none.
  const std::unique_ptr<LookbackTracker> tracker = t.lookbackTracker();
  QCOMPARE(tracker->clockMeters(), static_cast<int>(GridTokenizer::kMeters) + 1);
  QCOMPARE(tracker->clockSteps(), t.positions() + 1);
}

void TestGridTokenizer::lookbackSaysWhatFollowedABarBefore() {
  const GridTokenizer t = tokenizer();
  const TokenId bar = t.barToken(7), pos0 = t.positionToken(0), pos12 = t.positionToken(12);
  const TokenId c = t.pitchToken(60), d = t.pitchToken(62), e = t.pitchToken(64), q = t.durationToken(11);
  // Three bars: C D, C E, C D.
  const std::vector<TokenId> ids = {bar,   pos0, c, q,   pos12, d, q, bar,   pos0, c, q,
                                    pos12, e,    q, bar, pos0,  c, q, pos12, d,    q};
  const std::vector<LookbackTracker::Lookback> back = t.lookback(ids);
  QCOMPARE(back.size(), ids.size());
  std::vector<TokenId> one, two;
  std::vector<int> repeating;
  for (const LookbackTracker::Lookback& l : back) {
    one.push_back(l.oneBar);
    two.push_back(l.twoBars);
    repeating.push_back(l.repeating);
  }
  const TokenId none = Vocabulary::kUnknown;
  // The first bar has nothing before it.
  for (std::size_t i = 0; i < 7; ++i)
    QCOMPARE(one[i], none);
  // Bar 2, token by token: what followed the same place in bar 1.
  const std::vector<TokenId> expectedOne = {pos0, c, q, pos12, d, q, bar};
  for (std::size_t i = 0; i < 7; ++i)
    QCOMPARE(one[7 + i], expectedOne[i]);
  for (std::size_t i = 7; i < 14; ++i)
    QCOMPARE(two[i], none);
  // Bar 3: one bar back is bar 2 (E), two bars back is bar 1 (D).
  QCOMPARE(one[14 + 4], e); // at pos12, bar 2 went on to E
  QCOMPARE(two[14 + 4], d); // bar 1 to D
  QCOMPARE(one[14 + 6], bar);
  // Each token says whether it repeated what its place held one bar back (bit 0) and two (bit 1):
  // bar 2 repeats bar 1 but for its E; bar 3 repeats both (its bar line only bar 2's: bar 1 had no
  // bar before it) but for its D, which repeats bar 1 alone.
  const std::vector<int> expectedRepeating = {0, 0, 0, 0, 0, 0, 0, //
                                              0, 1, 1, 1, 1, 0, 1, //
                                              1, 3, 3, 3, 3, 2, 3};
  QCOMPARE(repeating, expectedRepeating);
  // Tokens without bars have no lookback.
  TokenizerConfig event;
  event.kind = TokenizerConfig::Kind::Event;
  QVERIFY(!Tokenizer::create(event)->lookbackTracker());
  QVERIFY(t.lookbackTracker());
}

void TestGridTokenizer::grammarAllowsOnlyWellFormedStreams() {
  const GridTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  const auto d = t.decoder(v);
  QVERIFY(d->hasGrammar());
  auto allowedNow = [&] {
    std::vector<std::uint8_t> allowed(v.size(), 1);
    d->restrictNext(allowed);
    return allowed;
  };
  std::vector<NoteEvent> events;
  d->push(t.barToken(GridTokenizer::meterIndex(3, 4)), events);
  std::vector<std::uint8_t> a = allowedNow();
  QVERIFY(!a[t.pitchToken(60)] && !a[t.durationToken(0)]); // a bar first needs a position
  QVERIFY(a[t.positionToken(0)] && a[t.positionToken(35)]);
  QVERIFY(!a[t.positionToken(36)]);                        // past the end of a 3/4 bar
  QVERIFY(a[t.barToken(GridTokenizer::meterIndex(3, 4))]); // an empty bar
  d->push(t.positionToken(12), events);
  a = allowedNow();
  QVERIFY(a[t.pitchToken(60)] && a[t.velocityToken(3)] && !a[t.positionToken(12)] && a[t.positionToken(13)]);
  d->push(t.pitchToken(60), events);
  a = allowedNow();
  for (std::size_t id = 0; id < a.size(); ++id) {
    const bool duration = id >= t.durationToken(0) && id <= t.durationToken(t.durationSteps().size() - 1);
    QCOMPARE(bool(a[id]), duration); // a pitch is followed by its length, only
  }
  QVERIFY(!Tokenizer::create(TokenizerConfig{})->decoder(v)->hasGrammar()); // event tokens have none
}

void TestGridTokenizer::transposition() {
  const GridTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  const midi::Score s = piece({{0, 480, 60, 100}, {480, 480, 127, 100}});
  std::vector<TokenId> ids = t.encode(s, v);
  const std::vector<TokenId> original = ids;
  QVERIFY(!t.transpose(ids, 1, v)); // 127 + 1 leaves the range: nothing changes
  QCOMPARE(ids, original);
  QVERIFY(t.transpose(ids, -2, v));
  const std::vector<NoteKey> notes = notesOf(t.decode(ids, v));
  QCOMPARE(std::get<1>(notes[0]), 58);
  QCOMPARE(std::get<1>(notes[1]), 125);
  QCOMPARE(t.onsetPitches(t.pitchToken(61), v), std::vector<std::uint8_t>{61});
  QVERIFY(t.onsetPitches(t.durationToken(3), v).empty());
}

void TestGridTokenizer::decodeIsWellFormedForAnyIds() {
  const GridTokenizer t = tokenizer();
  const Vocabulary v = t.fixedVocabulary();
  std::mt19937 random(7);
  std::uniform_int_distribution<int> id(0, static_cast<int>(v.size()) + 20); // beyond the vocabulary too
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<TokenId> ids(500);
    for (TokenId& x : ids)
      x = static_cast<TokenId>(id(random));
    const midi::Score decoded = t.decode(ids, v);
    std::int64_t last = -1;
    for (const midi::Track& track : decoded.tracks) {
      for (const midi::Note& n : track.notes) {
        QVERIFY(n.startTicks >= last);
        QVERIFY(n.durationTicks > 0);
        last = n.startTicks;
      }
    }
  }
}

void TestGridTokenizer::gridFitTellsEngravedFromPlayed() {
  const midi::Score engraved = piece({{0, 120, 60, 80}, {160, 160, 62, 80}, {480, 480, 64, 80}});
  const GridFit on = gridFit(engraved, 12);
  QCOMPARE(on.total, std::size_t{3});
  QCOMPARE(on.onGrid, std::size_t{3});
  // A played piece: onsets a few ticks off the grid (40 ticks a step at 480 a quarter; within 4 is on it).
  const midi::Score played = piece({{3, 120, 60, 80}, {171, 160, 62, 80}, {497, 480, 64, 80}, {1010, 10, 65, 80}});
  const GridFit off = gridFit(played, 12);
  QCOMPARE(off.total, std::size_t{4});
  QCOMPARE(off.onGrid, std::size_t{1}); // only 3 ticks off
}

QTEST_GUILESS_MAIN(TestGridTokenizer)
#include "tst_gridtokenizer.moc"
