#include "evaluate/experiment.h"

#include <QtTest>

#include <string>

using namespace lyrebird;

/// The experiment's reading and tables, from results built by hand: which run is closest, whether
/// the default preset beats the others on both set distances, and the copy limit.
class TestExperimentReading : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void closestRunAndDefaultVerdict();
  void copyLimitIsTheIndexsLimit();
  void tablesAndCurvesKeepToTheirCorpus();
};

namespace {

evaluate::ExperimentRun run(const std::string& model, const std::string& corpus, double pc, double ioi,
                            int longestCopy = 3) {
  evaluate::ExperimentRun r;
  r.model = model;
  r.corpus = corpus;
  r.evaluation.set = {pc, ioi};
  evaluate::TakeEvaluation take;
  take.originality.longestCopyNotes = longestCopy;
  r.evaluation.evaluations = {take, take};
  train::MetricsRecord batches;
  batches.kind = train::MetricsRecord::Kind::Batches;
  batches.elapsedSeconds = 30;
  batches.trainLoss = 3.0;
  train::MetricsRecord epoch;
  epoch.kind = train::MetricsRecord::Kind::Epoch;
  epoch.epoch = 1;
  epoch.elapsedSeconds = 60;
  epoch.validLoss = 2.5;
  epoch.validAccuracy = 0.4;
  r.history = {batches, epoch};
  return r;
}

evaluate::ExperimentResults results() {
  evaluate::ExperimentResults res;
  res.plan.corpora = {{"folk", "/nowhere/folk"}, {"piano", "/nowhere/piano"}};
  res.plan.epochs = 3;
  res.plan.takes = 2;
  res.runs = {run("seed-single", "folk", 0.30, 0.20), run("default", "folk", 0.10, 0.05),
              run("seed-single", "piano", 0.05, 0.30), run("default", "piano", 0.10, 0.10, 40)};
  res.heldOut["folk"];
  res.heldOut["piano"];
  return res;
}

} // namespace

void TestExperimentReading::closestRunAndDefaultVerdict() {
  const evaluate::ExperimentResults res = results();
  const evaluate::ExperimentReading folk = evaluate::readExperiment(res, "folk");
  QVERIFY(folk.closest == &res.runs[1]);
  QCOMPARE(folk.closestSetSum, 0.15);
  QVERIFY(folk.defaultRun == &res.runs[1]);
  QVERIFY(folk.defaultBeatsAll);
  // On piano the default is closer on IOI but farther on pitch classes: not both.
  const evaluate::ExperimentReading piano = evaluate::readExperiment(res, "piano");
  QVERIFY(piano.closest == &res.runs[3]); // 0.20 against 0.35
  QVERIFY(!piano.defaultBeatsAll);
  // Without the default preset there is no verdict, only the closest run.
  evaluate::ExperimentResults withoutDefault = res;
  withoutDefault.runs.erase(withoutDefault.runs.begin() + 1);
  const evaluate::ExperimentReading none = evaluate::readExperiment(withoutDefault, "folk");
  QVERIFY(none.defaultRun == nullptr);
  QVERIFY(none.closest == &withoutDefault.runs[0]);
}

void TestExperimentReading::copyLimitIsTheIndexsLimit() {
  const evaluate::ExperimentResults res = results();
  QCOMPARE(evaluate::readExperiment(res, "folk").defaultLongestCopy, 3);
  QVERIFY(evaluate::readExperiment(res, "folk").defaultWithinCopyLimit);
  QCOMPARE(evaluate::readExperiment(res, "piano").defaultLongestCopy, 40);
  QVERIFY(!evaluate::readExperiment(res, "piano").defaultWithinCopyLimit);
  const std::string report = evaluate::experimentReport(res);
  QVERIFY(report.find("is 40 notes (over the 16-note limit)") != std::string::npos);
  QVERIFY(report.find("is 3 notes (within the 16-note limit)") != std::string::npos);
}

void TestExperimentReading::tablesAndCurvesKeepToTheirCorpus() {
  const evaluate::ExperimentResults res = results();
  const std::string report = evaluate::experimentReport(res);
  QVERIFY(report.find("Budget per run: 3 epochs") != std::string::npos);
  QVERIFY(report.find("## folk") < report.find("## piano"));
  QVERIFY(report.find("![loss](loss-piano.png)") != std::string::npos);
  QVERIFY(report.find("`takes/` (MIDI).") != std::string::npos);

  const std::string csv = evaluate::experimentCsv(res);
  QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 1 + 4 * 2);
  QVERIFY(csv.find("folk-default,default,folk,1,0,epoch,60,,,2.5,0.4,") != std::string::npos);

  const std::vector<evaluate::ExperimentCurve> loss = evaluate::experimentCurves(res, "piano", true);
  QCOMPARE(loss.size(), std::size_t{2});
  QCOMPARE(loss[0].model, std::string("seed-single"));
  QCOMPARE(loss[0].valid.size(), std::size_t{1});
  QCOMPARE(loss[0].valid[0].first, 1.0); // minutes
  QCOMPARE(loss[0].valid[0].second, 2.5);
  QCOMPARE(loss[0].train[0].second, 3.0);
  const std::vector<evaluate::ExperimentCurve> accuracy = evaluate::experimentCurves(res, "piano", false);
  QCOMPARE(accuracy[0].valid[0].second, 40.0); // percent
}

QTEST_APPLESS_MAIN(TestExperimentReading)
#include "tst_experimentreading.moc"
