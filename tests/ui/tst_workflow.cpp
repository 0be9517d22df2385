#include "appdata.h"
#include "corpuspanel.h"
#include "generatepanel.h"
#include "mainwindow.h"
#include "metricschart.h"
#include "notedocument.h"
#include "testsupport.h"
#include "trainingpanel.h"

#include "midi/smfwriter.h"
#include "train/trainer.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::ui;

// The whole path a user takes, driven through the real main window: load a folder, train
// one epoch of a tiny model and watch chart points arrive, generate a take that streams
// into the piano roll, and cancel a load.
class TestWorkflow : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void loadTrainGenerate();
  void cancelALoad();

private:
  test::TempFolder m_folder;
};

void TestWorkflow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("LyrebirdTest"));
  QCoreApplication::setApplicationName(QStringLiteral("tst_workflow"));
  QSettings().clear();
}

void TestWorkflow::loadTrainGenerate() {
  const auto corpusDir = m_folder.path() / "corpus";
  std::filesystem::create_directories(corpusDir);
  const int melody[] = {60, 62, 64, 65, 67, 65, 64, 62};
  for (int f = 0; f < 5; ++f) {
    midi::Score score;
    midi::Track track;
    for (int i = 0; i < 96; ++i)
      track.notes.push_back({i * 240, 220, static_cast<std::uint8_t>(melody[i % 8] + f), 90});
    score.tracks = {track};
    QVERIFY(midi::writeSmfFile(score, corpusDir / ("piece" + std::to_string(f) + ".mid")).ok());
  }
  test::writeBytes(corpusDir / "broken.mid", {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1});

  MainWindow window;
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  // A first start opens the bundled demo corpus (and model); let that finish.
  QTRY_VERIFY_WITH_TIMEOUT(!window.corpusPanel()->isLoading(), 30000);

  // Load the folder.
  QSignalSpy loaded(window.corpusPanel(), &CorpusPanel::loaded);
  window.corpusPanel()->load(QString::fromStdString(corpusDir.string()));
  QVERIFY(loaded.wait(30000));
  QCOMPARE(window.corpusPanel()->table()->model()->rowCount(), 6);
  QCOMPARE(window.corpusPanel()->corpus()->stats.failed, std::size_t{1});

  // Train one epoch of a tiny model; measure how late a 10 ms GUI timer fires meanwhile.
  TrainingPanel* training = window.trainingPanel();
  // A folder this small starts from the bundled model by default (tst_trainingpanel); this one learns from scratch.
  QCOMPARE(training->startFrom(), bundledModelPath());
  QVERIFY(training->setStartFrom(QString()));
  train::TrainingConfig config = *train::TrainingConfig::fromPreset("default");
  config.autoSize = false; // the tiny network below, not one sized to the music
  config.model.hidden = 16;
  config.model.layers = 1;
  config.model.denseSize = 16;
  config.model.embeddingSize = 8;
  config.sequenceLength = 16;
  config.batch = 4;
  config.epochs = 1;
  config.metricsEveryBatches = 2;
  training->setConfig(config);
  // The preset's automatic transposition survives the panel's fields ("automatic" there).
  QCOMPARE(training->config().transpose, train::TrainingConfig::kTransposeAuto);
  const QString model = QString::fromStdString((m_folder.path() / "models" / "tiny.lyrebird").string());
  training->setModelPath(model);
  QSignalSpy finished(training, &TrainingPanel::finished);
  QSignalSpy progressed(training, &TrainingPanel::progressed);
  QElapsedTimer clock;
  qint64 last = 0, worstStall = 0;
  QTimer probe;
  probe.setInterval(10);
  connect(&probe, &QTimer::timeout, [&] {
    const qint64 now = clock.elapsed();
    worstStall = std::max(worstStall, now - last - 10);
    last = now;
  });
  clock.start();
  probe.start();
  training->start();
  QVERIFY(training->isTraining());
  QVERIFY(finished.wait(120000));
  probe.stop();
  qInfo("longest GUI event-loop stall while training: %lld ms", static_cast<long long>(worstStall));
  QVERIFY2(finished.at(0).at(1).toString().isEmpty(), qPrintable(finished.at(0).at(1).toString()));
  QVERIFY(QFile::exists(model));
  QTRY_VERIFY(training->chart()->pointCount() > 0);
  // The progress line moved with the batches and ended on the epoch's last, with a rate.
  QVERIFY(progressed.count() >= 1);
  const QString line = progressed.last().at(0).toString();
  QVERIFY2(line.contains(QRegularExpression(QStringLiteral("batch (\\d+)/\\1 "))), qPrintable(line));
  QVERIFY2(!line.contains(QStringLiteral(" 0 tokens/s")), qPrintable(line));
  // Its curves can be overlaid as a past run.
  QVERIFY(training->openPastRun(model));
  QCOMPARE(training->chart()->overlayCount(), 2); // loss and accuracy
  // The trained model is ready to generate with: the run's best (lowest validation loss).
  GeneratePanel* generate = window.generatePanel();
  QVERIFY(generate->hasModel());
  const QString best = QString::fromStdString(train::bestCheckpointPath(model.toStdString()).string());
  QVERIFY(QFile::exists(best));
  QCOMPARE(generate->modelPath(), best);

  // Generate a take: the notes stream into the piano roll.
  generate->findChild<QLineEdit*>(QStringLiteral("length"))->setText(QStringLiteral("4s"));
  // A fixed seed: the tiny model's takes differ by seed, and the test must not.
  generate->findChild<QCheckBox*>(QStringLiteral("randomSeed"))->setChecked(false);
  generate->findChild<QSpinBox*>(QStringLiteral("seed"))->setValue(1);
  QSignalSpy streamed(generate, &GeneratePanel::noteEvent);
  QSignalSpy done(generate, &GeneratePanel::generationFinished);
  generate->generate();
  QVERIFY(done.wait(30000));
  QCOMPARE(done.at(0).at(0).toInt(), 0);
  QCOMPARE(generate->takes().size(), std::size_t{1});
  QVERIFY(streamed.count() > 0);
  const midi::Score& take = generate->takes()[0].score;
  // Dragging the take out gives a MIDI file.
  QAbstractItemModel* takes = generate->takeList()->model();
  std::unique_ptr<QMimeData> drag(takes->mimeData({takes->index(0, 0)}));
  QVERIFY(drag && drag->urls().size() == 1);
  QVERIFY(QFile::exists(drag->urls().front().toLocalFile()));
  QCOMPARE(window.document()->notes().size(), take.noteCount());
  for (std::size_t i = 0; i < take.tracks[0].notes.size(); ++i) {
    const midi::Note& a = window.document()->notes()[i].note;
    const midi::Note& b = take.tracks[0].notes[i];
    QVERIFY2(a == b, qPrintable(QStringLiteral("note %1: shown %2+%3 p%4 v%5, take %6+%7 p%8 v%9")
                                    .arg(i)
                                    .arg(a.startTicks)
                                    .arg(a.durationTicks)
                                    .arg(a.pitch)
                                    .arg(a.velocity)
                                    .arg(b.startTicks)
                                    .arg(b.durationTicks)
                                    .arg(b.pitch)
                                    .arg(b.velocity)));
  }

  // Generate from the model being trained: a second, longer run, paused before its first batch
  // (a snapshot is served while paused, so the test does not race the batches).
  QCheckBox* fromTraining = generate->findChild<QCheckBox*>(QStringLiteral("fromTraining"));
  QVERIFY(fromTraining && !fromTraining->isEnabled()); // no training runs
  config.epochs = 50;
  training->setConfig(config);
  training->setModelPath(QString::fromStdString((m_folder.path() / "models" / "longer.lyrebird").string()));
  training->start();
  training->pauseOrResume();
  QVERIFY(fromTraining->isEnabled());
  fromTraining->setChecked(true);
  QSignalSpy snapshot(training, &TrainingPanel::snapshotReady);
  done.clear();
  generate->generate();
  QVERIFY(done.wait(60000));
  QCOMPARE(snapshot.count(), 1);
  QVERIFY2(snapshot.at(0).at(1).toString().isEmpty(), qPrintable(snapshot.at(0).at(1).toString()));
  QCOMPARE(done.at(0).at(0).toInt(), 1);
  QCOMPARE(generate->takes().size(), std::size_t{2});
  QCOMPARE(generate->takes()[1].model, snapshot.at(0).at(0).toString());
  QVERIFY(training->isTraining()); // still running (paused), not stopped for the take
  training->stop();
  QVERIFY(!fromTraining->isEnabled() && !fromTraining->isChecked());
}

void TestWorkflow::cancelALoad() {
  const auto big = test::sharedDir() / "data" / "mutopia-keyboard";
  if (!std::filesystem::exists(big)) QSKIP("../shared is not beside the checkout");
  MainWindow window;
  QTRY_VERIFY_WITH_TIMEOUT(!window.corpusPanel()->isLoading(), 30000);
  QSignalSpy failed(window.corpusPanel(), &CorpusPanel::loadFailed);
  QSignalSpy loaded(window.corpusPanel(), &CorpusPanel::loaded);
  window.corpusPanel()->load(QString::fromStdString(big.string()));
  QVERIFY(window.corpusPanel()->isLoading());
  window.corpusPanel()->cancel();
  QVERIFY(!window.corpusPanel()->isLoading());
  QCOMPARE(failed.count(), 1);
  QTest::qWait(100);
  QCOMPARE(loaded.count(), 0); // a cancelled load never reports success
  // What was loaded before (the demo corpus, if any) stays.
  QVERIFY(window.corpusPanel()->corpus() == nullptr || window.corpusPanel()->corpus()->root != big);
}

QTEST_MAIN(TestWorkflow)
#include "tst_workflow.moc"
