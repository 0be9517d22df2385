#include "testsupport.h"

#include "midi/smfreader.h"
#include "tokenize/notechordtokenizer.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::tokenize;

class TestNoteChordTokenizer : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void pitchesAndChords();
  void rhythmTokens();
  void faithfulDecodingUsesAFixedStep();
  void rhythmRoundTrip_data();
  void rhythmRoundTrip();
  void unknownTokensAfterPruning();
  void transposition();
  void configSerialization();
};

namespace {

midi::Score piece() {
  midi::Score s; // 480 ticks per quarter
  midi::Track right;
  right.notes = {{0, 480, 64, 90}, {0, 960, 60, 90}, {0, 480, 67, 90}, {480, 240, 72, 90}, {720, 240, 71, 90}};
  midi::Track drums;
  drums.channel = 9;
  drums.isDrum = true;
  drums.notes = {{0, 10, 36, 120}};
  s.tracks = {right, drums};
  return s;
}

TokenizerConfig config(bool rhythm) {
  TokenizerConfig c;
  c.kind = TokenizerConfig::Kind::NoteChord;
  c.rhythm = rhythm;
  return c;
}

std::vector<std::string> tokens(const NoteChordTokenizer& t, const midi::Score& s) {
  std::vector<std::string> out;
  for (const auto& onset : t.onsets(s))
    out.push_back(t.format(onset));
  return out;
}

} // namespace

void TestNoteChordTokenizer::pitchesAndChords() {
  const NoteChordTokenizer t(config(false));
  QCOMPARE(tokens(t, piece()), (std::vector<std::string>{"60.64.67", "72", "71"})); // drums are skipped
  const midi::Score p = piece();
  const std::vector<const midi::Score*> one = {&p};
  const Vocabulary v = t.buildVocabulary(one, 1);
  QCOMPARE(v.size(), std::size_t{4});
  const std::vector<TokenId> ids = t.encode(p, v);
  QCOMPARE(ids.size(), std::size_t{3});
  QCOMPARE(v.token(ids[0]), std::string("60.64.67"));
}

void TestNoteChordTokenizer::rhythmTokens() {
  const NoteChordTokenizer t(config(true));
  // Longest note of the chord: 960 ticks = 8 sixteenths; next onset 4 sixteenths later.
  QCOMPARE(tokens(t, piece()), (std::vector<std::string>{"60.64.67_d8_s4", "72_d2_s2", "71_d2_s2"}));
  const auto parsed = t.parse("60.64.67_d8_s4");
  QVERIFY(parsed.has_value());
  QCOMPARE(parsed->pitches, (std::vector<std::uint8_t>{60, 64, 67}));
  QCOMPARE(parsed->durationSteps, 8);
  QCOMPARE(parsed->stepsToNext, 4);
  QVERIFY(!t.parse("<unk>").has_value());
  QVERIFY(!t.parse("60.x").has_value());
  QVERIFY(!t.parse("200").has_value());
}

void TestNoteChordTokenizer::faithfulDecodingUsesAFixedStep() {
  const NoteChordTokenizer t(config(false));
  const midi::Score p = piece();
  const std::vector<const midi::Score*> one = {&p};
  const Vocabulary v = t.buildVocabulary(one, 1);
  const midi::Score back = t.decode(t.encode(p, v), v);
  const auto& notes = back.tracks.at(0).notes;
  QCOMPARE(notes.size(), std::size_t{5});
  QCOMPARE(notes[3].startTicks, std::int64_t{240}); // onsets half a quarter apart, as the originals
  QCOMPARE(notes[4].startTicks, std::int64_t{480});
  for (const midi::Note& n : notes)
    QCOMPARE(n.durationTicks, std::int64_t{480});
}

void TestNoteChordTokenizer::rhythmRoundTrip_data() {
  QTest::addColumn<QString>("file");
  LYREBIRD_REQUIRE_SHARED();
  QTest::newRow("jsb") << QStringLiteral("data/jsb-chorales/train/jsb_train_000.mid");
  QTest::newRow("nottingham") << QStringLiteral("data/nottingham/MIDI/ashover1.mid");
  QTest::newRow("jsb 2") << QStringLiteral("data/jsb-chorales/train/jsb_train_001.mid");
}

void TestNoteChordTokenizer::rhythmRoundTrip() {
  // Quantized scores (a 16th-note grid, no note longer than two bars) survive exactly:
  // every onset's pitches, its time and its longest duration.
  QFETCH(QString, file);
  const auto read = midi::readSmfFile(test::sharedDir() / file.toStdString());
  QVERIFY(read.ok());
  const NoteChordTokenizer t(config(true));
  const std::vector<const midi::Score*> one = {&read->score};
  const Vocabulary v = t.buildVocabulary(one, 1);
  const std::vector<TokenId> ids = t.encode(read->score, v);
  QVERIFY(std::find(ids.begin(), ids.end(), Vocabulary::kUnknown) == ids.end());
  const midi::Score back = t.decode(ids, v);
  const auto before = t.onsets(read->score);
  const auto after = t.onsets(back);
  QCOMPARE(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    QCOMPARE(after[i].pitches, before[i].pitches);
    QCOMPARE(after[i].durationSteps, before[i].durationSteps);
    if (i + 1 < before.size()) QCOMPARE(after[i].stepsToNext, before[i].stepsToNext);
  }
}

void TestNoteChordTokenizer::unknownTokensAfterPruning() {
  const NoteChordTokenizer t(config(false));
  midi::Score s;
  midi::Track track;
  for (int i = 0; i < 10; ++i)
    track.notes.push_back({i * 480, 480, 60, 90});
  track.notes.push_back({4800, 480, 61, 90}); // seen once
  s.tracks = {track};
  const std::vector<const midi::Score*> one = {&s};
  const Vocabulary v = t.buildVocabulary(one, 2);
  QCOMPARE(v.size(), std::size_t{2});
  QCOMPARE(v.count(Vocabulary::kUnknown), std::uint64_t{1});
  const std::vector<TokenId> ids = t.encode(s, v);
  QCOMPARE(ids.back(), Vocabulary::kUnknown);
  QCOMPARE(t.decode(ids, v).noteCount(), std::size_t{10}); // the unknown onset is skipped
}

void TestNoteChordTokenizer::transposition() {
  const NoteChordTokenizer t(config(false));
  Vocabulary v;
  const TokenId c = v.add("60.64.67");
  const TokenId d = v.add("62.66.69");
  std::vector<TokenId> ids = {c, c};
  QVERIFY(t.transpose(ids, 2, v));
  QCOMPARE(ids, (std::vector<TokenId>{d, d}));
  std::vector<TokenId> none = {c};
  QVERIFY(!t.transpose(none, 1, v)); // C#-major chord is not in the vocabulary
  QCOMPARE(none, (std::vector<TokenId>{c}));
}

void TestNoteChordTokenizer::configSerialization() {
  TokenizerConfig c = config(true);
  c.stepsPerQuarter = 12;
  c.fixedStepQuarters = 0.25;
  const auto back = TokenizerConfig::parse(c.serialize());
  QVERIFY(back.ok());
  QVERIFY(*back == c);
  QVERIFY(!TokenizerConfig::parse("kind=midi\n").ok());
  QVERIFY(!TokenizerConfig::parse("steps_per_quarter=0\n").ok());
  QVERIFY(!TokenizerConfig::parse("colour=blue\n").ok());
  QCOMPARE(Tokenizer::create(c)->name(), std::string("note-chord"));
  QCOMPARE(Tokenizer::create(TokenizerConfig{})->name(), std::string("event"));
}

QTEST_GUILESS_MAIN(TestNoteChordTokenizer)
#include "tst_notechordtokenizer.moc"
