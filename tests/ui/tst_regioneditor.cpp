#include "appdata.h"
#include "corpuspanel.h"
#include "generatepanel.h"
#include "mainwindow.h"
#include "notedocument.h"
#include "pianoroll.h"
#include "regioneditor.h"
#include "testsupport.h"

#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>

#include <cstdint>

using namespace lyrebird;
using namespace lyrebird::ui;

/// Regenerate Region in the window: the selected notes' bars written again by the bundled model,
/// auditioned, accepted as one undoable edit or cancelled; the notes outside never change.
class TestRegionEditor : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void regenerateAuditionAcceptUndoRedo();
  void withoutASelectionItSaysWhatToDo();
  void continueFromThePlayheadAndAtTheEnd();
  void aDragAlongTheRulerChoosesBars();
};

namespace {

const QString kPiece = demoFolder() + QStringLiteral("/corpus/BeethovenLv-WoO59-fur_Elise_WoO59-fur_Elise_WoO59.mid");
constexpr std::int64_t kBar = 576; // Für Elise: 3/8 at 384 ticks a quarter

std::vector<RollNote> outside(const std::vector<RollNote>& notes, std::int64_t from, std::int64_t to) {
  std::vector<RollNote> kept;
  for (const RollNote& n : notes) {
    if (n.note.startTicks < from || n.note.startTicks >= to) kept.push_back(n);
  }
  return kept;
}

/// How long the bundled model (3 x 256) may take to write and rank a region's candidates: well
/// under a second in a release build, tens of seconds under AddressSanitizer (37.8 s measured for
/// an extension whose empty candidates were drawn again).
constexpr int kCandidatesMs = 180000;

void selectStartingIn(NoteDocument* document, std::int64_t from, std::int64_t to) {
  std::vector<std::uint8_t> selection;
  for (const RollNote& n : document->notes())
    selection.push_back(n.note.startTicks >= from && n.note.startTicks < to);
  document->setSelection(selection);
}

} // namespace

void TestRegionEditor::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(QFileInfo::exists(kPiece));
}

void TestRegionEditor::regenerateAuditionAcceptUndoRedo() {
  MainWindow window;
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QTRY_VERIFY_WITH_TIMEOUT(!window.corpusPanel()->isLoading(), 30000);
  QTRY_VERIFY(window.generatePanel()->hasModel()); // the bundled model, on a first start
  window.openMidi(kPiece);
  NoteDocument* document = window.document();
  const std::vector<RollNote> original = document->notes();
  QVERIFY(!original.empty());
  const std::int64_t from = 4 * kBar, to = 8 * kBar; // bars 5-8

  RegionEditor* region = window.regionEditor();
  selectStartingIn(document, from + 10, to - 10); // any notes in those bars
  QCOMPARE(region->selectedBars(), (std::optional<std::pair<int, int>>{{5, 8}}));
  region->start();
  QVERIFY(region->isActive());
  QVERIFY(region->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(region->candidateCount() > 0, kCandidatesMs);
  QCOMPARE(region->candidateCount(), std::size_t(GeneratePanel::kRegionCandidates + 1)); // and the piece's own
  QCOMPARE(region->candidateIndex(), std::size_t{0});
  QCOMPARE(region->loop(), (std::pair<std::int64_t, std::int64_t>{3 * kBar, 9 * kBar}));
  const int steps = document->undoStack()->count();
  // Every candidate leaves the notes outside the region as they were.
  for (std::size_t i = 0; i < region->candidateCount(); ++i) {
    QCOMPARE(region->candidateIndex(), i);
    QCOMPARE(outside(document->notes(), from, to), outside(original, from, to));
    QCOMPARE(document->undoStack()->count(), steps); // auditioning is not an edit
    region->next();
  }
  // Back to one that is not the piece's own bars, and keep it.
  while (region->candidateIndex() > 0 && document->notes() == original)
    region->previous();
  if (document->notes() == original) region->next();
  QVERIFY(document->notes() != original);
  if (!qEnvironmentVariableIsEmpty("LYREBIRD_SCREENSHOTS")) { // for the README
    window.resize(1280, 800);
    window.pianoRoll()->setPixelsPerQuarter(90);
    window.pianoRoll()->horizontalScrollBar()->setValue(static_cast<int>(3 * kBar / 384.0 * 90));
    window.pianoRoll()->centerOnPitch(64);
    QTest::qWait(200);
    window.grab().save(qEnvironmentVariable("LYREBIRD_SCREENSHOTS") + QStringLiteral("/regenerate-region.png"));
  }
  const std::vector<RollNote> chosen = document->notes();
  region->accept();
  QVERIFY(!region->isActive());
  QVERIFY(!region->isVisible());
  QCOMPARE(document->undoStack()->count(), steps + 1); // one undoable edit
  QVERIFY(document->undoStack()->undoText().contains(QStringLiteral("5–8")));
  document->undoStack()->undo();
  QCOMPARE(document->notes(), original);
  document->undoStack()->redo();
  QCOMPARE(document->notes(), chosen);

  // Cancel: the piece as it was, and nothing on the undo stack.
  selectStartingIn(document, from, to);
  region->start();
  QTRY_VERIFY_WITH_TIMEOUT(region->candidateCount() > 0, kCandidatesMs);
  region->next();
  region->cancel();
  QCOMPARE(document->notes(), chosen);
  QCOMPARE(document->undoStack()->count(), steps + 1);
}

void TestRegionEditor::withoutASelectionItSaysWhatToDo() {
  MainWindow window;
  QTRY_VERIFY_WITH_TIMEOUT(!window.corpusPanel()->isLoading(), 30000);
  window.openMidi(kPiece);
  window.document()->clearSelection();
  QSignalSpy message(window.regionEditor(), &RegionEditor::message);
  window.regionEditor()->start();
  QCOMPARE(message.count(), 1);
  QVERIFY(message.at(0).at(0).toString().contains(QStringLiteral("Select notes")));
  QVERIFY(!window.regionEditor()->isActive());
}

void TestRegionEditor::continueFromThePlayheadAndAtTheEnd() {
  MainWindow window;
  QTRY_VERIFY_WITH_TIMEOUT(!window.corpusPanel()->isLoading(), 30000);
  QTRY_VERIFY(window.generatePanel()->hasModel());
  window.openMidi(kPiece);
  NoteDocument* document = window.document();
  const std::vector<RollNote> original = document->notes();
  RegionEditor* region = window.regionEditor();

  // From inside bar 10: bars 10 to the end are written again; what comes before stays.
  region->continueFrom(9 * kBar + 100);
  QTRY_VERIFY_WITH_TIMEOUT(region->candidateCount() > 0, kCandidatesMs);
  QCOMPARE(region->candidateCount(), std::size_t(GeneratePanel::kRegionCandidates + 1));
  region->next();
  region->accept();
  QCOMPARE(outside(document->notes(), 9 * kBar, INT64_MAX), outside(original, 9 * kBar, INT64_MAX));

  // At the end of the piece as it was: four more bars, after everything that was there.
  window.openMidi(kPiece);
  const std::vector<std::int64_t> bars = generate::barStarts(document->score());
  const std::vector<RollNote> before = document->notes();
  region->continueFrom(bars.back());
  QTRY_VERIFY_WITH_TIMEOUT(region->candidateCount() > 0, kCandidatesMs);
  QCOMPARE(region->candidateCount(), std::size_t(GeneratePanel::kRegionCandidates)); // nothing to keep as it was
  // A candidate may leave the new bars empty (the seed is new each time): audition on to one with notes.
  while (document->notes().size() == before.size() && region->candidateIndex() + 1 < region->candidateCount())
    region->next();
  region->accept();
  QCOMPARE(outside(document->notes(), bars.back(), INT64_MAX), before);
  const std::int64_t lastBar = bars.back() - bars[bars.size() - 2];
  for (const RollNote& n : document->notes()) {
    if (n.note.startTicks >= bars.back()) QVERIFY(n.note.startTicks < bars.back() + 4 * lastBar);
  }
  QVERIFY(document->notes().size() > before.size());
}

void TestRegionEditor::aDragAlongTheRulerChoosesBars() {
  MainWindow window;
  window.resize(1200, 800);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QTRY_VERIFY_WITH_TIMEOUT(!window.corpusPanel()->isLoading(), 30000);
  window.openMidi(kPiece);
  PianoRoll* roll = window.pianoRoll();
  roll->setPixelsPerQuarter(40); // a 3/8 bar is 60 px wide
  QSignalSpy chosen(roll, &PianoRoll::barsChosen);
  QSignalSpy seek(roll, &PianoRoll::seekRequested);
  // The ruler is the strip above the notes, right of the keyboard; drag from bar 2 into bar 4.
  const QPoint from = roll->viewport()->geometry().topLeft() + QPoint(0, -8);
  QTest::mousePress(roll, Qt::LeftButton, {}, from + QPoint(60 + 10, 0));
  QMouseEvent move(QEvent::MouseMove, QPointF(from + QPoint(180 + 10, 0)), roll->mapToGlobal(from + QPoint(190, 0)),
                   Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(roll, &move);
  QTest::mouseRelease(roll, Qt::LeftButton, {}, from + QPoint(190, 0));
  QCOMPARE(seek.count(), 1); // a click on the ruler moves the playhead
  QVERIFY(chosen.count() >= 1);
  QCOMPARE(chosen.last().at(0).toInt(), 2);
  QCOMPARE(chosen.last().at(1).toInt(), 4);
  QCOMPARE(window.regionEditor()->selectedBars(), (std::optional<std::pair<int, int>>{{2, 4}}));
  for (std::size_t i = 0; i < window.document()->notes().size(); ++i) {
    const std::int64_t start = window.document()->notes()[i].note.startTicks;
    QCOMPARE(window.document()->selection()[i] != 0, start >= kBar && start < 4 * kBar);
  }
  // Selecting otherwise replaces the ruler's bars.
  window.document()->clearSelection();
  QVERIFY(!window.regionEditor()->selectedBars());
}

QTEST_MAIN(TestRegionEditor)
#include "tst_regioneditor.moc"
