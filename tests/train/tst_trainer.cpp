#include "testsupport.h"
#include "trainsupport.h"

#include "tokenize/gridtokenizer.h"
#include "train/batching.h"
#include "train/dataset.h"
#include "train/trainer.h"

#include <QRegularExpression>
#include <QtTest>

#include <algorithm>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

using namespace lyrebird;
using namespace lyrebird::train;
using test::melodyCorpus;
using test::tinyConfig;

class TestTrainer : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void tinyModelMemorizesAShortSequence();
  void noFileInBothSplits();
  void fingerprintFollowsTheMusic();
  void sameSeedSameCurve();
  void resumeGivesTheSameNextBatches();
  void stopsWithinOneBatchAndSaves();
  void pauseAndResume();
  void damagedOrForeignResumeFileIsAnError();
  void resumingOnOtherMusicIsRefused();
  void corpusTooShortForAWindow();
  void seedPresetTrainsOnNoteChordTokens();
  void automaticTranspositionIsChosenAndRecorded();
  void repeatLabelsStandForWhatTheBarBeforeHad();
  void progressAfterEveryBatchAndChartPointsEveryEpoch();
  void snapshotForGeneratingWithoutStopping();
};

namespace {

struct Recorded {
  std::vector<MetricsRecord> records;
  std::vector<BatchProgress> progress;
  TrainingCallbacks callbacks() {
    TrainingCallbacks cb;
    cb.metrics = [this](const MetricsRecord& r) { records.push_back(r); };
    cb.progress = [this](const BatchProgress& p) { progress.push_back(p); };
    return cb;
  }
  std::vector<double> batchLosses(int epoch = -1) const {
    std::vector<double> out;
    for (const MetricsRecord& r : records) {
      if (r.kind == MetricsRecord::Kind::Batches && (epoch < 0 || r.epoch == epoch)) out.push_back(r.trainLoss);
    }
    return out;
  }
};

Result<TrainingOutcome> trainRun(const corpus::Corpus& corpus, const TrainingConfig& config,
                                 const std::filesystem::path& out, Recorded& recorded, bool resume = false,
                                 std::stop_token stop = {}) {
  TrainingJob job;
  job.config = config;
  job.output = out;
  job.resume = resume;
  TrainingControl control;
  return runTraining(corpus, job, control, std::move(stop), recorded.callbacks());
}

} // namespace

void TestTrainer::tinyModelMemorizesAShortSequence() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(4, 12);
  TrainingConfig config = tinyConfig();
  config.epochs = 60;
  config.validFraction = 0.0;
  Recorded recorded;
  const auto outcome = trainRun(corpus, config, folder.path() / "m.lyrebird", recorded);
  QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
  const MetricsRecord& last = recorded.records.back();
  QCOMPARE(last.kind, MetricsRecord::Kind::Epoch);
  QVERIFY2(last.trainLoss < 0.1, qPrintable(QString::number(last.trainLoss)));
  QVERIFY(last.trainAccuracy > 0.95);
  QVERIFY(std::filesystem::exists(folder.path() / "m.lyrebird"));
  QVERIFY(std::filesystem::exists(folder.path() / "m.best.lyrebird"));
  const Result<Checkpoint> saved = readCheckpoint(folder.path() / "m.lyrebird");
  QVERIFY(saved.ok());
  QCOMPARE(saved->progress.epochsDone, 60);
  QCOMPARE(saved->history.size(), recorded.records.size());
}

void TestTrainer::noFileInBothSplits() {
  const corpus::Corpus corpus = melodyCorpus(20, 4);
  const Result<TokenDataset> data = TokenDataset::build(corpus, tinyConfig());
  QVERIFY(data.ok());
  const std::set<std::string> trained(data->trainFiles().begin(), data->trainFiles().end());
  const std::set<std::string> valid(data->validFiles().begin(), data->validFiles().end());
  QCOMPARE(trained.size() + valid.size(), std::size_t{20});
  QCOMPARE(valid.size(), std::size_t{5});
  for (const std::string& f : valid)
    QVERIFY(!trained.count(f));
  // Windows never cross pieces, and each epoch visits the same windows in a new order.
  const auto first = data->trainWindows(1, 1);
  const auto second = data->trainWindows(1, 2);
  QVERIFY(!first.empty());
  for (const Window& w : first) {
    QVERIFY(w.start + 16 + 1 <= data->trainPieces()[w.piece].size());
  }
  QCOMPARE(data->trainWindows(1, 1).size(), first.size());
  QVERIFY(first.front().start != second.front().start || first.front().piece != second.front().piece ||
          first.back().piece != second.back().piece);
}

void TestTrainer::fingerprintFollowsTheMusic() {
  const corpus::Corpus corpus = melodyCorpus(8, 4, 1);
  const Result<TokenDataset> data = TokenDataset::build(corpus, tinyConfig());
  QVERIFY(data.ok());
  const std::string& print = data->fingerprint();
  QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{16} train=\\d+ valid=\\d+$"))
               .match(QString::fromStdString(print))
               .hasMatch(),
           print.c_str());
  // The same music gives the same fingerprint, build after build.
  QCOMPARE(TokenDataset::build(corpus, tinyConfig())->fingerprint(), print);
  // One note changed, or one file renamed: another fingerprint (a resumed run would refuse it).
  corpus::Corpus changed = corpus;
  changed.files[3].score->tracks[0].notes[5].pitch += 2;
  QVERIFY(TokenDataset::build(changed, tinyConfig())->fingerprint() != print);
  corpus::Corpus renamed = corpus;
  renamed.files[3].relativePath = "other.mid";
  QVERIFY(TokenDataset::build(renamed, tinyConfig())->fingerprint() != print);
}

void TestTrainer::sameSeedSameCurve() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(6, 6, 2);
  TrainingConfig config = tinyConfig();
  config.model.dropout = 0.3;
  config.transpose = 2;
  Recorded a;
  Recorded b;
  Recorded other;
  QVERIFY(trainRun(corpus, config, folder.path() / "a.lyrebird", a).ok());
  QVERIFY(trainRun(corpus, config, folder.path() / "b.lyrebird", b).ok());
  QCOMPARE(a.batchLosses(), b.batchLosses());
  config.seed = 99;
  QVERIFY(trainRun(corpus, config, folder.path() / "c.lyrebird", other).ok());
  QVERIFY(other.batchLosses() != a.batchLosses());
}

void TestTrainer::resumeGivesTheSameNextBatches() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(6, 6, 2);
  TrainingConfig config = tinyConfig();
  config.model.dropout = 0.3; // resumption must restore the dropout generator too
  config.transpose = 2;
  config.epochs = 2;
  Recorded straight;
  QVERIFY(trainRun(corpus, config, folder.path() / "straight.lyrebird", straight).ok());

  config.epochs = 1;
  Recorded first;
  QVERIFY(trainRun(corpus, config, folder.path() / "split.lyrebird", first).ok());
  config.epochs = 2;
  Recorded second;
  const auto resumed = trainRun(corpus, config, folder.path() / "split.lyrebird", second, true);
  QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().describe().c_str());
  QCOMPARE(resumed->epochsDone, 2);
  QVERIFY(!second.batchLosses(2).empty());
  QCOMPARE(second.batchLosses(2), straight.batchLosses(2));
  // The saved history continues the same curve.
  const Result<Checkpoint> saved = readCheckpoint(folder.path() / "split.lyrebird");
  QVERIFY(saved.ok());
  QCOMPARE(saved->history.size(), straight.records.size());
}

void TestTrainer::stopsWithinOneBatchAndSaves() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(6, 12);
  TrainingConfig config = tinyConfig();
  std::stop_source stop;
  Recorded recorded;
  TrainingJob job;
  job.config = config;
  job.output = folder.path() / "s.lyrebird";
  TrainingControl control;
  TrainingCallbacks callbacks;
  callbacks.metrics = [&](const MetricsRecord& r) {
    recorded.records.push_back(r);
    if (r.step == 2) stop.request_stop();
  };
  const auto outcome = runTraining(corpus, job, control, stop.get_token(), callbacks);
  QVERIFY(outcome.ok());
  QVERIFY(outcome->cancelled);
  QCOMPARE(outcome->steps, std::int64_t{2});
  const Result<Checkpoint> saved = readCheckpoint(job.output);
  QVERIFY(saved.ok());
  QCOMPARE(saved->progress.step, std::int64_t{2});
  QCOMPARE(saved->progress.batchInEpoch, std::int64_t{2});
  // And it picks up from there.
  Recorded rest;
  const auto resumed = trainRun(corpus, config, job.output, rest, true);
  QVERIFY(resumed.ok());
  QCOMPARE(rest.records.front().step, std::int64_t{3});
  QCOMPARE(resumed->epochsDone, config.epochs);
}

void TestTrainer::pauseAndResume() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(6, 6);
  TrainingConfig config = tinyConfig();
  config.epochs = 1;
  TrainingJob job;
  job.config = config;
  job.output = folder.path() / "p.lyrebird";
  TrainingControl control;
  TrainingCallbacks callbacks;
  bool paused = false;
  std::jthread resumer;
  callbacks.metrics = [&](const MetricsRecord& r) {
    if (r.step == 1 && !paused) {
      paused = true;
      control.pause();
      resumer = std::jthread([&control] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        control.resume();
      });
    }
  };
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = runTraining(corpus, job, control, {}, callbacks);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  QVERIFY(outcome.ok());
  QVERIFY(paused);
  QVERIFY(wall >= 0.3);
  const Result<Checkpoint> saved = readCheckpoint(job.output);
  QVERIFY(saved.ok());
  QVERIFY2(saved->progress.elapsedSeconds < wall - 0.25, "paused time is not training time");
}

void TestTrainer::damagedOrForeignResumeFileIsAnError() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(4, 6);
  test::writeBytes(folder.path() / "x.lyrebird", {'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'e', 'l'});
  Recorded recorded;
  const auto foreign = trainRun(corpus, tinyConfig(), folder.path() / "x.lyrebird", recorded, true);
  QVERIFY(!foreign.ok());
  QCOMPARE(foreign.error().kind, ErrorKind::Corrupt);

  QVERIFY(trainRun(corpus, tinyConfig(), folder.path() / "ok.lyrebird", recorded).ok());
  test::Bytes bytes = test::readBytes(folder.path() / "ok.lyrebird");
  bytes.resize(bytes.size() / 2);
  test::writeBytes(folder.path() / "half.lyrebird", bytes);
  const auto truncated = trainRun(corpus, tinyConfig(), folder.path() / "half.lyrebird", recorded, true);
  QVERIFY(!truncated.ok());
  QCOMPARE(truncated.error().kind, ErrorKind::Truncated);
  const auto missing = trainRun(corpus, tinyConfig(), folder.path() / "none.lyrebird", recorded, true);
  QVERIFY(!missing.ok());
  QCOMPARE(missing.error().kind, ErrorKind::NotFound);
}

void TestTrainer::resumingOnOtherMusicIsRefused() {
  test::TempFolder folder;
  Recorded recorded;
  QVERIFY(trainRun(melodyCorpus(4, 6), tinyConfig(), folder.path() / "m.lyrebird", recorded).ok());
  TrainingConfig more = tinyConfig();
  more.epochs = 5;
  const auto other = trainRun(melodyCorpus(5, 6), more, folder.path() / "m.lyrebird", recorded, true);
  QVERIFY(!other.ok());
  QVERIFY(QString::fromStdString(other.error().message).contains(u"different music"));
}

void TestTrainer::corpusTooShortForAWindow() {
  Recorded recorded;
  test::TempFolder folder;
  TrainingConfig config = tinyConfig();
  config.sequenceLength = 5000;
  const auto outcome = trainRun(melodyCorpus(3, 2), config, folder.path() / "m.lyrebird", recorded);
  QVERIFY(!outcome.ok());
  QVERIFY(QString::fromStdString(outcome.error().message).contains(u"long enough"));
  const auto empty = trainRun(corpus::Corpus{}, tinyConfig(), folder.path() / "m.lyrebird", recorded);
  QVERIFY(!empty.ok());
  QVERIFY(!std::filesystem::exists(folder.path() / "m.lyrebird"));
}

void TestTrainer::seedPresetTrainsOnNoteChordTokens() {
  test::TempFolder folder;
  TrainingConfig config = *TrainingConfig::fromPreset("seed-stacked");
  config.model.hidden = 16;
  config.sequenceLength = 10;
  config.batch = 16;
  config.epochs = 1;
  config.validFraction = 0.25;
  Recorded recorded;
  const auto outcome = trainRun(melodyCorpus(4, 6, 1), config, folder.path() / "seed.lyrebird", recorded);
  QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
  const Result<Checkpoint> saved = readCheckpoint(folder.path() / "seed.lyrebird");
  QVERIFY(saved.ok());
  QCOMPARE(saved->config.tokenizer.kind, tokenize::TokenizerConfig::Kind::NoteChord);
  // Vocabulary: the single pitches of the training files' melodies (plus <unk>).
  QVERIFY(saved->vocabulary.size() > 5 && saved->vocabulary.size() < 20);
  QCOMPARE(saved->config.model.vocabularySize, static_cast<int>(saved->vocabulary.size()));
  // One target per window: 4 files * 48 onsets, a quarter for validation.
  QVERIFY(recorded.records.back().validLoss > 0);
}

void TestTrainer::automaticTranspositionIsChosenAndRecorded() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(4, 4); // a few hundred tokens: a small folder
  TrainingConfig config = tinyConfig();
  config.epochs = 1;
  config.transpose = TrainingConfig::kTransposeAuto;
  config.normalizeKeys = false; // keys as they come: a small folder is transposed
  Recorded recorded;
  std::vector<std::string> lines;
  TrainingJob job;
  job.config = config;
  job.output = folder.path() / "auto.lyrebird";
  TrainingControl control;
  TrainingCallbacks callbacks = recorded.callbacks();
  callbacks.log = [&lines](const std::string& line) { lines.push_back(line); };
  const auto outcome = runTraining(corpus, job, control, {}, callbacks);
  QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
  // The choice is said, and the model file records it (resuming and generating read it back).
  QVERIFY(std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("Transposition: each window by a random +-3 semitones (automatic") != std::string::npos;
  }));
  const Result<Checkpoint> saved = readCheckpoint(job.output);
  QVERIFY(saved.ok());
  QCOMPARE(saved->config.transpose, 3);

  // In normalized keys nothing is transposed; the tokenizer choice and the corpus's keys and
  // tempo are said or recorded too.
  job.config.normalizeKeys = true;
  job.config.autoTokenizer = true;
  job.output = folder.path() / "normalized.lyrebird";
  lines.clear();
  const auto normalized = runTraining(corpus, job, control, {}, callbacks);
  QVERIFY2(normalized.ok(), normalized.ok() ? "" : normalized.error().describe().c_str());
  auto said = [&lines](const char* text) {
    return std::any_of(lines.begin(), lines.end(),
                       [text](const std::string& line) { return line.find(text) != std::string::npos; });
  };
  QVERIFY(said("Transposition: none (automatic: the music is learned in one key)"));
  QVERIFY(said("Tokens: grid (metrical music: 100.0% of the onsets"));
  QVERIFY(said("Keys: every piece is learned moved to C major or A minor"));
  const Result<Checkpoint> keyed = readCheckpoint(job.output);
  QVERIFY(keyed.ok());
  QCOMPARE(keyed->config.transpose, 0);
  QCOMPARE(keyed->config.tokenizer.kind, tokenize::TokenizerConfig::Kind::Grid);
  // Grid tokens with lookback: the network reads the bar clock, sized to the tokenizer's meters and bars.
  QCOMPARE(keyed->config.model.clockMeters, static_cast<int>(tokenize::GridTokenizer::kMeters) + 1);
  QCOMPARE(keyed->config.model.clockSteps,
           tokenize::GridTokenizer::kMaxBarQuarters * keyed->config.tokenizer.gridResolution + 1);
  std::uint32_t pieces = 0;
  for (std::uint32_t n : keyed->config.corpusKeys)
    pieces += n;
  QVERIFY(pieces >= 2 && pieces <= 4);           // the training files (one or two are held out)
  QCOMPARE(keyed->config.corpusKeys[0], pieces); // all in C major
  QVERIFY(keyed->config.corpusTempoBpm > 0);
  // The spread of the training pieces' tempos: one quantile a piece when there are few.
  const std::vector<double>& tempos = keyed->config.corpusTemposBpm;
  QCOMPARE(tempos.size(), std::size_t{pieces});
  QVERIFY(std::is_sorted(tempos.begin(), tempos.end()));
  QVERIFY(tempos.front() > 0);
}

void TestTrainer::repeatLabelsStandForWhatTheBarBeforeHad() {
  // One bar of eighths, played 12 times: from the second bar on, each token is what followed
  // its place one bar back.
  const corpus::Corpus corpus = melodyCorpus(2, 12);
  TrainingConfig config = tinyConfig();
  config.validFraction = 0.0;
  config.autoTokenizer = false;
  config.model.repeatLabels = true;
  config.model.vocabularySize = 0; // set from the vocabulary, as the trainer does
  const Result<TokenDataset> data = TokenDataset::build(corpus, config, nullptr);
  QVERIFY2(data.ok(), data.ok() ? "" : data.error().describe().c_str());
  config.model.vocabularySize = static_cast<int>(data->vocabulary().size());
  const std::vector<std::vector<tokenize::TokenId>>& pieces = data->trainPieces();
  QVERIFY(pieces.front().size() > 3 * static_cast<std::size_t>(config.sequenceLength));
  // A window from the piece's start, and one from its middle.
  const std::vector<Window> windows = {{0, 0}, {0, static_cast<std::uint32_t>(pieces.front().size() / 2)}};
  const Batch labelled = makeBatch(*data, pieces, data->trainLookback(), windows, config, nullptr);
  config.model.repeatLabels = false;
  const Batch plain = makeBatch(*data, pieces, data->trainLookback(), windows, config, nullptr);
  QCOMPARE(labelled.lookback.size(2), static_cast<std::int64_t>(model::kLookbackChannels));
  const std::int64_t v = config.model.vocabularySize, t = config.sequenceLength;
  for (std::int64_t j = 0; j < t; ++j) {
    const std::int64_t token = plain.targets[1][j].item<std::int64_t>();
    const std::int64_t label = labelled.targets[1][j].item<std::int64_t>();
    QVERIFY(token > 0 && token < v);                                  // without labels, the tokens themselves
    QCOMPARE(label, v);                                               // mid-piece every token repeats the bar before
    QCOMPARE(labelled.lookback[1][j][0].item<std::int64_t>(), token); // ... which the input names
    if (j > 0) QCOMPARE(labelled.lookback[1][j][2].item<std::int64_t>(), std::int64_t{3}); // repeating both bars
  }
  // The bar clock: every window's first token here is a bar line, so every token knows its bar's
  // meter (a bar token names it) and how many steps are left to the next bar line.
  const tokenize::Tokenizer& tokens = data->tokenizer();
  for (std::int64_t i = 0; i < 2; ++i) {
    for (std::int64_t j = 0; j < t; ++j) {
      const std::int64_t meter = labelled.lookback[i][j][3].item<std::int64_t>();
      const std::int64_t left = labelled.lookback[i][j][4].item<std::int64_t>();
      const int named = tokens.barMeter(static_cast<tokenize::TokenId>(labelled.inputs[i][j].item<std::int64_t>()));
      QVERIFY(meter > 0 && left > 0);
      if (named >= 0) QCOMPARE(meter, std::int64_t{named + 1});
    }
  }
  // The first bar has nothing before it: its tokens are learned as themselves.
  QCOMPARE(labelled.targets[0][0].item<std::int64_t>(), plain.targets[0][0].item<std::int64_t>());
  QVERIFY(labelled.targets[0][0].item<std::int64_t>() < v);
}

void TestTrainer::progressAfterEveryBatchAndChartPointsEveryEpoch() {
  // The metrics interval shrinks with short epochs: 10 points an epoch, never more than asked.
  QCOMPARE(metricsInterval(20, 33), std::int64_t{3});
  QCOMPARE(metricsInterval(20, 5000), std::int64_t{20});
  QCOMPARE(metricsInterval(20, 4), std::int64_t{1});
  QCOMPARE(metricsInterval(2, 100), std::int64_t{2});

  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(4, 12);
  TrainingConfig config = tinyConfig();
  config.epochs = 2;
  config.validFraction = 0.0;
  config.metricsEveryBatches = 20; // the default: more than a tiny epoch has
  Recorded recorded;
  const auto outcome = trainRun(corpus, config, folder.path() / "m.lyrebird", recorded);
  QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
  const std::vector<BatchProgress>& progress = recorded.progress;
  // One report a batch, in order, each with a rate and a time left that falls to 0.
  QCOMPARE(static_cast<std::int64_t>(progress.size()), outcome->steps);
  const std::int64_t batches = progress.front().batchesInEpoch;
  QVERIFY(batches >= 10);
  for (std::size_t i = 0; i < progress.size(); ++i) {
    const BatchProgress& p = progress[i];
    QCOMPARE(p.step, static_cast<std::int64_t>(i + 1));
    QCOMPARE(p.epoch, static_cast<int>(i / static_cast<std::size_t>(batches)) + 1);
    QCOMPARE(p.batchInEpoch, static_cast<std::int64_t>(i % static_cast<std::size_t>(batches)) + 1);
    QVERIFY(p.tokensPerSecond > 0);
    QVERIFY(std::isfinite(p.loss));
    if (i + 1 < progress.size()) QVERIFY(p.etaSeconds > 0);
  }
  QCOMPARE(progress.back().etaSeconds, 0.0);
  // The chart gets at least 10 training points an epoch although 20 batches were asked between two.
  for (int epoch = 1; epoch <= 2; ++epoch) {
    const std::size_t points = recorded.batchLosses(epoch).size();
    QVERIFY2(points >= 10, qPrintable(QString::number(points)));
  }
}

void TestTrainer::snapshotForGeneratingWithoutStopping() {
  test::TempFolder folder;
  const corpus::Corpus corpus = melodyCorpus(4, 12);
  TrainingConfig config = tinyConfig();
  config.epochs = 2;
  config.validFraction = 0.0;
  TrainingControl control;
  control.pause(); // the run waits before its first batch
  std::mutex mutex;
  std::condition_variable written;
  std::vector<std::pair<std::filesystem::path, std::string>> snapshots;
  std::atomic<std::int64_t> batches{0};
  TrainingCallbacks callbacks;
  callbacks.progress = [&batches](const BatchProgress&) { ++batches; };
  callbacks.snapshot = [&](const std::filesystem::path& path, const std::string& error) {
    const std::lock_guard lock(mutex);
    snapshots.emplace_back(path, error);
    written.notify_all();
  };
  TrainingJob job;
  job.config = config;
  job.output = folder.path() / "m.lyrebird";
  std::optional<Result<TrainingOutcome>> outcome;
  std::jthread worker(
      [&](std::stop_token stop) { outcome.emplace(runTraining(corpus, job, control, stop, callbacks)); });

  // Asked while paused: written at once, and the run stays paused.
  const std::filesystem::path snapshot = folder.path() / "snapshot.lyrebird";
  control.requestSnapshot(snapshot);
  {
    std::unique_lock lock(mutex);
    QVERIFY(written.wait_for(lock, std::chrono::seconds(60), [&] { return !snapshots.empty(); }));
    QCOMPARE(snapshots.front().first, snapshot);
    QVERIFY2(snapshots.front().second.empty(), snapshots.front().second.c_str());
  }
  QCOMPARE(batches.load(), std::int64_t{0});
  const Result<Checkpoint> read = readCheckpoint(snapshot);
  QVERIFY2(read.ok(), read.ok() ? "" : read.error().describe().c_str());
  QVERIFY(!read->modelState.empty());
  QVERIFY(read->optimizerState.empty()); // for generating, as an export
  QCOMPARE(read->progress.step, std::int64_t{0});

  // The run goes on to its end, one snapshot written and no other.
  control.resume();
  worker.join();
  QVERIFY(outcome && outcome->ok());
  QCOMPARE(batches.load(), (*outcome)->steps);
  QCOMPARE(snapshots.size(), std::size_t{1});
  // Without a run, the request waits for none: a new run serves it before its first batch.
  TrainingControl fresh;
  const std::filesystem::path early = folder.path() / "early.lyrebird";
  fresh.requestSnapshot(early);
  job.output = folder.path() / "n.lyrebird";
  QVERIFY(runTraining(corpus, job, fresh, {}, callbacks).ok());
  QCOMPARE(snapshots.size(), std::size_t{2});
  QVERIFY(readCheckpoint(early).ok());
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
