#include "generatesupport.h"
#include "testsupport.h"

#include "generate/generator.h"
#include "generate/infill.h"
#include "train/trainer.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace lyrebird;
using namespace lyrebird::generate;

/// Regenerating a region between music that stays (Generator::infill, withCandidate).
class TestInfill : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void barsFollowTheTimeSignatures();
  void notesOutsideTheRegionNeverChange();
  void sameSeedSameCandidates();
  void theOriginalRanksFirstForAModelThatLearnedIt();
  void aRegionAtTheEndIsWrittenUnranked();
  void barsAfterTheEndExtendThePiece();
  void emptyCandidatesAreDrawnAgain();
  void refusals();

private:
  test::TempFolder m_folder;
  std::unique_ptr<Generator> m_generator; // a tiny grid model that learned fourPhrases()
  std::filesystem::path m_eventModel;
};

namespace {

/// A piece of 4/4 bars cycling through four one-bar figures, with a bass and a drum track.
midi::Score fourPhrases(int bars, int transpose = 0) {
  static const int kFigures[4][4] = {{60, 64, 67, 64}, {62, 65, 69, 65}, {59, 62, 67, 62}, {60, 67, 64, 72}};
  midi::Score score;
  score.ticksPerQuarter = 480;
  score.tracks.resize(3);
  score.tracks[2].isDrum = true;
  for (int bar = 0; bar < bars; ++bar) {
    const std::int64_t start = bar * 1920;
    for (int beat = 0; beat < 4; ++beat) {
      score.tracks[0].notes.push_back(
          {start + beat * 480, 480, static_cast<std::uint8_t>(kFigures[bar % 4][beat] + transpose), 90});
      score.tracks[2].notes.push_back({start + beat * 480, 120, 42, 70});
    }
    score.tracks[1].notes.push_back(
        {start, 1920, static_cast<std::uint8_t>(kFigures[bar % 4][0] - 24 + transpose), 70});
  }
  return score;
}

std::vector<midi::Note> outside(const midi::Track& track, const InfillResult& r) {
  std::vector<midi::Note> notes;
  for (const midi::Note& n : track.notes) {
    if (n.startTicks < r.startTicks || n.startTicks >= r.endTicks) notes.push_back(n);
  }
  return notes;
}

} // namespace

void TestInfill::initTestCase() {
  std::vector<midi::Score> pieces;
  for (int f = 0; f < 6; ++f)
    pieces.push_back(fourPhrases(16));
  train::TrainingConfig config = test::tinyGridConfig(48, 1, 48, 40);
  config.model.dropout = 0.0;
  const std::filesystem::path grid = m_folder.path() / "grid.lyrebird";
  std::string failed = test::trainTo(test::memoryCorpus(pieces), config, grid);
  QVERIFY2(failed.empty(), failed.c_str());
  Result<std::unique_ptr<Generator>> loaded = Generator::load(grid);
  QVERIFY(loaded.ok());
  m_generator = std::move(loaded.value());

  config.autoTokenizer = false;
  config.tokenizer.kind = tokenize::TokenizerConfig::Kind::Event;
  config.epochs = 1;
  m_eventModel = m_folder.path() / "event.lyrebird";
  failed = test::trainTo(test::memoryCorpus(pieces), config, m_eventModel);
  QVERIFY2(failed.empty(), failed.c_str());
}

void TestInfill::barsFollowTheTimeSignatures() {
  midi::Score piece = fourPhrases(4);
  QCOMPARE(barStarts(piece), (std::vector<std::int64_t>{0, 1920, 3840, 5760, 7680}));
  // 3/4 from the second bar (tick 1920): bars of three quarters from there.
  piece.timeSignatures = {{0, 4, 4}, {1920, 3, 4}};
  const std::vector<std::int64_t> bars = barStarts(piece);
  QCOMPARE(bars[0], std::int64_t{0});
  QCOMPARE(bars[1], std::int64_t{1920});
  QCOMPARE(bars[2], std::int64_t{1920 + 1440});
  QCOMPARE(bars.size(), std::size_t{6}); // one 4/4 bar and four 3/4 bars, then where the last ends
  QCOMPARE(bars.back(), std::int64_t{1920 + 1440 * 4});
  // A note ending inside a bar: that bar counts.
  piece.tracks[0].notes.push_back({7680, 480, 60, 90});
  QCOMPARE(barStarts(piece).back(), std::int64_t{1920 + 1440 * 5});
}

void TestInfill::notesOutsideTheRegionNeverChange() {
  midi::Score piece = fourPhrases(12, 2);                              // D major: written back in the piece's key
  piece.tracks[1].notes.push_back({3 * 1920 + 960, 2 * 1920, 40, 60}); // rings into the region: kept
  InfillOptions options;
  options.firstBar = 5;
  options.lastBar = 6;
  options.candidates = 3;
  const Result<InfillResult> result = m_generator->infill(piece, options);
  QVERIFY2(result.ok(), result.ok() ? "" : result.error().describe().c_str());
  QCOMPARE(result->startTicks, std::int64_t{4 * 1920});
  QCOMPARE(result->endTicks, std::int64_t{6 * 1920});
  QCOMPARE(result->candidates.size(), std::size_t{3});
  QCOMPARE(result->track, std::size_t{0}); // the melody: most notes in the region
  for (std::size_t i = 0; i + 1 < result->candidates.size(); ++i)
    QVERIFY(result->candidates[i].score >= result->candidates[i + 1].score); // best first
  for (std::size_t c = 0; c < result->candidates.size(); ++c) {
    QVERIFY(!result->candidates[c].notes.empty());
    for (const midi::Note& n : result->candidates[c].notes)
      QVERIFY(n.startTicks >= result->startTicks && n.startTicks < result->endTicks);
    const midi::Score written = withCandidate(piece, *result, c);
    QCOMPARE(written.tracks.size(), piece.tracks.size());
    for (std::size_t t = 0; t < piece.tracks.size(); ++t)
      QCOMPARE(outside(written.tracks[t], *result), outside(piece.tracks[t], *result));
    QCOMPARE(written.tracks[2].notes, piece.tracks[2].notes); // drums are never rewritten
    // The region's own bass notes are gone; the candidate's notes are all in the melody track.
    QCOMPARE(outside(written.tracks[1], *result).size(), written.tracks[1].notes.size());
    QCOMPARE(written.tracks[0].notes.size(),
             outside(piece.tracks[0], *result).size() + result->candidates[c].notes.size());
  }
}

void TestInfill::sameSeedSameCandidates() {
  const midi::Score piece = fourPhrases(12);
  InfillOptions options;
  options.firstBar = 3;
  options.lastBar = 4;
  options.candidates = 2;
  options.generate.seed = 40;
  options.generate.sampling.temperature = 1.5;
  const Result<InfillResult> a = m_generator->infill(piece, options);
  const Result<InfillResult> b = m_generator->infill(piece, options);
  QVERIFY(a.ok() && b.ok());
  for (std::size_t c = 0; c < 2; ++c) {
    QCOMPARE(a->candidates[c].seed, b->candidates[c].seed);
    QCOMPARE(a->candidates[c].notes, b->candidates[c].notes);
  }
  options.generate.seed = 90;
  const Result<InfillResult> other = m_generator->infill(piece, options);
  QVERIFY(other.ok());
  QVERIFY(other->candidates[0].seed >= 90);
  QVERIFY(other->candidates[0].notes != a->candidates[0].notes || other->candidates[1].notes != a->candidates[1].notes);
}

void TestInfill::theOriginalRanksFirstForAModelThatLearnedIt() {
  // Random fillings (hot sampling) against the bars the model learned: the music after the region
  // follows the original best.
  const midi::Score piece = fourPhrases(12);
  InfillOptions options;
  options.firstBar = 5;
  options.lastBar = 6;
  options.candidates = 6;
  options.includeOriginal = true;
  options.generate.sampling.temperature = 3.0;
  options.generate.sampling.topP = 1.0;
  const Result<InfillResult> result = m_generator->infill(piece, options);
  QVERIFY(result.ok());
  QCOMPARE(result->candidates.size(), std::size_t{7});
  const auto original = std::find_if(result->candidates.begin(), result->candidates.end(),
                                     [](const InfillCandidate& c) { return c.original; });
  QVERIFY(original != result->candidates.end());
  QCOMPARE(original - result->candidates.begin(), std::ptrdiff_t{0});
  QVERIFY(std::isfinite(original->score));
  QVERIFY(original->judgedTokens > 0);
  // The original candidate gives the piece back unchanged.
  const midi::Score same = withCandidate(piece, *result, 0);
  QCOMPARE(same.tracks[0].notes, piece.tracks[0].notes);
  QCOMPARE(same.tracks[1].notes, piece.tracks[1].notes);
}

void TestInfill::aRegionAtTheEndIsWrittenUnranked() {
  const midi::Score piece = fourPhrases(8);
  InfillOptions options;
  options.firstBar = 7;
  options.lastBar = 8;
  options.candidates = 2;
  const Result<InfillResult> result = m_generator->infill(piece, options);
  QVERIFY(result.ok());
  for (const InfillCandidate& c : result->candidates) {
    QVERIFY(std::isnan(c.score));
    QCOMPARE(c.judgedTokens, std::size_t{0});
  }
  QCOMPARE(result->candidates[0].seed, std::uint64_t{0}); // in the order drawn
}

void TestInfill::barsAfterTheEndExtendThePiece() {
  const midi::Score piece = fourPhrases(8);
  InfillOptions options;
  options.firstBar = 9;
  options.lastBar = 12;
  options.candidates = 2;
  QVERIFY(!m_generator->infill(piece, options).ok()); // refused unless asked for
  options.allowExtension = true;
  const Result<InfillResult> result = m_generator->infill(piece, options);
  QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
  QCOMPARE(result->startTicks, std::int64_t{8 * 1920});
  QCOMPARE(result->endTicks, std::int64_t{12 * 1920});
  QVERIFY(!result->candidates[0].notes.empty());
  const midi::Score longer = withCandidate(piece, *result, 0);
  QCOMPARE(longer.noteCount(), piece.noteCount() + result->candidates[0].notes.size());
  options.lastBar = 8 + InfillOptions::kMaxExtensionBars + 1;
  QVERIFY(!m_generator->infill(piece, options).ok());
}

void TestInfill::emptyCandidatesAreDrawnAgain() {
  midi::Score piece = fourPhrases(8);
  std::erase_if(piece.tracks[0].notes, [](const midi::Note& n) { return n.startTicks >= 3840 && n.startTicks < 7680; });
  std::erase_if(piece.tracks[1].notes, [](const midi::Note& n) { return n.startTicks >= 3840 && n.startTicks < 7680; });
  InfillOptions options;
  options.candidates = 3;
  options.generate.seed = 10;
  options.generate.density = -20.0; // with no pitch the model knows allowed, no note starts: every draw is empty
  options.generate.minPitch = 0;
  options.generate.maxPitch = 0;
  options.allowExtension = true;
  auto seeds = [&](int firstBar, int lastBar) {
    options.firstBar = firstBar;
    options.lastBar = lastBar;
    const Result<InfillResult> result = m_generator->infill(piece, options);
    std::vector<std::uint64_t> drawnWith;
    if (!result.ok()) return drawnWith;
    for (const InfillCandidate& c : result->candidates) {
      if (!c.notes.empty()) return std::vector<std::uint64_t>{};
      drawnWith.push_back(c.seed);
    }
    std::sort(drawnWith.begin(), drawnWith.end());
    return drawnWith;
  };
  // Bars with notes, and bars after the end: each candidate drawn four times (seed + i + k * 3), kept empty.
  const std::vector<std::uint64_t> redrawn{10 + 9, 11 + 9, 12 + 9};
  QCOMPARE(seeds(5, 6), redrawn);
  QCOMPARE(seeds(9, 10), redrawn);
  // Bars the piece leaves empty (its third and fourth): silence is a fair answer at the first draw.
  QCOMPARE(seeds(3, 4), (std::vector<std::uint64_t>{10, 11, 12}));
  options.emptyRedraws = 0;
  QCOMPARE(seeds(5, 6), (std::vector<std::uint64_t>{10, 11, 12}));
  // Where notes come at the first draw it stands: those candidates are the ones drawn without
  // redraws.
  options.generate = GenerateOptions{};
  options.generate.seed = 10;
  options.candidates = 6;
  options.firstBar = 7;
  options.lastBar = 8;
  const Result<InfillResult> once = m_generator->infill(piece, options);
  options.emptyRedraws = 3;
  const Result<InfillResult> again = m_generator->infill(piece, options);
  QVERIFY(once.ok() && again.ok());
  std::size_t filledOnce = 0;
  std::size_t filledAgain = 0;
  for (const InfillCandidate& c : once->candidates) {
    filledOnce += c.notes.empty() ? 0 : 1;
    if (c.notes.empty()) continue;
    const auto same = std::find_if(again->candidates.begin(), again->candidates.end(),
                                   [&](const InfillCandidate& a) { return a.seed == c.seed; });
    QVERIFY(same != again->candidates.end());
    QCOMPARE(same->notes.size(), c.notes.size());
  }
  for (const InfillCandidate& c : again->candidates)
    filledAgain += c.notes.empty() ? 0 : 1;
  QVERIFY(filledOnce > 0);
  QVERIFY(filledAgain >= filledOnce);
}

void TestInfill::refusals() {
  const midi::Score piece = fourPhrases(8);
  auto refused = [&](int first, int last, const char* words) {
    InfillOptions options;
    options.firstBar = first;
    options.lastBar = last;
    const Result<InfillResult> r = m_generator->infill(piece, options);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::InvalidArgument);
    QVERIFY2(QString::fromStdString(r.error().message).contains(QString::fromLatin1(words)), r.error().message.c_str());
  };
  refused(5, 3, "which has 8 bars"); // reversed
  refused(0, 2, "from 1 to 8");
  refused(7, 9, "from 1 to 8");
  InfillOptions options;
  const Result<InfillResult> empty = m_generator->infill(midi::Score{}, options);
  QVERIFY(!empty.ok());
  QCOMPARE(empty.error().kind, ErrorKind::NoMusic);
  options.candidates = 0;
  QVERIFY(!m_generator->infill(piece, options).ok());
  Result<std::unique_ptr<Generator>> events = Generator::load(m_eventModel);
  QVERIFY(events.ok());
  const Result<InfillResult> noBars = (*events)->infill(piece, InfillOptions{});
  QVERIFY(!noBars.ok());
  QVERIFY(QString::fromStdString(noBars.error().message).contains(QStringLiteral("event tokens")));
}

QTEST_GUILESS_MAIN(TestInfill)
#include "tst_infill.moc"
