#include "notedocument.h"

#include <QSignalSpy>
#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::ui;

class TestNoteDocument : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void flattensSortsAndPutsNotesBackInTheirTracks();
  void everyEditIsOneUndoStep();
  void movesClampToTheKeyboardAndTimeZero();
  void quantizeSnapsSelectionOrAll();
  void streamedNotesAreNotUndoSteps();
  void streamEventsFindTheirNotes();
};

namespace {

midi::Note note(std::int64_t start, std::int64_t length, int pitch, int velocity = 80) {
  return {start, length, static_cast<std::uint8_t>(pitch), static_cast<std::uint8_t>(velocity)};
}

// Two tracks, written out of order: a melody and a bass.
midi::Score twoTracks() {
  midi::Score s;
  s.ticksPerQuarter = 480;
  s.tracks.resize(2);
  s.tracks[0].name = "melody";
  s.tracks[0].notes = {note(960, 480, 67), note(0, 480, 64)};
  s.tracks[1].name = "bass";
  s.tracks[1].notes = {note(0, 960, 48)};
  return s;
}

std::vector<std::uint8_t> pitches(const NoteDocument& d) {
  std::vector<std::uint8_t> out;
  for (const RollNote& n : d.notes())
    out.push_back(n.note.pitch);
  return out;
}

} // namespace

void TestNoteDocument::flattensSortsAndPutsNotesBackInTheirTracks() {
  NoteDocument d;
  QSignalSpy changed(&d, &NoteDocument::notesChanged);
  d.setScore(twoTracks());
  QCOMPARE(changed.count(), 1);
  // By start, then pitch, across the tracks.
  QCOMPARE(pitches(d), (std::vector<std::uint8_t>{48, 64, 67}));
  QCOMPARE(d.notes()[0].track, 1);
  QCOMPARE(d.selectedCount(), 0);
  QCOMPARE(d.endTicks(), std::int64_t{1440});
  QVERIFY(d.header().tracks[0].notes.empty()); // the header keeps no stale copy
  const midi::Score back = d.score();
  QCOMPARE(back.tracks.size(), std::size_t{2});
  QCOMPARE(back.tracks[0].name, std::string("melody"));
  QCOMPARE(back.tracks[0].notes.size(), std::size_t{2});
  QCOMPARE(back.tracks[1].notes, (std::vector<midi::Note>{note(0, 960, 48)}));
  QCOMPARE(d.undoStack()->count(), 0); // a new document has no history
}

void TestNoteDocument::everyEditIsOneUndoStep() {
  NoteDocument d;
  d.setScore(twoTracks());
  const std::vector<RollNote> original = d.notes();
  d.addNote({note(480, 240, 72), 0});
  QCOMPARE(d.notes().size(), std::size_t{4});
  QCOMPARE(d.selectedCount(), 1); // the new note, ready to be dragged
  d.setSelectedVelocity(200);     // clamped to 127
  d.resizeSelected(-1000, 60);    // no shorter than the minimum
  d.transposeSelected(2);
  const RollNote& added = d.notes()[2];
  QCOMPARE(added.note, note(480, 60, 74, 127));
  d.deleteSelected();
  QCOMPARE(d.notes(), original);
  QCOMPARE(d.undoStack()->count(), 5);
  QCOMPARE(d.undoStack()->undoText(), QStringLiteral("Delete note"));
  // Undo walks back exactly, selection included; redo forward again.
  d.undoStack()->undo();
  QCOMPARE(d.notes()[2].note, note(480, 60, 74, 127));
  QCOMPARE(d.selectedCount(), 1);
  for (int i = 0; i < 4; ++i)
    d.undoStack()->undo();
  QCOMPARE(d.notes(), original);
  QCOMPARE(d.selectedCount(), 0);
  d.undoStack()->redo();
  QCOMPARE(d.notes().size(), std::size_t{4});
  // An edit that changes nothing is no step.
  d.clearSelection();
  d.deleteSelected();
  d.moveSelected(10, 0);
  QCOMPARE(d.undoStack()->index(), 1);
}

void TestNoteDocument::movesClampToTheKeyboardAndTimeZero() {
  NoteDocument d;
  d.setScore(twoTracks());
  d.selectAll();
  d.moveSelected(-5000, 100); // as far as the earliest note (0) and the highest (67 -> 127) allow
  QCOMPARE(pitches(d), (std::vector<std::uint8_t>{108, 124, 127}));
  QCOMPARE(d.notes()[0].note.startTicks, std::int64_t{0});
  d.moveSelected(240, -200);
  QCOMPARE(pitches(d), (std::vector<std::uint8_t>{0, 16, 19}));
  QCOMPARE(d.notes()[0].note.startTicks, std::int64_t{240});
  QCOMPARE(d.selectedCount(), 3); // the moved notes stay selected
}

void TestNoteDocument::quantizeSnapsSelectionOrAll() {
  midi::Score s;
  s.ticksPerQuarter = 480;
  s.tracks.resize(1);
  s.tracks[0].notes = {note(10, 200, 60), note(500, 10, 62)};
  NoteDocument d;
  d.setScore(s);
  d.quantize(240); // nothing selected: every note
  QCOMPARE(d.notes()[0].note, note(0, 240, 60));
  QCOMPARE(d.notes()[1].note, note(480, 240, 62)); // never shorter than one grid step
  d.undoStack()->undo();
  d.setSelection({0, 1});
  d.quantize(240);
  QCOMPARE(d.notes()[0].note, note(10, 200, 60)); // unselected: untouched
  QCOMPARE(d.notes()[1].note.startTicks, std::int64_t{480});
}

void TestNoteDocument::streamedNotesAreNotUndoSteps() {
  NoteDocument d;
  d.setScore(midi::Score{});
  d.appendStreamedNote({note(0, 0, 60), 0});
  d.appendStreamedNote({note(0, 0, 64), 0});
  d.appendStreamedNote({note(480, 0, 60), 0});
  d.endStreamedNote(0, 60, 240);
  d.endStreamedNote(480, 60, 960);
  QCOMPARE(d.notes()[0].note, note(0, 240, 60));
  QCOMPARE(d.notes()[1].note.durationTicks, std::int64_t{0}); // still sounding
  QCOMPARE(d.notes()[2].note, note(480, 480, 60));
  QCOMPARE(d.undoStack()->count(), 0);
  QCOMPARE(d.score().tracks.size(), std::size_t{1}); // a track is made for notes without one
}

void TestNoteDocument::streamEventsFindTheirNotes() {
  using Kind = tokenize::NoteEvent::Kind;
  NoteDocument d;
  d.setScore(midi::Score{});
  // Notes 0 and 1 share a start and a pitch; each end names its own start.
  QVERIFY(d.applyStreamEvent({Kind::Start, 0, 0, 60, 90}));
  QVERIFY(d.applyStreamEvent({Kind::Start, 1, 240, 62, 80}));
  QVERIFY(d.applyStreamEvent({Kind::Start, 2, 240, 62, 70}));
  QVERIFY(d.applyStreamEvent({Kind::End, 1, 480, 62, 0}));
  QVERIFY(d.applyStreamEvent({Kind::End, 0, 960, 60, 0}));
  QCOMPARE(d.notes()[0].note, note(0, 960, 60, 90));
  QCOMPARE(d.notes()[1].note.durationTicks + d.notes()[2].note.durationTicks, std::int64_t{240});
  QCOMPARE(d.undoStack()->count(), 0);
  // A new piece forgets the stream: an end of a note it never saw changes nothing.
  d.setScore(midi::Score{});
  QVERIFY(!d.applyStreamEvent({Kind::End, 2, 960, 62, 0}));
  QVERIFY(d.notes().empty());
}

QTEST_MAIN(TestNoteDocument)
#include "tst_notedocument.moc"
