#include "generatesupport.h"
#include "testsupport.h"

#include "base/random.h"
#include "corpus/copyindex.h"
#include "generate/generator.h"
#include "generate/prime.h"
#include "midi/smfreader.h"
#include "midi/smfwriter.h"
#include "midi/tempomap.h"
#include "train/trainer.h"

#include <QtTest>

#include <array>

#include <cmath>
#include <map>
#include <set>

using namespace lyrebird;
using test::scalesCorpus;
using namespace lyrebird::generate;

class TestGenerator : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void sameSeedSamePieceByteForByte();
  void temperatureRaisesEntropy();
  void scaleAndRangeMasksHold();
  void lengthInTokensSecondsAndBars();
  void resultIsWellFormed();
  void primeChangesTheContinuation();
  void stopEndsEarly();
  void streamedNotesAreTheResult();
  void polyphonyLimitHolds();
  void noteLengthLimitHolds();
  void releasesOnlySoundingNotes();
  void gridModelWritesInTheKeyAsked();
  void gridModelStreamsItsResult();
  void gridModelPlaysAtTheCorpusTempo();
  void primes();
  void missingOrForeignModel();
  void lengthParsing();
  void repeatLabelsCopyAFigureNeverSeen();
  void noTakeCopiesMoreThan16NotesOfTrainingMusic();

private:
  test::TempFolder m_folder;
  std::filesystem::path m_model;     // event tokens
  std::filesystem::path m_gridModel; // grid tokens, keys normalized
};

namespace {

std::unique_ptr<Generator> loadModel(const std::filesystem::path& path) {
  Result<std::unique_ptr<Generator>> g = Generator::load(path);
  if (!g) qFatal("cannot load the test model: %s", g.error().describe().c_str());
  return std::move(g.value());
}

} // namespace

void TestGenerator::initTestCase() {
  train::TrainingConfig config = *train::TrainingConfig::fromPreset("default");
  config.autoSize = false; // the tiny networks below, not ones sized to the music
  config.model.hidden = 32;
  config.model.layers = 2;
  config.model.denseSize = 32;
  config.model.embeddingSize = 16;
  config.sequenceLength = 32;
  config.batch = 8;
  config.epochs = 4;
  config.learningRate = 1e-2;
  config.checkpointEveryMinutes = 0;
  config.autoTokenizer = false;
  config.tokenizer.kind = tokenize::TokenizerConfig::Kind::Event;
  train::TrainingJob job;
  job.config = config;
  job.output = m_folder.path() / "tiny.lyrebird";
  train::TrainingControl control;
  const auto outcome = train::runTraining(scalesCorpus(), job, control, {}, {});
  QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
  m_model = job.output;

  // The default preset's choice for this metrical music: grid tokens, every scale moved to C major.
  job.config = *train::TrainingConfig::fromPreset("default");
  job.config.autoSize = false;
  job.config.model = config.model;

  job.config.sequenceLength = config.sequenceLength;
  job.config.batch = config.batch;
  job.config.epochs = 30;
  job.config.patience = 0;
  job.config.learningRate = config.learningRate;
  job.config.checkpointEveryMinutes = 0;
  job.output = m_folder.path() / "grid.lyrebird";
  const auto grid = train::runTraining(scalesCorpus(), job, control, {}, {});
  QVERIFY2(grid.ok(), grid.ok() ? "" : grid.error().describe().c_str());
  m_gridModel = job.output;
}

void TestGenerator::sameSeedSamePieceByteForByte() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 300};
  options.seed = 17;
  const auto a = generator->generate(options);
  const auto b = generator->generate(options);
  auto again = loadModel(m_model);
  const auto c = again->generate(options);
  QVERIFY(a.ok() && b.ok() && c.ok());
  QVERIFY(midi::writeSmf(*a) == midi::writeSmf(*b));
  QVERIFY(midi::writeSmf(*a) == midi::writeSmf(*c));
  options.seed = 18;
  const auto d = generator->generate(options);
  QVERIFY(midi::writeSmf(*a) != midi::writeSmf(*d));
}

void TestGenerator::temperatureRaisesEntropy() {
  auto generator = loadModel(m_model);
  auto entropy = [&](double temperature) {
    GenerateOptions options;
    options.length = {Length::Unit::Tokens, 3000};
    options.sampling.temperature = temperature;
    std::map<int, int> counts;
    const auto piece = generator->generate(
        options, {.onToken = [&](tokenize::TokenId id, std::size_t) { ++counts[id]; }, .onNote = {}});
    if (!piece) return -1.0;
    double h = 0.0;
    for (const auto& [id, n] : counts) {
      const double p = n / 3000.0;
      h -= p * std::log(p);
    }
    return h;
  };
  const double cold = entropy(0.3);
  const double hot = entropy(2.0);
  QVERIFY2(cold >= 0 && cold < hot, qPrintable(QStringLiteral("%1 %2").arg(cold).arg(hot)));
}

void TestGenerator::scaleAndRangeMasksHold() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 1500};
  options.sampling.temperature = 1.5; // wander, so the masks have work to do
  options.scale = *parseScale("D dorian");
  options.minPitch = 40;
  options.maxPitch = 70;
  const auto piece = generator->generate(options);
  QVERIFY(piece.ok());
  QVERIFY(piece->noteCount() > 20);
  for (const midi::Track& t : piece->tracks) {
    for (const midi::Note& n : t.notes) {
      QVERIFY2(options.scale->contains(n.pitch), qPrintable(QString::number(n.pitch)));
      QVERIFY(n.pitch >= 40 && n.pitch <= 70);
    }
  }
  GenerateOptions impossible; // C#4 alone, in C major
  impossible.scale = *parseScale("C major");
  impossible.minPitch = 61;
  impossible.maxPitch = 61;
  QVERIFY(!generator->generate(impossible).ok());
}

void TestGenerator::lengthInTokensSecondsAndBars() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 123};
  std::size_t drawn = 0;
  QVERIFY(generator->generate(options, {.onToken = [&](tokenize::TokenId, std::size_t n) { drawn = n; }, .onNote = {}})
              .ok());
  QCOMPARE(drawn, std::size_t{123});

  options.length = {Length::Unit::Seconds, 8};
  options.tempoBpm = 90;
  const auto timed = generator->generate(options);
  QVERIFY(timed.ok());
  const midi::TempoMap map(*timed);
  QCOMPARE(timed->tempos.at(0).microsecondsPerQuarter, 666667u);
  double lastStart = 0.0;
  for (const midi::Track& t : timed->tracks)
    for (const midi::Note& n : t.notes)
      lastStart = std::max(lastStart, map.seconds(n.startTicks));
  QVERIFY2(lastStart <= 8.0 + 1e-6, qPrintable(QString::number(lastStart)));
  QVERIFY(lastStart > 4.0);

  options.length = {Length::Unit::Bars, 4};
  options.tempoBpm = 120;
  const auto bars = generator->generate(options);
  QVERIFY(bars.ok());
  for (const midi::Track& t : bars->tracks)
    for (const midi::Note& n : t.notes)
      QVERIFY(n.startTicks <= 4 * 4 * bars->ticksPerQuarter);
}

void TestGenerator::resultIsWellFormed() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 800};
  options.sampling.temperature = 1.3;
  options.program = 40;
  const auto piece = generator->generate(options);
  QVERIFY(piece.ok());
  QVERIFY(!piece->tempos.empty());
  for (const midi::Track& t : piece->tracks) {
    QCOMPARE(t.program, std::uint8_t{40});
    QVERIFY(std::is_sorted(t.notes.begin(), t.notes.end(),
                           [](const midi::Note& a, const midi::Note& b) { return a.startTicks < b.startTicks; }));
    for (const midi::Note& n : t.notes) {
      QVERIFY(n.durationTicks > 0);
      QVERIFY(n.durationTicks <= 4 * 2 * piece->ticksPerQuarter); // at most 4 s at 120 BPM
    }
  }
  // It survives a trip through a MIDI file.
  const auto back = midi::readSmf(midi::writeSmf(*piece));
  QVERIFY(back.ok());
  QCOMPARE(back->score.noteCount(), piece->noteCount());
}

void TestGenerator::primeChangesTheContinuation() {
  // The tiny model forgets its start within a few tokens, so the prime shows in the first
  // tokens drawn: some seed among several must continue differently.
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 200};
  int differing = 0;
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    options.seed = seed;
    options.prime.reset();
    const auto fresh = generator->generate(options);
    options.prime = scalesCorpus().files[2].score;
    const auto primed = generator->generate(options);
    QVERIFY(fresh.ok() && primed.ok());
    differing += midi::writeSmf(*fresh) != midi::writeSmf(*primed);
  }
  QVERIFY(differing > 0);
}

void TestGenerator::releasesOnlySoundingNotes() {
  // Event tokens: a NOTE_OFF is drawn only for a pitch the stream has started and not yet
  // released (a NOTE_OFF of a silent pitch would do nothing and leave the others hanging).
  auto generator = loadModel(m_model);
  const auto tokenizer = tokenize::Tokenizer::create(generator->trainingConfig().tokenizer);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 400};
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    options.seed = seed;
    std::array<int, 128> sounding{};
    int releases = 0;
    bool silentRelease = false;
    GenerateListener listener;
    listener.onToken = [&](tokenize::TokenId id, std::size_t) {
      for (std::uint8_t p : tokenizer->onsetPitches(id, generator->vocabulary()))
        ++sounding[p];
      if (const int p = tokenizer->releasedPitch(id, generator->vocabulary()); p >= 0) {
        ++releases;
        silentRelease = silentRelease || sounding[static_cast<std::size_t>(p)] == 0;
        sounding[static_cast<std::size_t>(p)] = std::max(0, sounding[static_cast<std::size_t>(p)] - 1);
      }
    };
    QVERIFY(generator->generate(options, listener).ok());
    QVERIFY(releases > 0);
    QVERIFY(!silentRelease);
  }
}

void TestGenerator::stopEndsEarly() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 100000};
  std::stop_source stop;
  std::size_t drawn = 0;
  GenerateListener listener;
  listener.onToken = [&](tokenize::TokenId, std::size_t n) {
    drawn = n;
    if (n == 50) stop.request_stop();
  };
  const auto piece = generator->generate(options, listener, stop.get_token());
  QVERIFY(piece.ok());
  QCOMPARE(drawn, std::size_t{50});
}

void TestGenerator::streamedNotesAreTheResult() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Seconds, 10};
  options.tempoBpm = 100;
  options.seed = 5;
  std::vector<tokenize::NoteEvent> events;
  std::int64_t latestStart = 0;
  bool startsInOrder = true;
  GenerateListener listener;
  listener.onNote = [&](const tokenize::NoteEvent& e) {
    if (e.kind == tokenize::NoteEvent::Kind::Start) {
      startsInOrder = startsInOrder && e.ticks >= latestStart;
      latestStart = e.ticks;
    }
    events.push_back(e);
  };
  const auto piece = generator->generate(options, listener);
  QVERIFY(piece.ok());
  QVERIFY(piece->noteCount() > 20);
  QVERIFY(startsInOrder);
  // Every note started is ended exactly once, and the events rebuild the returned notes.
  std::map<std::uint32_t, int> starts, ends;
  for (const auto& e : events)
    ++(e.kind == tokenize::NoteEvent::Kind::Start ? starts : ends)[e.note];
  QCOMPARE(starts.size(), piece->noteCount());
  QCOMPARE(ends, starts);
  const midi::Score rebuilt = tokenize::decodedScore(events);
  QCOMPARE(rebuilt.tracks.size(), std::size_t{1});
  QCOMPARE(rebuilt.tracks[0].notes, piece->tracks[0].notes);
  // The same seed without a listener gives the same piece.
  QCOMPARE(generator->generate(options)->tracks[0].notes, piece->tracks[0].notes);
}

void TestGenerator::polyphonyLimitHolds() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 1500};
  options.sampling.temperature = 1.5; // an unruly model: many overlapping notes
  auto maxOverlap = [](const midi::Score& score) {
    std::vector<std::pair<std::int64_t, int>> edges;
    for (const auto& n : score.tracks[0].notes) {
      if (n.durationTicks == 0) continue;
      edges.push_back({n.startTicks, 1});
      edges.push_back({n.endTicks(), -1});
    }
    std::sort(edges.begin(), edges.end()); // ends (-1) before starts at the same tick
    int now = 0, most = 0;
    for (const auto& [tick, delta] : edges)
      most = std::max(most, now += delta);
    return most;
  };
  const auto free = generator->generate(options);
  QVERIFY(free.ok());
  options.maxPolyphony = 2;
  const auto limited = generator->generate(options);
  QVERIFY(limited.ok());
  QVERIFY(limited->noteCount() > 10);
  QVERIFY2(maxOverlap(*limited) <= 2, qPrintable(QString::number(maxOverlap(*limited))));
  QVERIFY2(maxOverlap(*free) > 2, qPrintable(QString::number(maxOverlap(*free))));
}

void TestGenerator::noteLengthLimitHolds() {
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 1500};
  options.tempoBpm = 60; // a second is a quarter: 480 ticks
  options.maxNoteSeconds = 0.5;
  const auto piece = generator->generate(options);
  QVERIFY(piece.ok());
  for (const auto& n : piece->tracks[0].notes)
    QVERIFY(n.durationTicks <= 240);
}

namespace {

// Share of the notes of `score` in the major scale on `tonic`.
double shareInMajor(const midi::Score& score, int tonic) {
  std::size_t in = 0, all = 0;
  for (const auto& track : score.tracks) {
    for (const auto& n : track.notes) {
      const int degree = (n.pitch - tonic + 120) % 12;
      in += degree == 0 || degree == 2 || degree == 4 || degree == 5 || degree == 7 || degree == 9 || degree == 11;
      ++all;
    }
  }
  return all ? static_cast<double>(in) / static_cast<double>(all) : 0.0;
}

} // namespace

void TestGenerator::gridModelWritesInTheKeyAsked() {
  auto generator = loadModel(m_gridModel);
  const train::TrainingConfig& config = generator->trainingConfig();
  QCOMPARE(config.tokenizer.kind, tokenize::TokenizerConfig::Kind::Grid); // chosen from the music
  QVERIFY(config.normalizeKeys);
  // The six training scales start on C, C#, D, D#, E and F; one of the six is held out.
  std::uint32_t counted = 0;
  for (int tonic = 0; tonic < 6; ++tonic)
    counted += config.corpusKeys[static_cast<std::size_t>(tonic)];
  QCOMPARE(counted, std::uint32_t{5});
  GenerateOptions options;
  options.length = {Length::Unit::Seconds, 20};
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    options.seed = seed;
    options.key = tokenize::Key{2, false}; // D major
    const auto inD = generator->generate(options);
    QVERIFY(inD.ok());
    QVERIFY2(inD->noteCount() > 20, qPrintable(QString::number(inD->noteCount())));
    QVERIFY2(shareInMajor(*inD, 2) >= 0.9, qPrintable(QString::number(shareInMajor(*inD, 2))));
    QCOMPARE(inD->keySignatures.size(), std::size_t{1});
    QCOMPARE(int(inD->keySignatures[0].sharps), 2);
    // Without a key, one of the corpus's keys, drawn by the seed, and the notes are in it.
    options.key.reset();
    const std::optional<tokenize::Key> drawn = generator->key(options);
    QVERIFY(drawn && !drawn->minor);
    QVERIFY(config.corpusKeys[static_cast<std::size_t>(drawn->index())] > 0);
    const auto any = generator->generate(options);
    QVERIFY(any.ok());
    QVERIFY(shareInMajor(*any, drawn->tonic) >= 0.9);
    QCOMPARE(int(any->keySignatures[0].sharps), tokenize::keySignatureSharps(*drawn));
  }
}

void TestGenerator::gridModelStreamsItsResult() {
  auto generator = loadModel(m_gridModel);
  GenerateOptions options;
  options.length = {Length::Unit::Seconds, 10};
  options.seed = 3;
  options.key = tokenize::Key{9, true};
  std::vector<tokenize::NoteEvent> events;
  GenerateListener listener;
  listener.onNote = [&](const tokenize::NoteEvent& e) { events.push_back(e); };
  const auto piece = generator->generate(options, listener);
  QVERIFY(piece.ok());
  QVERIFY(piece->noteCount() > 10);
  const midi::Score rebuilt = tokenize::decodedScore(events);
  QCOMPARE(rebuilt.tracks[0].notes, piece->tracks[0].notes);
  QCOMPARE(generator->generate(options)->tracks[0].notes, piece->tracks[0].notes); // same seed, same notes
  // Notes sit on the grid (12 steps a quarter: 40 ticks) and the meter is written.
  for (const auto& n : piece->tracks[0].notes)
    QCOMPARE(n.startTicks % 40, std::int64_t{0});
  QCOMPARE(piece->timeSignatures.size(), std::size_t{1});
  QCOMPARE(int(piece->timeSignatures[0].numerator), 4);
}

void TestGenerator::gridModelPlaysAtTheCorpusTempo() {
  auto generator = loadModel(m_gridModel);
  QCOMPARE(generator->trainingConfig().corpusTempoBpm, 120.0); // files without a tempo play at 120
  GenerateOptions options;
  QCOMPARE(generator->tempoBpm(options), 120.0);
  options.tempoBpm = 90;
  QCOMPARE(generator->tempoBpm(options), 90.0);
  options.length = {Length::Unit::Seconds, 8};
  const auto piece = generator->generate(options);
  QVERIFY(piece.ok());
  QCOMPARE(piece->tempos.front().microsecondsPerQuarter, std::uint32_t{666667});
  const midi::Score header = generator->header(options);
  QCOMPARE(header.tempos, piece->tempos);
  QCOMPARE(header.tracks.size(), std::size_t{1});
  QVERIFY(header.tracks[0].notes.empty());

  // A corpus of many tempos: each take is written at one of them, drawn by its seed (as its key
  // is), so the takes are as fast or slow as the pieces; a recording's grid uses the median.
  train::Checkpoint checkpoint = *train::readCheckpoint(m_gridModel);
  QCOMPARE(checkpoint.config.corpusTemposBpm, std::vector<double>(checkpoint.config.corpusTemposBpm.size(), 120.0));
  checkpoint.config.corpusTempoBpm = 100;
  checkpoint.config.corpusTemposBpm = {60, 100, 150};
  Result<std::unique_ptr<Generator>> loaded = Generator::fromCheckpoint(checkpoint);
  QVERIFY(loaded.ok());
  const Generator& spread = **loaded;
  QCOMPARE(spread.typicalTempoBpm(), 100.0);
  std::set<double> drawn;
  GenerateOptions seeded;
  for (std::uint64_t seed = 0; seed < 24; ++seed) {
    seeded.seed = seed;
    const double tempo = spread.tempoBpm(seeded);
    QVERIFY2(tempo == 60 || tempo == 100 || tempo == 150, qPrintable(QString::number(tempo)));
    QCOMPARE(spread.tempoBpm(seeded), tempo); // the same seed, the same tempo
    QCOMPARE(spread.header(seeded).tempos.front().microsecondsPerQuarter,
             static_cast<std::uint32_t>(std::llround(60'000'000.0 / tempo)));
    drawn.insert(tempo);
  }
  QCOMPARE(drawn.size(), std::size_t{3});
  seeded.tempoBpm = 90; // the user's tempo wins
  QCOMPARE(spread.tempoBpm(seeded), 90.0);
}

void TestGenerator::primes() {
  midi::Score piece;
  piece.tempos = {{0, 500000}, {1920, 1000000}}; // 120 BPM for 2 s, then 60 BPM
  midi::Track track;
  for (int i = 0; i < 16; ++i)
    track.notes.push_back({i * 480, 240, static_cast<std::uint8_t>(60 + i), 90});
  piece.tracks = {track};
  // Seconds 3..5 are ticks 2400..3360 (the second second of 60 BPM starts at 2400).
  const midi::Score window = excerpt(piece, 3.0, 2.0);
  QCOMPARE(window.noteCount(), std::size_t{2});
  QCOMPARE(window.tracks[0].notes[0].startTicks, std::int64_t{0});
  QCOMPARE(window.tracks[0].notes[0].pitch, std::uint8_t{65});
  QCOMPARE(window.tempos.front().microsecondsPerQuarter, 1000000u);

  const std::vector<midi::Score> pieces = {midi::Score{}, piece};
  const auto a = corpusWindow(pieces, 9, 2.0);
  QVERIFY(a.ok());
  QVERIFY(a->noteCount() > 0);
  QCOMPARE(corpusWindow(pieces, 9, 2.0)->tracks[0].notes, a->tracks[0].notes);
  QVERIFY(!corpusWindow(std::vector<midi::Score>{midi::Score{}}, 1, 2.0).ok());

  const std::vector<midi::Note> selection = {{1000, 100, 64, 80}, {960, 100, 60, 80}};
  const midi::Score fromSelection = scoreFromNotes(selection);
  QCOMPARE(fromSelection.tracks[0].notes[0], (midi::Note{0, 100, 60, 80}));
  QCOMPARE(fromSelection.tracks[0].notes[1], (midi::Note{40, 100, 64, 80}));

  // A corpus window primes a generation.
  auto generator = loadModel(m_model);
  GenerateOptions options;
  options.length = {Length::Unit::Tokens, 50};
  options.prime = *a;
  QVERIFY(generator->generate(options).ok());
}

void TestGenerator::missingOrForeignModel() {
  const auto missing = Generator::load(m_folder.path() / "none.lyrebird");
  QVERIFY(!missing.ok());
  QCOMPARE(missing.error().kind, ErrorKind::NotFound);
  test::writeBytes(m_folder.path() / "song.lyrebird", {'M', 'T', 'h', 'd'});
  const auto foreign = Generator::load(m_folder.path() / "song.lyrebird");
  QVERIFY(!foreign.ok());
  QCOMPARE(foreign.error().kind, ErrorKind::Corrupt);
}

void TestGenerator::lengthParsing() {
  QCOMPARE(Length::parse("30s")->amount, 30.0);
  QCOMPARE(Length::parse("30s")->unit, Length::Unit::Seconds);
  QCOMPARE(Length::parse("16bars")->unit, Length::Unit::Bars);
  QCOMPARE(Length::parse("500 tokens")->unit, Length::Unit::Tokens);
  QCOMPARE(Length::parse("2.5 seconds")->amount, 2.5);
  QVERIFY(!Length::parse("forever").ok());
  QVERIFY(!Length::parse("-3s").ok());
  QVERIFY(!Length::parse("10 minutes").ok());
}

namespace {

/// One 4/4 bar of four quarter notes, `bars` times; at 480 ticks a quarter.
midi::Score figureRepeated(const std::array<int, 4>& figure, int bars) {
  midi::Track track;
  for (int bar = 0; bar < bars; ++bar) {
    for (int beat = 0; beat < 4; ++beat) {
      track.notes.push_back({(bar * 4 + beat) * 480, 480, static_cast<std::uint8_t>(figure[beat]), 80});
    }
  }
  midi::Score score;
  score.tracks = {track};
  return score;
}

} // namespace

void TestGenerator::repeatLabelsCopyAFigureNeverSeen() {
  // Every training piece repeats a figure of its own: what the pieces share is only that they
  // repeat. A network with repeat labels learns that, and so continues a prime's figure in notes
  // it has never seen, bar after bar.
  const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
  SplitMix64 random(11);
  auto figure = [&] {
    std::array<int, 4> f{};
    for (int& p : f)
      p = scale[random.below(8)];
    return f;
  };
  std::vector<midi::Score> scores;
  for (int piece = 0; piece < 24; ++piece)
    scores.push_back(figureRepeated(figure(), 8));
  train::TrainingConfig config = *train::TrainingConfig::fromPreset("default");
  config.autoTokenizer = false;
  config.tokenizer.kind = tokenize::TokenizerConfig::Kind::Grid;
  config.normalizeKeys = false;
  config.autoSize = false;
  config.model.lookback = true;
  config.model.repeatLabels = true;
  config.model.hidden = 32;
  config.model.layers = 1;
  config.model.denseSize = 32;
  config.model.embeddingSize = 16;
  config.model.dropout = 0.0;
  config.sequenceLength = 32;
  config.batch = 8;
  config.epochs = 15;
  config.patience = 0;
  config.learningRate = 1e-2;
  config.transpose = 0;
  config.checkpointEveryMinutes = 0;
  train::TrainingJob job;
  job.config = config;
  job.output = m_folder.path() / "figures.lyrebird";
  train::TrainingControl control;
  const auto outcome = train::runTraining(test::memoryCorpus(std::move(scores)), job, control, {}, {});
  QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
  auto generator = loadModel(job.output);

  // Pitches below every training figure's: a network without the labels would have to have
  // learned to copy each token by itself (and never saw these).
  const std::array<int, 4> fresh = {50, 57, 53, 48};
  GenerateOptions options;
  options.prime = figureRepeated(fresh, 2);
  options.length = {Length::Unit::Bars, 4};
  options.maxRepeatBars = 0; // the network alone, loops allowed
  int copied = 0, bars = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    options.seed = seed;
    const auto piece = generator->generate(options);
    QVERIFY(piece.ok());
    const std::int64_t bar = 4 * tokenize::kDecodedTicksPerQuarter;
    std::map<std::int64_t, std::vector<int>> pitches; // bar -> its pitches in order
    for (const midi::Note& n : piece->tracks[0].notes)
      pitches[n.startTicks / bar].push_back(n.pitch);
    for (const auto& [index, notes] : pitches) {
      ++bars;
      copied += notes == std::vector<int>(fresh.begin(), fresh.end());
    }
  }
  QVERIFY2(bars >= 9, qPrintable(QString::number(bars)));
  QVERIFY2(copied >= bars * 3 / 4, qPrintable(QStringLiteral("%1 of %2 bars copied").arg(copied).arg(bars)));

  // The loop guard: after maxRepeatBars bars repeated token for token the music must vary, so
  // no more than maxRepeatBars + 1 bars in a row are the same (onsets in the bar and pitches),
  // where the network alone repeats the figure through all 8.
  const std::int64_t bar = 4 * tokenize::kDecodedTicksPerQuarter;
  auto longestSameBars = [&](const midi::Score& piece) {
    std::map<std::int64_t, std::vector<std::pair<std::int64_t, int>>> content;
    for (const midi::Note& n : piece.tracks[0].notes)
      content[n.startTicks / bar].emplace_back(n.startTicks % bar, n.pitch);
    int longest = 0, run = 0;
    const std::vector<std::pair<std::int64_t, int>>* previous = nullptr;
    for (const auto& [index, notes] : content) {
      run = previous && *previous == notes ? run + 1 : 1;
      longest = std::max(longest, run);
      previous = &notes;
    }
    return longest;
  };
  options.length = {Length::Unit::Bars, 8};
  int unguarded = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    options.seed = seed;
    options.maxRepeatBars = 0;
    const auto loops = generator->generate(options);
    QVERIFY(loops.ok());
    unguarded = std::max(unguarded, longestSameBars(*loops));
    options.maxRepeatBars = 2;
    const auto varied = generator->generate(options);
    QVERIFY(varied.ok());
    QVERIFY(varied->noteCount() >= 16);
    QVERIFY2(longestSameBars(*varied) <= 3, qPrintable(QString::number(longestSameBars(*varied))));
  }
  QVERIFY2(unguarded >= 5, qPrintable(QString::number(unguarded)));
}

void TestGenerator::noTakeCopiesMoreThan16NotesOfTrainingMusic() {
  // A model file holds the index of every run of 17 pitches of its training files, and the
  // generator never completes one (in any key).
  const Result<train::Checkpoint> saved = train::readCheckpoint(m_gridModel);
  QVERIFY(saved.ok());
  QCOMPARE(saved->copyIndex.notes(), corpus::CopyIndex::kDefaultNotes);
  std::vector<std::vector<int>> music; // every file of the corpus
  for (const corpus::CorpusFile& f : scalesCorpus().files)
    music.push_back(corpus::pitchSequence(*f.score));
  // The six files share their intervals (one scale in six keys), held out or not.
  QCOMPARE(saved->copyIndex.size(), corpus::CopyIndex::build(music).size());
  // The tiny model never gets 17 notes of its scales right in a row, so the guard is shown at
  // work on music it does write: a take's own runs of 6 pitches. Guarded by them, the same seed
  // writes none of them, in any key.
  GenerateOptions options;
  options.length = {Length::Unit::Bars, 24};
  options.maxRepeatBars = 0; // the copy guard alone
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    options.seed = seed;
    train::Checkpoint unguarded = *saved;
    unguarded.copyIndex = {};
    const auto take = (*Generator::fromCheckpoint(std::move(unguarded)))->generate(options);
    QVERIFY(take.ok());
    const std::vector<int> heard = corpus::pitchSequence(*take);
    QVERIFY(heard.size() >= 40);
    train::Checkpoint guarded = *saved;
    guarded.copyIndex = corpus::CopyIndex::build(std::vector<std::vector<int>>{heard}, 6);
    const corpus::CopyIndex& index = guarded.copyIndex;
    QVERIFY(index.containsRunEndingFrom(heard, 0));
    Result<std::unique_ptr<Generator>> loaded = Generator::fromCheckpoint(guarded);
    QVERIFY(loaded.ok());
    Generator& generator = **loaded;
    const auto piece = generator.generate(options);
    QVERIFY(piece.ok());
    QVERIFY2(piece->noteCount() >= 40, qPrintable(QString::number(piece->noteCount())));
    QVERIFY(!index.containsRunEndingFrom(corpus::pitchSequence(*piece), 0));
    options.avoidCopies = false; // and the option turns it off
    QCOMPARE(corpus::pitchSequence(*generator.generate(options)), heard);
    options.avoidCopies = true;
  }
}

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
