#include "notedocument.h"

#include <QUndoCommand>

#include <algorithm>
#include <numeric>

namespace lyrebird::ui {

/// Swaps the document's notes and selection between two states.
class NotesCommand : public QUndoCommand {
public:
  NotesCommand(NoteDocument* document, std::vector<RollNote> before, std::vector<std::uint8_t> beforeSelection,
               std::vector<RollNote> after, std::vector<std::uint8_t> afterSelection, const QString& text)
      : QUndoCommand(text), m_document(document), m_before(std::move(before)),
        m_beforeSelection(std::move(beforeSelection)), m_after(std::move(after)),
        m_afterSelection(std::move(afterSelection)) {}
  void redo() override { m_document->apply(m_after, m_afterSelection); }
  void undo() override { m_document->apply(m_before, m_beforeSelection); }

private:
  NoteDocument* m_document;
  std::vector<RollNote> m_before;
  std::vector<std::uint8_t> m_beforeSelection;
  std::vector<RollNote> m_after;
  std::vector<std::uint8_t> m_afterSelection;
};

namespace {

// Sorts notes by start then pitch, carrying the selection flags along.
void sortNotes(std::vector<RollNote>& notes, std::vector<std::uint8_t>& selection) {
  std::vector<std::size_t> order(notes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const midi::Note& x = notes[a].note;
    const midi::Note& y = notes[b].note;
    return x.startTicks != y.startTicks ? x.startTicks < y.startTicks : x.pitch < y.pitch;
  });
  std::vector<RollNote> sortedNotes;
  std::vector<std::uint8_t> sortedSelection;
  sortedNotes.reserve(notes.size());
  sortedSelection.reserve(notes.size());
  for (std::size_t i : order) {
    sortedNotes.push_back(notes[i]);
    sortedSelection.push_back(i < selection.size() ? selection[i] : 0);
  }
  notes.swap(sortedNotes);
  selection.swap(sortedSelection);
}

} // namespace

NoteDocument::NoteDocument(QObject* parent) : QObject(parent) {
  m_undo.setUndoLimit(200);
}

void NoteDocument::setScore(const midi::Score& score) {
  m_header = score;
  m_streamStarts.clear();
  for (midi::Track& track : m_header.tracks)
    track.notes.clear();
  m_notes = flatten(score);
  m_selected.assign(m_notes.size(), 0);
  m_undo.clear();
  Q_EMIT notesChanged();
  Q_EMIT selectionChanged();
}

midi::Score NoteDocument::score() const {
  midi::Score score = m_header;
  if (score.tracks.empty() && !m_notes.empty()) score.tracks.emplace_back();
  for (const RollNote& n : m_notes) {
    const auto track = static_cast<std::size_t>(std::clamp(n.track, 0, static_cast<int>(score.tracks.size()) - 1));
    score.tracks[track].notes.push_back(n.note);
  }
  return score;
}

int NoteDocument::selectedCount() const {
  return static_cast<int>(std::count(m_selected.begin(), m_selected.end(), std::uint8_t{1}));
}

void NoteDocument::setSelection(std::vector<std::uint8_t> selected) {
  selected.resize(m_notes.size(), 0);
  if (selected == m_selected) return;
  m_selected = std::move(selected);
  Q_EMIT selectionChanged();
}

void NoteDocument::selectAll() {
  setSelection(std::vector<std::uint8_t>(m_notes.size(), 1));
}
void NoteDocument::clearSelection() {
  setSelection(std::vector<std::uint8_t>(m_notes.size(), 0));
}

void NoteDocument::appendStreamedNote(const RollNote& note) {
  // Streamed starts arrive in time order, so this is nearly always the end of the list.
  const auto at = std::upper_bound(m_notes.begin(), m_notes.end(), note, [](const RollNote& a, const RollNote& b) {
    return a.note.startTicks != b.note.startTicks ? a.note.startTicks < b.note.startTicks : a.note.pitch < b.note.pitch;
  });
  m_selected.insert(m_selected.begin() + (at - m_notes.begin()), 0);
  m_notes.insert(at, note);
  Q_EMIT notesChanged();
}

void NoteDocument::endStreamedNote(std::int64_t startTicks, std::uint8_t pitch, std::int64_t endTicks) {
  // The list is sorted by start: look back from the end. Two notes may share start and
  // pitch; each end goes to one that is still open (a streamed note has no length yet).
  RollNote* match = nullptr;
  for (auto it = m_notes.rbegin(); it != m_notes.rend() && it->note.startTicks >= startTicks; ++it) {
    if (it->note.startTicks != startTicks || it->note.pitch != pitch) continue;
    if (!match || it->note.durationTicks == 0) match = &*it;
  }
  if (!match) return;
  match->note.durationTicks = std::max<std::int64_t>(0, endTicks - startTicks);
  Q_EMIT notesChanged();
}

bool NoteDocument::applyStreamEvent(const tokenize::NoteEvent& event) {
  if (event.kind == tokenize::NoteEvent::Kind::Start) {
    if (m_streamStarts.size() <= event.note) m_streamStarts.resize(event.note + 1, 0);
    m_streamStarts[event.note] = event.ticks;
    appendStreamedNote({{event.ticks, 0, event.pitch, event.velocity}, 0});
    return true;
  }
  if (event.note >= m_streamStarts.size()) return false;
  endStreamedNote(m_streamStarts[event.note], event.pitch, event.ticks);
  return true;
}

void NoteDocument::apply(std::vector<RollNote> notes, std::vector<std::uint8_t> selection) {
  m_notes = std::move(notes);
  m_selected = std::move(selection);
  m_selected.resize(m_notes.size(), 0);
  Q_EMIT notesChanged();
  Q_EMIT selectionChanged();
}

std::vector<RollNote> NoteDocument::flatten(const midi::Score& score) {
  std::vector<RollNote> notes;
  for (std::size_t t = 0; t < score.tracks.size(); ++t) {
    for (const midi::Note& n : score.tracks[t].notes)
      notes.push_back({n, static_cast<int>(t)});
  }
  std::vector<std::uint8_t> selection(notes.size(), 0);
  sortNotes(notes, selection);
  return notes;
}

void NoteDocument::showPreview(std::vector<RollNote> notes, std::vector<std::uint8_t> selection) {
  selection.resize(notes.size(), 0);
  sortNotes(notes, selection);
  apply(std::move(notes), std::move(selection));
}

void NoteDocument::commitPreview(std::vector<RollNote> before, std::vector<std::uint8_t> beforeSelection,
                                 const QString& text) {
  beforeSelection.resize(before.size(), 0);
  sortNotes(before, beforeSelection);
  if (before == m_notes) return;
  m_undo.push(new NotesCommand(this, std::move(before), std::move(beforeSelection), m_notes, m_selected, text));
}

void NoteDocument::replaceNotes(std::vector<RollNote> notes, std::vector<std::uint8_t> selection, const QString& text) {
  selection.resize(notes.size(), 0);
  sortNotes(notes, selection);
  if (notes == m_notes && selection == m_selected) return;
  m_undo.push(new NotesCommand(this, m_notes, m_selected, std::move(notes), std::move(selection), text));
}

void NoteDocument::addNote(const RollNote& note) {
  std::vector<RollNote> notes = m_notes;
  std::vector<std::uint8_t> selection(m_notes.size(), 0);
  notes.push_back(note);
  selection.push_back(1); // the new note is selected, ready to be dragged
  replaceNotes(std::move(notes), std::move(selection), tr("Add note"));
}

void NoteDocument::deleteSelected() {
  if (selectedCount() == 0) return;
  std::vector<RollNote> kept;
  for (std::size_t i = 0; i < m_notes.size(); ++i) {
    if (!m_selected[i]) kept.push_back(m_notes[i]);
  }
  const int count = selectedCount();
  replaceNotes(std::move(kept), {}, count == 1 ? tr("Delete note") : tr("Delete %1 notes").arg(count));
}

void NoteDocument::moveSelected(std::int64_t ticks, int semitones, const QString& text) {
  if (selectedCount() == 0 || (ticks == 0 && semitones == 0)) return;
  // The whole selection moves together: clamp the shift so no note leaves the keyboard or time 0.
  std::int64_t earliest = INT64_MAX;
  int lowest = 127, highest = 0;
  for (std::size_t i = 0; i < m_notes.size(); ++i) {
    if (!m_selected[i]) continue;
    earliest = std::min(earliest, m_notes[i].note.startTicks);
    lowest = std::min<int>(lowest, m_notes[i].note.pitch);
    highest = std::max<int>(highest, m_notes[i].note.pitch);
  }
  ticks = std::max(ticks, -earliest);
  semitones = std::clamp(semitones, -lowest, 127 - highest);
  std::vector<RollNote> notes = m_notes;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (!m_selected[i]) continue;
    notes[i].note.startTicks += ticks;
    notes[i].note.pitch = static_cast<std::uint8_t>(notes[i].note.pitch + semitones);
  }
  replaceNotes(std::move(notes), m_selected, text);
}

void NoteDocument::resizeSelected(std::int64_t ticks, std::int64_t minimumTicks) {
  std::vector<RollNote> notes = m_notes;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (m_selected[i]) notes[i].note.durationTicks = std::max(minimumTicks, notes[i].note.durationTicks + ticks);
  }
  replaceNotes(std::move(notes), m_selected, tr("Resize notes"));
}

void NoteDocument::setSelectedVelocity(int velocity) {
  std::vector<RollNote> notes = m_notes;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (m_selected[i]) notes[i].note.velocity = static_cast<std::uint8_t>(std::clamp(velocity, 1, 127));
  }
  replaceNotes(std::move(notes), m_selected, tr("Change velocity"));
}

void NoteDocument::transposeSelected(int semitones) {
  moveSelected(0, semitones, tr("Transpose"));
}

void NoteDocument::quantize(std::int64_t gridTicks) {
  if (gridTicks <= 0) return;
  const bool all = selectedCount() == 0;
  auto snap = [&](std::int64_t t) { return (t + gridTicks / 2) / gridTicks * gridTicks; };
  std::vector<RollNote> notes = m_notes;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (!all && !m_selected[i]) continue;
    midi::Note& n = notes[i].note;
    const std::int64_t start = snap(n.startTicks);
    const std::int64_t end = std::max(start + gridTicks, snap(n.endTicks()));
    n.startTicks = start;
    n.durationTicks = end - start;
  }
  replaceNotes(std::move(notes), m_selected, tr("Quantize"));
}

std::int64_t NoteDocument::endTicks() const {
  std::int64_t end = 0;
  for (const RollNote& n : m_notes)
    end = std::max(end, n.note.endTicks());
  return end;
}

} // namespace lyrebird::ui
