#include "comparepanel.h"
#include "testsupport.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using namespace lyrebird;

namespace {

/// A one-track melody of `count` notes stepping through `pitches`, eighths at 120 BPM.
midi::Score melody(const std::vector<int>& pitches, int count) {
  midi::Score score;
  score.ticksPerQuarter = 480;
  score.tempos = {{0, 500000}};
  score.timeSignatures = {{0, 4, 4}};
  midi::Track track;
  for (int i = 0; i < count; ++i) {
    track.notes.push_back(
        {i * 240, 240, static_cast<std::uint8_t>(pitches[static_cast<std::size_t>(i) % pitches.size()]), 90});
  }
  score.tracks = {track};
  return score;
}

} // namespace

class TestComparePanel : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void overlaysSavedRuns();
  void measuresTakesAgainstTheHeldOutMusic();
  void saysWhatIsMissing();
};

void TestComparePanel::overlaysSavedRuns() {
  ui::ComparePanel panel;
  const QString demo = QString::fromStdString((test::sourceDir() / "resources/demo/demo.lyrebird").string());
  QVERIFY(panel.addRun(demo));
  QCOMPARE(panel.runCount(), 1);
  QVERIFY(
      panel.findChild<QListWidget*>(QStringLiteral("compareRuns"))->item(0)->text().contains(QStringLiteral("demo")));
  QVERIFY(!panel.addRun(QStringLiteral("/nonexistent/model.lyrebird")));
  QCOMPARE(panel.runCount(), 1);
  QVERIFY(!panel.status().isEmpty());
}

void TestComparePanel::measuresTakesAgainstTheHeldOutMusic() {
  // Ten C-major melodies; a validation share of 0.3 holds three out.
  std::vector<midi::Score> pieces;
  for (int i = 0; i < 10; ++i)
    pieces.push_back(melody({60 + (i % 3) * 2, 64, 67, 72, 71, 69, 65, 62}, 40));
  auto corpus = std::make_shared<const corpus::Corpus>(test::memoryCorpus(pieces));
  std::vector<ui::Take> takes(2);
  takes[0].name = QStringLiteral("copy");
  takes[0].score = pieces[0]; // a whole corpus piece: a long copy (when piece 0 is a training file)
  takes[0].model = QStringLiteral("/models/a.lyrebird");
  takes[1].name = QStringLiteral("chromatic");
  takes[1].score = melody({61, 63, 66, 68, 70}, 30); // only black keys: far from C major
  takes[1].temperature = 1.5;
  ui::ComparePanel panel;
  QSignalSpy measured(&panel, &ui::ComparePanel::measured);
  panel.measureTakes(takes, corpus, 0.3, 7);
  QVERIFY(measured.wait(10000));
  QTableWidget* table = panel.table();
  QCOMPARE(table->rowCount(), 3); // two takes and the held-out music
  auto cell = [&](const QString& name, int column) {
    for (int row = 0; row < table->rowCount(); ++row) {
      if (table->item(row, 0)->text() == name) return table->item(row, column)->data(Qt::UserRole).toDouble();
    }
    return -1.0;
  };
  // Columns: 4 pitch-class distance, 8 in scale, 10 longest copy.
  QVERIFY(cell(QStringLiteral("copy"), 4) < cell(QStringLiteral("chromatic"), 4));
  QCOMPARE(cell(QStringLiteral("chromatic"), 4), 1.0); // no pitch class in common
  QCOMPARE(cell(QStringLiteral("copy"), 8), 1.0);
  QVERIFY(cell(QStringLiteral("copy"), 10) >= 8.0); // the melody repeats in every training piece
  QCOMPARE(cell(QStringLiteral("chromatic"), 10), 0.0);
  QCOMPARE(table->item(0, 1)->text().isEmpty(), false);
  QVERIFY(panel.status().contains(QStringLiteral("held-out")));
  // The held-out row measures the held-out pieces as takes: C major melodies, near the pooled histogram.
  const double heldOutPitch = cell(QStringLiteral("Held-out music (3 file(s))"), 4);
  QVERIFY2(heldOutPitch >= 0.0 && heldOutPitch < 0.2, qPrintable(QString::number(heldOutPitch)));

  // Each model and temperature as a set, closest first, then real music.
  QTableWidget* sets = panel.sets();
  QCOMPARE(sets->rowCount(), 3);
  QCOMPARE(sets->item(0, 0)->text(), QStringLiteral("a"));
  QCOMPARE(sets->item(0, 2)->data(Qt::UserRole).toDouble(), 1.0);
  QVERIFY(sets->item(0, 3)->data(Qt::UserRole).toDouble() < sets->item(1, 3)->data(Qt::UserRole).toDouble());
  QCOMPARE(sets->item(1, 1)->data(Qt::UserRole).toDouble(), 1.5);
  QVERIFY(sets->item(2, 0)->text().startsWith(QStringLiteral("Real music")));
  // The real-music set: C major melodies too, closer than the black-key take.
  QVERIFY(sets->item(2, 3)->data(Qt::UserRole).toDouble() < sets->item(1, 3)->data(Qt::UserRole).toDouble());
  // Yang & Lerch's overlap, for every set and real music: an area between 0 and 1.
  QCOMPARE(sets->horizontalHeaderItem(5)->text(), QStringLiteral("Y&L overlap"));
  for (int row = 0; row < 3; ++row) {
    const double overlap = sets->item(row, 5)->data(Qt::UserRole).toDouble();
    QVERIFY2(overlap >= 0.0 && overlap <= 1.0, qPrintable(QString::number(overlap)));
  }
}

void TestComparePanel::saysWhatIsMissing() {
  ui::ComparePanel panel;
  QSignalSpy measured(&panel, &ui::ComparePanel::measured);
  std::vector<ui::Take> takes(1);
  takes[0].score = melody({60}, 4);
  panel.measureTakes(takes, nullptr, 0.1, 1);
  QCOMPARE(measured.count(), 1);
  QVERIFY(panel.status().contains(QStringLiteral("Load the corpus")));
  panel.measureTakes({}, nullptr, 0.1, 1);
  QVERIFY(panel.status().contains(QStringLiteral("No takes")));
  // A corpus of one file has nothing held out.
  panel.measureTakes(takes, std::make_shared<const corpus::Corpus>(test::memoryCorpus({melody({60, 62}, 8)})), 0.1, 1);
  QVERIFY(measured.wait(10000));
  QVERIFY(panel.status().contains(QStringLiteral("no held-out file")));
}

QTEST_MAIN(TestComparePanel)
#include "tst_comparepanel.moc"
