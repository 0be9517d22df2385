#include "trainsupport.h"

#include "generate/generator.h"
#include "train/checkpoint.h"
#include "train/torchstate.h"
#include "train/trainer.h"

#include <QtTest>

#include <cmath>

using namespace lyrebird;
using namespace lyrebird::train;
using test::melodyCorpus;
using test::tinyConfig;

/// Fine-tuning (TrainingJob::from, train --from): a run that starts from another model's network.
class TestFineTune : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void startsFromTheBaseWithAFreshRun();
  void theStartIsTheBestUntilTrainingBeatsIt();
  void settingsForAFineTuningRun();
  void anotherShapeIsRefused();
  void noteChordModelsAreRefused();
  void resumeAndFromExcludeEachOther();
  void aMissingBaseIsAnError();
  void anExportIsInTheGeneratorsPrecision();

private:
  test::TempFolder m_folder;
  std::filesystem::path m_base; // a tiny grid model trained on a scale
  Checkpoint m_baseCheckpoint;
};

namespace {

/// Music other than the base's: arpeggios.
corpus::Corpus otherMusic() {
  static const int kArpeggio[] = {60, 64, 67, 72, 67, 64, 60, 55};
  return melodyCorpus(6, 8, 0, kArpeggio);
}

struct FineTuneRun {
  Result<TrainingOutcome> outcome = Error{};
  std::vector<MetricsRecord> records;
  std::filesystem::path startSnapshot; ///< the weights as they were before the first step
};

FineTuneRun fineTune(const corpus::Corpus& corpus, const TrainingConfig& config, const std::filesystem::path& base,
                     const std::filesystem::path& out, bool resume = false) {
  FineTuneRun run;
  TrainingJob job;
  job.config = config;
  job.output = out;
  job.from = base;
  job.resume = resume;
  TrainingControl control;
  run.startSnapshot = out.parent_path() / (out.stem().string() + "-start.lyrebird");
  control.requestSnapshot(run.startSnapshot); // served before the first batch
  TrainingCallbacks callbacks;
  callbacks.metrics = [&run](const MetricsRecord& r) { run.records.push_back(r); };
  run.outcome = runTraining(corpus, job, control, {}, callbacks);
  return run;
}

} // namespace

void TestFineTune::initTestCase() {
  TrainingConfig config = tinyConfig();
  config.epochs = 4;
  TrainingJob job;
  job.config = config;
  job.output = m_folder.path() / "base.lyrebird";
  TrainingControl control;
  const Result<TrainingOutcome> trained = runTraining(melodyCorpus(4, 12), job, control, {}, {});
  QVERIFY2(trained.ok(), trained.ok() ? "" : trained.error().describe().c_str());
  m_base = job.output;
  Result<Checkpoint> read = readCheckpoint(m_base);
  QVERIFY(read.ok());
  m_baseCheckpoint = std::move(read.value());
  QCOMPARE(m_baseCheckpoint.config.tokenizer.kind, tokenize::TokenizerConfig::Kind::Grid);
  QVERIFY(!m_baseCheckpoint.copyIndex.empty());
}

void TestFineTune::startsFromTheBaseWithAFreshRun() {
  const std::string fingerprint = modelFingerprint(m_baseCheckpoint);
  TrainingConfig config = TrainingConfig::fineTuning(m_baseCheckpoint.config, "base", fingerprint);
  config.epochs = 2;
  const auto out = m_folder.path() / "tuned.lyrebird";
  const FineTuneRun run = fineTune(otherMusic(), config, m_base, out);
  QVERIFY2(run.outcome.ok(), run.outcome.ok() ? "" : run.outcome.error().describe().c_str());

  // Before its first step the network is the base's, weight for weight.
  const Result<Checkpoint> start = readCheckpoint(run.startSnapshot);
  QVERIFY(start.ok());
  QVERIFY(start->modelState == m_baseCheckpoint.modelState);
  QCOMPARE(modelFingerprint(*start), fingerprint);

  // A history of its own: it begins where the base stands on this folder, before any step.
  QVERIFY(!run.records.empty());
  QCOMPARE(run.records.front().epoch, 0);
  QCOMPARE(run.records.front().step, std::int64_t{0});
  QCOMPARE(run.records.front().kind, MetricsRecord::Kind::Epoch);
  QVERIFY(std::isfinite(run.records.front().validLoss));
  QVERIFY(std::isfinite(run.records.front().trainLoss));
  const Result<Checkpoint> tuned = readCheckpoint(out);
  QVERIFY(tuned.ok());
  QCOMPARE(tuned->history.size(), run.records.size());
  QCOMPARE(tuned->progress.epochsDone, 2);
  QCOMPARE(tuned->progress.step, run.outcome->steps);
  QVERIFY(tuned->corpusFingerprint != m_baseCheckpoint.corpusFingerprint);

  // It records what it started from, learns at the fine-tuning rate, and has moved on from it.
  QCOMPARE(tuned->config.baseModel, std::string("base"));
  QCOMPARE(tuned->config.baseFingerprint, fingerprint);
  QCOMPARE(tuned->config.learningRate, m_baseCheckpoint.config.learningRate * TrainingConfig::kFineTuneRateFactor);
  QVERIFY(modelFingerprint(*tuned) != fingerprint);
  QVERIFY(tuned->vocabulary.sameTokens(m_baseCheckpoint.vocabulary));

  // Its takes copy neither music: the copy index holds the base's runs and the new folder's.
  QVERIFY(tuned->copyIndex.size() > m_baseCheckpoint.copyIndex.size());
  QCOMPARE(tuned->copyIndex.merged(m_baseCheckpoint.copyIndex), tuned->copyIndex);
}

void TestFineTune::theStartIsTheBestUntilTrainingBeatsIt() {
  TrainingConfig config = TrainingConfig::fineTuning(m_baseCheckpoint.config, "base", "0");
  config.epochs = 1;
  config.learningRate = 1.0; // steps this large make it worse
  const auto out = m_folder.path() / "worse.lyrebird";
  const FineTuneRun run = fineTune(otherMusic(), config, m_base, out);
  QVERIFY2(run.outcome.ok(), run.outcome.ok() ? "" : run.outcome.error().describe().c_str());
  QVERIFY(run.records.back().validLoss > run.records.front().validLoss);
  QCOMPARE(run.outcome->bestValidLoss, run.records.front().validLoss);
  const Result<Checkpoint> best = readCheckpoint(bestCheckpointPath(out));
  QVERIFY(best.ok());
  QVERIFY(best->modelState == m_baseCheckpoint.modelState);
}

void TestFineTune::settingsForAFineTuningRun() {
  TrainingConfig base = tinyConfig();
  base.epochs = 77;
  base.seed = 9;
  base.patience = 12;
  base.maxMinutes = 30;
  base.learningRate = 2e-3;
  base.corpusTempoBpm = 140;
  base.corpusKeys[3] = 5;
  const TrainingConfig c = TrainingConfig::fineTuning(base, "my\nbase", "00ff");
  QCOMPARE(c.model, base.model);
  QCOMPARE(c.tokenizer, base.tokenizer);
  QCOMPARE(c.epochs, TrainingConfig{}.epochs);
  QCOMPARE(c.seed, TrainingConfig{}.seed);
  QCOMPARE(c.patience, TrainingConfig{}.patience);
  QCOMPARE(c.maxMinutes, 0.0);
  QCOMPARE(c.learningRate, 5e-4);
  QCOMPARE(c.corpusTempoBpm, 0.0); // measured again on the new music
  QCOMPARE(c.corpusKeys[3], 0u);
  QVERIFY(!c.autoSize);
  QVERIFY(!c.autoTokenizer);
  QCOMPARE(c.baseModel, std::string("my base")); // one line in the settings text
  QVERIFY(c.canStartFrom(base).ok());
  // The record survives the model file's settings text.
  const Result<TrainingConfig> parsed = TrainingConfig::parse(c.serialize());
  QVERIFY(parsed.ok());
  QCOMPARE(parsed->baseModel, c.baseModel);
  QCOMPARE(parsed->baseFingerprint, std::string("00ff"));
}

void TestFineTune::anotherShapeIsRefused() {
  TrainingConfig config = TrainingConfig::fineTuning(m_baseCheckpoint.config, "base", "0");
  config.model.hidden = 48;
  const FineTuneRun run = fineTune(otherMusic(), config, m_base, m_folder.path() / "wide.lyrebird");
  QVERIFY(!run.outcome.ok());
  QCOMPARE(run.outcome.error().kind, ErrorKind::InvalidArgument);
  QVERIFY2(QString::fromStdString(run.outcome.error().message).contains("1 LSTM layers of 32"),
           run.outcome.error().message.c_str());
  QVERIFY(!std::filesystem::exists(m_folder.path() / "wide.lyrebird"));

  config = TrainingConfig::fineTuning(m_baseCheckpoint.config, "base", "0");
  config.tokenizer.kind = tokenize::TokenizerConfig::Kind::Event;
  const FineTuneRun events = fineTune(otherMusic(), config, m_base, m_folder.path() / "events.lyrebird");
  QVERIFY(!events.outcome.ok());
  QVERIFY(QString::fromStdString(events.outcome.error().message).contains("other tokens (grid"));

  // Dropout changes no weight: allowed.
  config = TrainingConfig::fineTuning(m_baseCheckpoint.config, "base", "0");
  config.model.dropout = 0.4;
  config.epochs = 1;
  QVERIFY(fineTune(otherMusic(), config, m_base, m_folder.path() / "dropout.lyrebird").outcome.ok());
}

void TestFineTune::noteChordModelsAreRefused() {
  TrainingConfig noteChord = *TrainingConfig::fromPreset("seed-single");
  noteChord.model.hidden = 8;
  noteChord.sequenceLength = 8;
  noteChord.batch = 4;
  noteChord.epochs = 1;
  TrainingJob job;
  job.config = noteChord;
  job.output = m_folder.path() / "chords.lyrebird";
  TrainingControl control;
  QVERIFY(runTraining(melodyCorpus(4, 6), job, control, {}, {}).ok());
  const Result<Checkpoint> chords = readCheckpoint(job.output);
  QVERIFY(chords.ok());
  const FineTuneRun run = fineTune(otherMusic(), TrainingConfig::fineTuning(chords->config, "chords", "0"), job.output,
                                   m_folder.path() / "from-chords.lyrebird");
  QVERIFY(!run.outcome.ok());
  QCOMPARE(run.outcome.error().kind, ErrorKind::InvalidArgument);
  QVERIFY(QString::fromStdString(run.outcome.error().message).contains("note-chord"));
}

void TestFineTune::resumeAndFromExcludeEachOther() {
  const FineTuneRun run =
      fineTune(otherMusic(), TrainingConfig::fineTuning(m_baseCheckpoint.config, "base", "0"), m_base, m_base, true);
  QVERIFY(!run.outcome.ok());
  QVERIFY(QString::fromStdString(run.outcome.error().message).contains("not both"));
}

void TestFineTune::aMissingBaseIsAnError() {
  const FineTuneRun run = fineTune(otherMusic(), TrainingConfig::fineTuning(m_baseCheckpoint.config, "base", "0"),
                                   m_folder.path() / "nothing.lyrebird", m_folder.path() / "x.lyrebird");
  QVERIFY(!run.outcome.ok());
  QCOMPARE(run.outcome.error().kind, ErrorKind::NotFound);
}

QTEST_GUILESS_MAIN(TestFineTune)
#include "tst_finetune.moc"

void TestFineTune::anExportIsInTheGeneratorsPrecision() {
  const auto exported = m_folder.path() / "export.lyrebird";
  const Status written = exportForGenerating(m_base, exported);
  QVERIFY2(written.ok(), written.ok() ? "" : written.error().describe().c_str());
  const Result<Checkpoint> read = readCheckpoint(exported);
  QVERIFY(read.ok());
  QVERIFY(read->optimizerState.empty());
  QVERIFY(read->modelState.size() < m_baseCheckpoint.modelState.size());
  // The LSTM matrices rounded to half precision, everything else as it was; read back as float.
  const Result<model::LstmNetwork> original = networkFromCheckpoint(m_baseCheckpoint);
  const Result<model::LstmNetwork> halved = networkFromCheckpoint(*read);
  QVERIFY(original.ok() && halved.ok());
  const auto halvedParameters = (*halved)->named_parameters();
  int matrices = 0;
  for (const auto& item : (*original)->named_parameters()) {
    const torch::Tensor* mine = halvedParameters.find(item.key());
    QVERIFY(mine);
    QCOMPARE(mine->scalar_type(), torch::kFloat);
    const bool matrix =
        item.key().find("weight_ih") != std::string::npos || item.key().find("weight_hh") != std::string::npos;
    matrices += matrix ? 1 : 0;
    const torch::Tensor expected = matrix ? item.value().to(torch::kHalf).to(torch::kFloat) : item.value();
    QVERIFY2(torch::equal(*mine, expected), item.key().c_str());
  }
  QCOMPARE(matrices, 2 * m_baseCheckpoint.config.model.layers);
  // The generator computes with those halves anyway: the same take, note for note.
  generate::GenerateOptions options;
  options.length = generate::Length{generate::Length::Unit::Tokens, 200};
  options.seed = 3;
  Result<std::unique_ptr<generate::Generator>> fromModel = generate::Generator::load(m_base);
  Result<std::unique_ptr<generate::Generator>> fromExport = generate::Generator::load(exported);
  QVERIFY(fromModel.ok() && fromExport.ok());
  const Result<midi::Score> a = (*fromModel)->generate(options);
  const Result<midi::Score> b = (*fromExport)->generate(options);
  QVERIFY(a.ok() && b.ok());
  QVERIFY(a->noteCount() > 0);
  QVERIFY(b->tracks.front().notes == a->tracks.front().notes);
  // And a run can start from it.
  TrainingConfig config = TrainingConfig::fineTuning(read->config, "export", modelFingerprint(*read));
  config.epochs = 1;
  const FineTuneRun run = fineTune(otherMusic(), config, exported, m_folder.path() / "from-export.lyrebird");
  QVERIFY2(run.outcome.ok(), run.outcome.ok() ? "" : run.outcome.error().describe().c_str());
}
