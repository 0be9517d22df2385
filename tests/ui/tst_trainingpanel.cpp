#include "appdata.h"
#include "metricschart.h"
#include "testsupport.h"
#include "trainingpanel.h"

#include "train/checkpoint.h"
#include "train/trainer.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <cmath>

using namespace lyrebird;
using namespace lyrebird::ui;

/// The Training panel's "Start from": the bundled model for small folders, scratch for large
/// ones, any model file, and a fine-tuning run whose curves begin where the model stands.
class TestTrainingPanel : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void smallFoldersStartFromTheBundledModel();
  void largeFoldersLearnFromScratch();
  void aNoteChordModelCannotBeTheStart();
  void aFineTuningRunBeginsWhereItsModelStands();

private:
  test::TempFolder m_folder;
  std::filesystem::path m_tinyBase; // a tiny grid model
};

namespace {

/// `files` pieces of a scale; stats as a loaded folder's, with `notes` notes said to be in it.
std::shared_ptr<const corpus::Corpus> folderOf(int files, std::size_t notes) {
  std::vector<midi::Score> scores;
  for (int f = 0; f < files; ++f) {
    midi::Track track;
    for (int i = 0; i < 96; ++i)
      track.notes.push_back({i * 240, 240, static_cast<std::uint8_t>(60 + (i * 2 + f) % 12), 90});
    midi::Score score;
    score.tracks = {track};
    scores.push_back(std::move(score));
  }
  auto corpus = std::make_shared<corpus::Corpus>(test::memoryCorpus(std::move(scores)));
  corpus->stats.notes = notes;
  return corpus;
}

train::TrainingConfig tinyConfig() {
  train::TrainingConfig c = *train::TrainingConfig::fromPreset("default");
  c.autoSize = false;
  c.model.hidden = 16;
  c.model.layers = 1;
  c.model.denseSize = 16;
  c.model.embeddingSize = 8;
  c.sequenceLength = 16;
  c.batch = 4;
  c.epochs = 1;
  c.metricsEveryBatches = 2;
  return c;
}

} // namespace

void TestTrainingPanel::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY2(!bundledModelPath().isEmpty(), "the source tree's resources/demo/demo.lyrebird");
  train::TrainingJob job;
  job.config = tinyConfig();
  job.output = m_folder.path() / "tiny.lyrebird";
  train::TrainingControl control;
  QVERIFY(train::runTraining(*folderOf(4, 384), job, control, {}, {}).ok());
  m_tinyBase = job.output;
}

void TestTrainingPanel::smallFoldersStartFromTheBundledModel() {
  TrainingPanel panel;
  auto* startFrom = panel.findChild<QComboBox*>(QStringLiteral("startFrom"));
  auto* preset = panel.findChild<QComboBox*>(QStringLiteral("preset"));
  auto* hidden = panel.findChild<QSpinBox*>(QStringLiteral("hidden"));
  QVERIFY(startFrom && preset && hidden);
  QVERIFY(panel.startFrom().isEmpty()); // nothing to shape yet

  panel.setCorpus(folderOf(3, TrainingPanel::kStartFromBundledBelowNotes - 1), QStringLiteral("songs"));
  const QString bundled = bundledModelPath();
  QCOMPARE(panel.startFrom(), bundled);
  QCOMPARE(startFrom->currentData().toString(), bundled);
  const Result<train::Checkpoint> model = train::readCheckpoint(bundled.toStdString());
  QVERIFY(model.ok());
  // The form shows the model's network, which cannot change, and the fine-tuning settings.
  const train::TrainingConfig config = panel.config();
  QCOMPARE(config.baseModel, std::string("demo"));
  QCOMPARE(config.baseFingerprint, train::modelFingerprint(*model));
  QVERIFY(config.canStartFrom(model->config).ok());
  QCOMPARE(config.learningRate, model->config.learningRate * train::TrainingConfig::kFineTuneRateFactor);
  QCOMPARE(hidden->value(), model->config.model.hidden);
  QVERIFY(!hidden->isEnabled());
  QVERIFY(!preset->isEnabled());
  QVERIFY(panel.modelPath().endsWith(QStringLiteral("songs-from-demo.lyrebird")));

  // Learning from scratch gives the preset's form back.
  startFrom->setCurrentIndex(startFrom->findData(QString()));
  QVERIFY(panel.startFrom().isEmpty());
  QVERIFY(preset->isEnabled());
  QVERIFY(panel.config().baseModel.empty());
  QVERIFY(panel.config().autoSize);
  QVERIFY(panel.modelPath().endsWith(QStringLiteral("songs-default.lyrebird")));
}

void TestTrainingPanel::largeFoldersLearnFromScratch() {
  TrainingPanel panel;
  panel.setCorpus(folderOf(3, TrainingPanel::kStartFromBundledBelowNotes), QStringLiteral("big"));
  QVERIFY(panel.startFrom().isEmpty());
  QVERIFY(panel.config().baseModel.empty());
  // So do recorded performances (off the beat grid: event tokens, which the bundled model does not know).
  std::vector<midi::Score> played(3);
  for (midi::Score& score : played) {
    score.tracks.resize(1);
    for (int i = 0; i < 96; ++i)
      score.tracks[0].notes.push_back({i * 233 + (i * 37) % 101, 200, static_cast<std::uint8_t>(60 + i % 12), 90});
  }
  panel.setCorpus(std::make_shared<corpus::Corpus>(test::memoryCorpus(std::move(played))), QStringLiteral("played"));
  QVERIFY(panel.startFrom().isEmpty());
}

void TestTrainingPanel::aNoteChordModelCannotBeTheStart() {
  train::TrainingJob job;
  job.config = *train::TrainingConfig::fromPreset("seed-single");
  job.config.model.hidden = 8;
  job.config.sequenceLength = 8;
  job.config.epochs = 1;
  job.output = m_folder.path() / "chords.lyrebird";
  train::TrainingControl control;
  QVERIFY(train::runTraining(*folderOf(3, 288), job, control, {}, {}).ok());

  TrainingPanel panel;
  panel.setCorpus(folderOf(3, 10), QStringLiteral("songs"));
  QVERIFY(!panel.setStartFrom(QString::fromStdString(job.output.string())));
  QCOMPARE(panel.startFrom(), bundledModelPath()); // the choice before stays
  auto* status = panel.findChild<QLabel*>(QStringLiteral("trainingStatus"));
  QVERIFY(status && status->text().contains(QStringLiteral("note-chord")));
  QVERIFY(!panel.setStartFrom(QString::fromStdString((m_folder.path() / "none.lyrebird").string())));
}

void TestTrainingPanel::aFineTuningRunBeginsWhereItsModelStands() {
  TrainingPanel panel;
  panel.setCorpus(folderOf(5, 480), QStringLiteral("songs"));
  const QString base = QString::fromStdString(m_tinyBase.string());
  QVERIFY(panel.setStartFrom(base));
  auto* startFrom = panel.findChild<QComboBox*>(QStringLiteral("startFrom"));
  QCOMPARE(startFrom->currentText(), QStringLiteral("tiny.lyrebird")); // listed by its name
  const QString out = QString::fromStdString((m_folder.path() / "tuned.lyrebird").string());
  panel.setModelPath(out);
  QSignalSpy finished(&panel, &TrainingPanel::finished);
  QSignalSpy logged(&panel, &TrainingPanel::logMessage);
  panel.start();
  QVERIFY(finished.wait(60000));
  QVERIFY2(finished.at(0).at(1).toString().isEmpty(), qPrintable(finished.at(0).at(1).toString()));
  const Result<train::Checkpoint> tuned = train::readCheckpoint(out.toStdString());
  QVERIFY(tuned.ok());
  QCOMPARE(tuned->config.baseModel, std::string("tiny"));
  // The curves start before the first step, at the model's loss on this folder.
  QVERIFY(!tuned->history.empty());
  QCOMPARE(tuned->history.front().step, std::int64_t{0});
  QCOMPARE(tuned->history.front().epoch, 0);
  QTRY_VERIFY(panel.chart()->pointCount() > 0);
  // Generate gets the run's best model (its lowest validation loss), not the weights it ended
  // with; the status line says which file that is.
  const QString best = QString::fromStdString(train::bestCheckpointPath(out.toStdString()).string());
  QCOMPARE(finished.at(0).at(0).toString(), best);
  const Result<train::Checkpoint> bestModel = train::readCheckpoint(best.toStdString());
  QVERIFY(bestModel.ok());
  double lowest = INFINITY;
  for (const train::MetricsRecord& r : tuned->history) {
    if (!std::isnan(r.validLoss)) lowest = std::min(lowest, r.validLoss);
  }
  QVERIFY2(std::abs(bestModel->progress.bestValidLoss - lowest) < 1e-6,
           qPrintable(QStringLiteral("%1 against %2").arg(bestModel->progress.bestValidLoss).arg(lowest)));
  auto* status = panel.findChild<QLabel*>(QStringLiteral("trainingStatus"));
  QVERIFY2(status && status->text().contains(QFileInfo(best).fileName()), qPrintable(status->text()));
  // Before it is handed on, that model's repeat setting was measured on this folder's music,
  // saved in it and said in the log.
  QVERIFY(bestModel->sampling.has_value());
  bool said = false;
  for (const QList<QVariant>& line : logged)
    said = said || line.at(0).toString().contains(
                       QStringLiteral("Repeat ↔ vary for this model: %1").arg(bestModel->sampling->repeat, 0, 'f', 2));
  QVERIFY(said);
}

QTEST_MAIN(TestTrainingPanel)
#include "tst_trainingpanel.moc"
