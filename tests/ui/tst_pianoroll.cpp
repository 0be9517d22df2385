#include "notedocument.h"
#include "pianoroll.h"

#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::ui;

class TestPianoRoll : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void editsAreUndoable();
  void moveClampsAtTheEdges();
  void quantizeSnaps();
  void streamedNotesGrow();
  void dragMovesSelectedNotes();
  void rubberBandSelects();
  void paintTimeWith20000Notes();
  void zoomToFitShowsTheWholePiece();
  void theMarginsTakeClicks();
};

namespace {
midi::Score scale(int count, std::int64_t step = 240) {
  midi::Score score;
  midi::Track track;
  for (int i = 0; i < count; ++i) {
    track.notes.push_back(
        {i * step, step, static_cast<std::uint8_t>(40 + (i * 7) % 48), static_cast<std::uint8_t>(30 + i % 90)});
  }
  score.tracks = {track};
  return score;
}
} // namespace

void TestPianoRoll::editsAreUndoable() {
  NoteDocument doc;
  doc.setScore(scale(4));
  const auto original = doc.notes();
  doc.setSelection({0, 1, 0, 0});
  doc.transposeSelected(12);
  QCOMPARE(doc.notes()[1].note.pitch, std::uint8_t(original[1].note.pitch + 12));
  doc.deleteSelected();
  QCOMPARE(doc.notes().size(), std::size_t{3});
  doc.addNote({{10000, 100, 70, 90}, 0});
  QCOMPARE(doc.notes().size(), std::size_t{4});
  QCOMPARE(doc.selectedCount(), 1);
  QCOMPARE(doc.undoStack()->count(), 3);
  doc.undoStack()->undo();
  doc.undoStack()->undo();
  doc.undoStack()->undo();
  QCOMPARE(doc.notes(), original);
  doc.undoStack()->redo();
  QCOMPARE(doc.notes()[1].note.pitch, std::uint8_t(original[1].note.pitch + 12));
  // The Score comes back with its notes in their track.
  QCOMPARE(doc.score().tracks[0].notes.size(), std::size_t{4});
}

void TestPianoRoll::moveClampsAtTheEdges() {
  NoteDocument doc;
  midi::Score score;
  midi::Track track;
  track.notes = {{100, 50, 125, 90}, {300, 50, 60, 90}};
  score.tracks = {track};
  doc.setScore(score);
  doc.selectAll();
  doc.moveSelected(-1000, 10); // the whole selection moves as one: 100 ticks back, 2 up
  QCOMPARE(doc.notes()[0].note.startTicks, std::int64_t{0});
  QCOMPARE(doc.notes()[0].note.pitch, std::uint8_t{127});
  QCOMPARE(doc.notes()[1].note.startTicks, std::int64_t{200});
  QCOMPARE(doc.notes()[1].note.pitch, std::uint8_t{62});
}

void TestPianoRoll::quantizeSnaps() {
  NoteDocument doc;
  midi::Score score;
  midi::Track track;
  track.notes = {{130, 50, 60, 90}, {470, 400, 62, 90}};
  score.tracks = {track};
  doc.setScore(score);
  doc.quantize(120); // nothing selected: everything
  QCOMPARE(doc.notes()[0].note, (midi::Note{120, 120, 60, 90}));
  QCOMPARE(doc.notes()[1].note, (midi::Note{480, 360, 62, 90}));
  doc.undoStack()->undo();
  QCOMPARE(doc.notes()[0].note.startTicks, std::int64_t{130});
}

void TestPianoRoll::streamedNotesGrow() {
  NoteDocument doc;
  doc.setScore(midi::Score{});
  QSignalSpy changed(&doc, &NoteDocument::notesChanged);
  doc.appendStreamedNote({{0, 0, 60, 90}, 0});
  doc.appendStreamedNote({{240, 0, 64, 90}, 0});
  doc.endStreamedNote(0, 60, 480);
  QCOMPARE(doc.notes()[0].note.durationTicks, std::int64_t{480});
  QCOMPARE(changed.count(), 3);
  QCOMPARE(doc.undoStack()->count(), 0); // a generation is not an edit
  // Two notes with the same start and pitch: each end goes to one of them.
  doc.appendStreamedNote({{960, 0, 50, 90}, 0});
  doc.appendStreamedNote({{960, 0, 50, 90}, 0});
  doc.endStreamedNote(960, 50, 970);
  doc.endStreamedNote(960, 50, 1000);
  QCOMPARE(doc.notes()[2].note.durationTicks + doc.notes()[3].note.durationTicks, std::int64_t{50});
  QVERIFY(doc.notes()[2].note.durationTicks > 0 && doc.notes()[3].note.durationTicks > 0);
}

void TestPianoRoll::dragMovesSelectedNotes() {
  NoteDocument doc;
  doc.setScore(scale(8));
  PianoRoll roll(&doc);
  roll.resize(800, 500);
  roll.show();
  QVERIFY(QTest::qWaitForWindowExposed(&roll));
  roll.horizontalScrollBar()->setValue(0);
  roll.centerOnPitch(doc.notes()[0].note.pitch);
  // Press in the middle of the first note, drag one quarter right and one key up.
  const midi::Note first = doc.notes()[0].note;
  const double ppq = roll.pixelsPerQuarter();
  const int rowY = (127 - first.pitch) * roll.rowHeight() - roll.verticalScrollBar()->value() + roll.rowHeight() / 2;
  const QPoint press(static_cast<int>(first.durationTicks / 480.0 * ppq / 2), rowY);
  QTest::mousePress(roll.viewport(), Qt::LeftButton, {}, press);
  QCOMPARE(doc.selectedCount(), 1);
  QMouseEvent move(QEvent::MouseMove, QPointF(press + QPoint(static_cast<int>(ppq), -roll.rowHeight())),
                   roll.viewport()->mapToGlobal(QPointF(press + QPoint(static_cast<int>(ppq), -roll.rowHeight()))),
                   Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(roll.viewport(), &move);
  QTest::mouseRelease(roll.viewport(), Qt::LeftButton, {}, press + QPoint(static_cast<int>(ppq), -roll.rowHeight()));
  const auto it = std::find_if(doc.notes().begin(), doc.notes().end(),
                               [&](const RollNote& n) { return n.note.startTicks == first.startTicks + 480; });
  QVERIFY(it != doc.notes().end());
  QCOMPARE(it->note.pitch, std::uint8_t(first.pitch + 1));
  doc.undoStack()->undo();
  QCOMPARE(doc.notes()[0].note, first);
}

void TestPianoRoll::rubberBandSelects() {
  NoteDocument doc;
  doc.setScore(scale(8));
  PianoRoll roll(&doc);
  roll.resize(800, 500);
  roll.setRowHeight(4); // all of the range in view
  roll.show();
  QVERIFY(QTest::qWaitForWindowExposed(&roll));
  roll.horizontalScrollBar()->setValue(0);
  roll.verticalScrollBar()->setValue(0);
  const int width = static_cast<int>(4 * 240 / 480.0 * roll.pixelsPerQuarter()) - 4; // over the first four notes
  QTest::mousePress(roll.viewport(), Qt::LeftButton, {}, QPoint(2, 2));
  QMouseEvent move(QEvent::MouseMove, QPointF(width, roll.viewport()->height() - 2),
                   roll.viewport()->mapToGlobal(QPointF(width, roll.viewport()->height() - 2)), Qt::NoButton,
                   Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(roll.viewport(), &move);
  QTest::mouseRelease(roll.viewport(), Qt::LeftButton, {}, QPoint(width, roll.viewport()->height() - 2));
  QCOMPARE(doc.selectedCount(), 4);
}

void TestPianoRoll::paintTimeWith20000Notes() {
  // A benchmark, not an assertion on time: prints what a frame costs.
  NoteDocument doc;
  doc.setScore(scale(20000, 60));
  PianoRoll roll(&doc);
  roll.resize(1200, 700);
  roll.setPixelsPerQuarter(20); // many notes in view
  roll.show();
  QVERIFY(QTest::qWaitForWindowExposed(&roll));
  double worst = 0.0, sum = 0.0;
  const int frames = 30;
  for (int i = 0; i < frames; ++i) {
    roll.horizontalScrollBar()->setValue(i * 997 % std::max(1, roll.horizontalScrollBar()->maximum()));
    roll.viewport()->repaint();
    worst = std::max(worst, roll.lastPaintMs());
    sum += roll.lastPaintMs();
  }
  qInfo("piano roll, 20000 notes: %.2f ms per frame on average, %.2f ms worst", sum / frames, worst);
  QVERIFY(sum > 0.0);
}

void TestPianoRoll::zoomToFitShowsTheWholePiece() {
  // A 30 s take or an opened file used to show two bars and two octaves of itself.
  NoteDocument doc;
  doc.setScore(scale(160)); // 80 quarters (20 bars), pitches 40 to 87
  PianoRoll roll(&doc);
  roll.resize(900, 500);
  roll.show();
  QVERIFY(QTest::qWaitForWindowExposed(&roll));
  QVERIFY(roll.visibleEndTicks() < doc.endTicks()); // the default zoom shows a few bars
  roll.zoomToFit();
  QCOMPARE(roll.visibleStartTicks(), std::int64_t{0});
  QVERIFY2(roll.visibleEndTicks() >= doc.endTicks(), qPrintable(QString::number(roll.visibleEndTicks())));
  QVERIFY(roll.visibleEndTicks() < doc.endTicks() * 11 / 10); // and not much more
  QVERIFY2(roll.visibleLowestPitch() <= 40 && roll.visibleHighestPitch() >= 87,
           qPrintable(QStringLiteral("%1-%2").arg(roll.visibleLowestPitch()).arg(roll.visibleHighestPitch())));
  QVERIFY(roll.visibleHighestPitch() - roll.visibleLowestPitch() < 48 + 12);
  // It stays fitted when the view is resized, until the user zooms.
  roll.resize(1200, 600);
  QTRY_VERIFY(roll.visibleEndTicks() >= doc.endTicks() && roll.visibleEndTicks() < doc.endTicks() * 11 / 10);
  roll.setPixelsPerQuarter(roll.pixelsPerQuarter() * 2);
  roll.resize(900, 500);
  QTRY_VERIFY(roll.visibleEndTicks() < doc.endTicks());
  // A short piece fills the view with at least four bars, not one note.
  doc.setScore(scale(2));
  roll.zoomToFit();
  QCOMPARE(roll.visibleEndTicks() >= 16 * 480, true);
}

void TestPianoRoll::theMarginsTakeClicks() {
  NoteDocument doc;
  doc.setScore(scale(8));
  PianoRoll roll(&doc);
  roll.resize(800, 500);
  roll.show();
  QVERIFY(QTest::qWaitForWindowExposed(&roll));
  QSignalSpy seek(&roll, &PianoRoll::seekRequested);
  QSignalSpy key(&roll, &PianoRoll::keyPressed);
  QSignalSpy keyUp(&roll, &PianoRoll::keyReleased);
  const QRect notes = roll.viewport()->geometry();
  // The ruler above the notes moves the playhead; the keyboard left of them plays a key.
  QTest::mouseClick(&roll, Qt::LeftButton, {}, QPoint(notes.left() + 50, notes.top() - 6));
  QCOMPARE(seek.count(), 1);
  QVERIFY(seek.at(0).at(0).toLongLong() > 0);
  QTest::mouseClick(&roll, Qt::LeftButton, {}, QPoint(notes.left() - 10, notes.top() + 40));
  QCOMPARE(key.count(), 1);
  QCOMPARE(keyUp.count(), 1);
}

QTEST_MAIN(TestPianoRoll)
#include "tst_pianoroll.moc"
