#pragma once

#include "midi/score.h"
#include "tokenize/tokenizer.h"

#include <QObject>
#include <QUndoStack>

#include <vector>

namespace lyrebird::ui {

/// A note of the piano roll: the note and the track it belongs to.
struct RollNote {
  midi::Note note;
  int track = 0;
  friend bool operator==(const RollNote&, const RollNote&) = default;
};

/// The piece being viewed and edited: a Score whose notes are flattened into one list
/// (sorted by start, then pitch) for the piano roll, a selection, and an undo stack. Every
/// edit is a QUndoCommand that swaps whole note lists, so undo restores exactly.
/// GUI thread only.
class NoteDocument : public QObject {
  Q_OBJECT

public:
  explicit NoteDocument(QObject* parent = nullptr);

  /// Replaces the piece (not undoable: a new document); clears selection and history.
  void setScore(const midi::Score& score);
  /// The piece with the current notes put back into their tracks.
  midi::Score score() const;
  const midi::Score& header() const { return m_header; } ///< tempo, signatures, tracks (their notes are stale)
  int ticksPerQuarter() const { return m_header.ticksPerQuarter; }

  const std::vector<RollNote>& notes() const { return m_notes; }
  const std::vector<std::uint8_t>& selection() const { return m_selected; } ///< one flag per note
  int selectedCount() const;
  void setSelection(std::vector<std::uint8_t> selected);
  void selectAll();
  void clearSelection();

  /// Streaming (a generation in progress): appends a note without an undo step.
  void appendStreamedNote(const RollNote& note);
  /// Ends the streamed note of `pitch` that started at `startTicks`.
  void endStreamedNote(std::int64_t startTicks, std::uint8_t pitch, std::int64_t endTicks);
  /// A generator's note event, as it streams: a start appends its note, an end gives the note
  /// it names its length. False for an end whose start this document never saw (after a
  /// setScore() in between, say).
  bool applyStreamEvent(const tokenize::NoteEvent& event);

  // Undoable edits; each pushes one command.
  void addNote(const RollNote& note);
  void deleteSelected();
  /// Moves the selected notes by `ticks` and `semitones` (clamped to the keyboard and 0).
  void moveSelected(std::int64_t ticks, int semitones, const QString& text = tr("Move notes"));
  /// Adds `ticks` to the length of the selected notes (at least `minimumTicks` long).
  void resizeSelected(std::int64_t ticks, std::int64_t minimumTicks);
  void setSelectedVelocity(int velocity);
  void transposeSelected(int semitones);
  /// Snaps the starts and ends of the selected notes (all notes when none is selected) to a
  /// grid of `gridTicks`.
  void quantize(std::int64_t gridTicks);
  /// Shows `notes` without an undo step (an audition: commitPreview() or another preview follows).
  void showPreview(std::vector<RollNote> notes, std::vector<std::uint8_t> selection);
  /// Makes what is shown one undo step from `before` (the notes before the previews began).
  void commitPreview(std::vector<RollNote> before, std::vector<std::uint8_t> beforeSelection, const QString& text);
  /// A piece's notes as the document holds them: every track's, sorted by start, then pitch.
  static std::vector<RollNote> flatten(const midi::Score& score);

  /// Replaces all notes (one undo step), e.g. after a drag that previewed its result.
  void replaceNotes(std::vector<RollNote> notes, std::vector<std::uint8_t> selection, const QString& text);

  QUndoStack* undoStack() { return &m_undo; }
  /// End of the last note, ticks.
  std::int64_t endTicks() const;

Q_SIGNALS:
  void notesChanged();
  void selectionChanged();

private:
  friend class NotesCommand;
  void apply(std::vector<RollNote> notes, std::vector<std::uint8_t> selection);

  midi::Score m_header;
  std::vector<RollNote> m_notes;
  std::vector<std::uint8_t> m_selected;
  std::vector<std::int64_t> m_streamStarts; // start ticks of the streamed notes, by note index
  QUndoStack m_undo;
};

} // namespace lyrebird::ui
