// lyrebird-cli evaluate and experiment, end to end on tiny corpora and tiny models.
#include "clisupport.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace lyrebird;
using test::qpath;
using test::Run;
using test::runCli;
using test::writeMelodies;

namespace {

const QStringList kTiny = {QStringLiteral("--hidden"), QStringLiteral("16"),    QStringLiteral("--layers"),
                           QStringLiteral("1"),        QStringLiteral("--seq"), QStringLiteral("16"),
                           QStringLiteral("--batch"),  QStringLiteral("4")};

QByteArray readAll(const std::filesystem::path& path) {
  QFile file(qpath(path));
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestExperiment : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void evaluatePrintsJson();
  void experimentEndToEnd();
  void experimentRefusals();
};

void TestExperiment::evaluatePrintsJson() {
  test::TempFolder folder;
  writeMelodies(folder.path(), 6);
  const auto model = folder.path() / "tiny.lyrebird";
  const Run train =
      runCli(QStringList{QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()),
                         QStringLiteral("--out"), qpath(model), QStringLiteral("--epochs"), QStringLiteral("1"),
                         QStringLiteral("--valid-fraction"), QStringLiteral("0.34")} +
             kTiny);
  QVERIFY2(train.exitCode == 0, train.err.constData());
  const Run run = runCli({QStringLiteral("evaluate"), QStringLiteral("--model"), qpath(model), QStringLiteral("--data"),
                          qpath(folder.path()), QStringLiteral("--takes"), QStringLiteral("2"),
                          QStringLiteral("--length"), QStringLiteral("5s")});
  QVERIFY2(run.exitCode == 0, run.err.constData());
  const QJsonObject json = QJsonDocument::fromJson(run.out).object();
  QCOMPARE(json.value(QStringLiteral("takes")).toArray().size(), 2);
  QCOMPARE(json.value(QStringLiteral("held_out_files")).toInt() + json.value(QStringLiteral("train_files")).toInt(), 6);
  QVERIFY(json.value(QStringLiteral("held_out_files")).toInt() >= 1);
  // The held-out pieces by name: files of the folder, as many as counted.
  const QJsonArray heldOut = json.value(QStringLiteral("held_out")).toArray();
  QCOMPARE(heldOut.size(), json.value(QStringLiteral("held_out_files")).toInt());
  for (const QJsonValue& path : heldOut)
    QVERIFY2(std::filesystem::exists(folder.path() / path.toString().toStdString()), qPrintable(path.toString()));
  const QJsonObject mean = json.value(QStringLiteral("mean")).toObject();
  const double distance = mean.value(QStringLiteral("pc_hist_distance")).toDouble(-1);
  QVERIFY(distance >= 0.0 && distance <= 1.0);
  QVERIFY(mean.contains(QStringLiteral("longest_copy_notes")));
  QVERIFY(mean.contains(QStringLiteral("groove_consistency")));
  // The takes as a set, and what real music of the folder scores on the same measures.
  const QJsonObject set = json.value(QStringLiteral("set")).toObject();
  QVERIFY(set.value(QStringLiteral("pc_distance")).toDouble(-1) >= 0.0);
  QVERIFY(set.value(QStringLiteral("ioi_distance")).toDouble(-1) >= 0.0);
  const QJsonObject yardsticks = json.value(QStringLiteral("yardsticks")).toObject();
  QCOMPARE(yardsticks.value(QStringLiteral("opening_seconds")).toDouble(), 5.0);
  QCOMPARE(yardsticks.value(QStringLiteral("held_out_openings")).toInt(),
           json.value(QStringLiteral("held_out_files")).toInt());
  QVERIFY(yardsticks.value(QStringLiteral("held_out_pc_hist_distance")).toDouble(-1) >= 0.0);
  QCOMPARE(yardsticks.value(QStringLiteral("training_music_set")).toObject().value(QStringLiteral("pieces")).toInt(),
           2);
  // Rhythm: every file moves in eighths, so real music's IOI set distance is 0.
  QCOMPARE(yardsticks.value(QStringLiteral("training_music_set"))
               .toObject()
               .value(QStringLiteral("ioi_distance"))
               .toDouble(-1),
           0.0);
  // Yang & Lerch's protocol: an overlap area and a divergence per feature, for the takes and for
  // real music (the yardstick).
  for (const QJsonObject& o :
       {json.value(QStringLiteral("overlap")).toObject(), yardsticks.value(QStringLiteral("overlap")).toObject()}) {
    QCOMPARE(o.size(), 9);
    for (const QString& feature : {QStringLiteral("pitch_count"), QStringLiteral("pitch_class_transitions"),
                                   QStringLiteral("note_length_histogram"), QStringLiteral("average_ioi")}) {
      const double area = o.value(feature).toDouble(-1);
      QVERIFY2(area >= 0.0 && area <= 1.0, qPrintable(feature));
    }
  }
  QCOMPARE(json.value(QStringLiteral("kl_divergence")).toObject().size(), 9);
  QVERIFY(json.value(QStringLiteral("kl_divergence")).toObject().value(QStringLiteral("pitch_range")).toDouble(-1) >=
          0.0);
  // The held-out melodies are C major scales: the reference says so.
  const QJsonObject reference = json.value(QStringLiteral("reference")).toObject();
  QCOMPARE(reference.value(QStringLiteral("scale_consistency")).toDouble(), 1.0);
  // Refusals: no data, a folder without held-out music.
  QCOMPARE(runCli({QStringLiteral("evaluate"), QStringLiteral("--model"), qpath(model)}).exitCode, 2);
}

void TestExperiment::experimentEndToEnd() {
  test::TempFolder folder;
  std::filesystem::create_directories(folder.path() / "a");
  std::filesystem::create_directories(folder.path() / "b");
  writeMelodies(folder.path() / "a", 4);
  writeMelodies(folder.path() / "b", 3);
  const auto out = folder.path() / "results";
  const Run run =
      runCli(QStringList{QStringLiteral("experiment"), QStringLiteral("--data"),
                         QStringLiteral("scales=") + qpath(folder.path() / "a"), QStringLiteral("--data"),
                         QStringLiteral("more=") + qpath(folder.path() / "b"), QStringLiteral("--epochs"),
                         QStringLiteral("1"), QStringLiteral("--takes"), QStringLiteral("1"),
                         QStringLiteral("--length"), QStringLiteral("4s"), QStringLiteral("--out"), qpath(out)} +
             kTiny);
  QVERIFY2(run.exitCode == 0, run.err.constData());
  QVERIFY(run.out.contains("Wrote the experiment"));

  // Every run's curve.
  const QByteArray csv = readAll(out / "metrics.csv");
  QVERIFY(csv.startsWith("run,model,corpus,epoch,step,kind,elapsed_s,train_loss,train_acc,valid_loss,valid_acc"));
  for (const char* name : {"scales-seed-single", "scales-seed-stacked", "scales-default", "more-seed-single",
                           "more-seed-stacked", "more-default"}) {
    QVERIFY2(csv.contains(QByteArray(name) + ","), name);
  }
  QVERIFY(csv.contains(",epoch,"));

  // Every number.
  const QJsonObject json = QJsonDocument::fromJson(readAll(out / "metrics.json")).object();
  const QJsonArray runs = json.value(QStringLiteral("runs")).toArray();
  QCOMPARE(runs.size(), 6);
  for (const QJsonValue& value : runs) {
    const QJsonObject r = value.toObject();
    QVERIFY(r.contains(QStringLiteral("model")) && r.contains(QStringLiteral("corpus")));
    QVERIFY(r.value(QStringLiteral("valid_loss")).isDouble());
    QVERIFY(r.value(QStringLiteral("valid_acc")).isDouble());
    QCOMPARE(r.value(QStringLiteral("takes")).toArray().size(), 1);
    QVERIFY(r.value(QStringLiteral("mean")).toObject().contains(QStringLiteral("pc_hist_distance")));
    QVERIFY(r.value(QStringLiteral("mean")).toObject().contains(QStringLiteral("longest_copy_notes")));
    QVERIFY(r.value(QStringLiteral("set")).toObject().contains(QStringLiteral("pc_distance")));
  }
  QCOMPARE(json.value(QStringLiteral("budget")).toObject().value(QStringLiteral("epochs")).toInt(), 1);

  // Charts, PNG and SVG, per corpus.
  for (const char* chart : {"loss-scales", "accuracy-scales", "loss-more", "accuracy-more"}) {
    const QByteArray png = readAll(out / (std::string(chart) + ".png"));
    QVERIFY2(png.startsWith("\x89PNG") && png.size() > 5000, chart);
    const QByteArray svg = readAll(out / (std::string(chart) + ".svg"));
    QVERIFY2(svg.contains("<svg") && svg.contains("seed-stacked valid"), chart);
  }
  // The takes, and the report with its tables and its reading.
  for (const char* take : {"scales-default-1.mid", "more-seed-single-1.mid", "more-seed-stacked-1.mid"}) {
    QVERIFY2(std::filesystem::exists(out / "takes" / take), take);
  }
  const QByteArray report = readAll(out / "report.md");
  QVERIFY(report.contains("## scales"));
  QVERIFY(report.contains("## more"));
  QVERIFY(report.contains("| model | pitch-class dist. |"));
  QVERIFY(report.contains("held-out music"));
  QVERIFY(report.contains("| model | pitch-class set distance | IOI set distance | Yang & Lerch overlap |"));
  QVERIFY(report.contains("| training music | "));
  QVERIFY(report.contains("**Reading.**"));
  QVERIFY(report.contains("![loss](loss-scales.png)"));

  // Measured again without training again.
  const Run again = runCli(QStringList{QStringLiteral("experiment"), QStringLiteral("--data"),
                                       QStringLiteral("scales=") + qpath(folder.path() / "a"),
                                       QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--takes"),
                                       QStringLiteral("2"), QStringLiteral("--length"), QStringLiteral("4s"),
                                       QStringLiteral("--out"), qpath(out), QStringLiteral("--reuse-models")} +
                           kTiny);
  QVERIFY2(again.exitCode == 0, again.err.constData());
  QCOMPARE(again.err.count("reusing the trained model"), 3);
  QVERIFY(std::filesystem::exists(out / "takes" / "scales-default-2.mid"));
}

void TestExperiment::experimentRefusals() {
  test::TempFolder folder;
  const QString out = qpath(folder.path() / "o");
  const QString data = QStringLiteral("x=") + qpath(folder.path());
  QCOMPARE(
      runCli({QStringLiteral("experiment"), QStringLiteral("--data"), data, QStringLiteral("--out"), out}).exitCode, 2);
  QCOMPARE(runCli({QStringLiteral("experiment"), QStringLiteral("--data"), data, QStringLiteral("--out"), out,
                   QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--minutes"), QStringLiteral("1")})
               .exitCode,
           2);
  QCOMPARE(runCli({QStringLiteral("experiment"), QStringLiteral("--data"), qpath(folder.path()),
                   QStringLiteral("--out"), out, QStringLiteral("--epochs"), QStringLiteral("1")})
               .exitCode,
           2);
  const Run unknown = runCli({QStringLiteral("experiment"), QStringLiteral("--data"), data, QStringLiteral("--out"),
                              out, QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--models"),
                              QStringLiteral("transformer")});
  QCOMPARE(unknown.exitCode, 2);
  QVERIFY(unknown.err.contains("unknown model"));
}

QTEST_GUILESS_MAIN(TestExperiment)
#include "tst_experiment.moc"
