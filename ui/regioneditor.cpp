#include "regioneditor.h"

#include "generatepanel.h"
#include "transport.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include <algorithm>
#include <cmath>

namespace lyrebird::ui {

RegionEditor::RegionEditor(NoteDocument* document, GeneratePanel* generate, Transport* transport, QWidget* parent)
    : QWidget(parent), m_document(document), m_generate(generate), m_transport(transport) {
  setObjectName(QStringLiteral("regionEditor"));
  m_label = new QLabel(this);
  m_label->setObjectName(QStringLiteral("regionLabel"));
  auto button = [this](const QString& text, const QString& name, const QString& tip, auto slot) {
    auto* b = new QPushButton(text, this);
    b->setObjectName(name);
    b->setToolTip(tip);
    connect(b, &QPushButton::clicked, this, slot);
    return b;
  };
  m_previous = button(tr("◀ Previous"), QStringLiteral("regionPrevious"), tr("The candidate ranked above"),
                      &RegionEditor::previous);
  m_next = button(tr("Next ▶"), QStringLiteral("regionNext"), tr("The candidate ranked below"), &RegionEditor::next);
  m_accept = button(tr("Accept"), QStringLiteral("regionAccept"), tr("Keep this candidate (one undoable edit)"),
                    &RegionEditor::accept);
  m_tryAgain = button(tr("Try Again"), QStringLiteral("regionTryAgain"), tr("Write new candidates for these bars"),
                      &RegionEditor::tryAgain);
  m_cancel =
      button(tr("Cancel"), QStringLiteral("regionCancel"), tr("Back to the piece as it was"), &RegionEditor::cancel);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(6, 2, 6, 2);
  row->addWidget(m_label, 1);
  for (QPushButton* b : {m_previous, m_next, m_accept, m_tryAgain, m_cancel})
    row->addWidget(b);
  connect(m_generate, &GeneratePanel::regionReady, this, &RegionEditor::onReady);
  connect(m_document, &NoteDocument::selectionChanged, this, [this] {
    m_chosen.reset(); // a selection made otherwise replaces the ruler's bars (they come right after theirs)
  });
  connect(m_transport, &Transport::positionChanged, this, &RegionEditor::onPosition);
  setVisible(false);
}

void RegionEditor::chooseBars(int firstBar, int lastBar) {
  m_chosen = std::pair{std::min(firstBar, lastBar), std::max(firstBar, lastBar)};
}

std::optional<std::pair<int, int>> RegionEditor::selectedBars() const {
  if (m_chosen) return m_chosen;
  const std::vector<RollNote>& notes = m_document->notes();
  const std::vector<std::uint8_t>& selected = m_document->selection();
  std::int64_t first = -1, last = -1;
  for (std::size_t i = 0; i < notes.size() && i < selected.size(); ++i) {
    if (!selected[i]) continue;
    const std::int64_t start = notes[i].note.startTicks;
    first = first < 0 ? start : std::min(first, start);
    last = std::max(last, start);
  }
  if (first < 0) return std::nullopt;
  const std::vector<std::int64_t> bars = generate::barStarts(m_document->score());
  auto barOf = [&bars](std::int64_t ticks) {
    const auto after = std::upper_bound(bars.begin(), bars.end(), ticks);
    return static_cast<int>(std::max<std::ptrdiff_t>(1, after - bars.begin()));
  };
  const int lastBar = std::max(1, static_cast<int>(bars.size()) - 1);
  return std::pair{std::min(barOf(first), lastBar), std::min(barOf(last), lastBar)};
}

void RegionEditor::start() {
  if (m_active) return;
  const std::optional<std::pair<int, int>> bars = selectedBars();
  if (!bars) {
    Q_EMIT message(tr("Select notes in the bars to write again (the bars they cover), then Regenerate Region."));
    return;
  }
  begin(bars->first, bars->second, false);
}

void RegionEditor::continueFrom(std::int64_t ticks) {
  if (m_active) return;
  if (m_document->notes().empty()) {
    Q_EMIT message(tr("Open or write some music first: Continue From Here writes what follows the playhead."));
    return;
  }
  const std::vector<std::int64_t> starts = generate::barStarts(m_document->score());
  const int bars = static_cast<int>(starts.size()) - 1;
  if (ticks >= starts.back()) {
    begin(bars + 1, bars + kExtensionBars, true); // at the end: the piece goes on
    return;
  }
  const auto after = std::upper_bound(starts.begin(), starts.end(), std::max<std::int64_t>(0, ticks));
  begin(static_cast<int>(after - starts.begin()), bars, false);
}

void RegionEditor::begin(int first, int last, bool extend) {
  m_piece = m_document->score();
  m_before = m_document->notes();
  m_beforeSelection = m_document->selection();
  m_firstBar = first;
  m_lastBar = last;
  m_extend = extend;
  std::vector<std::int64_t> starts = generate::barStarts(m_piece);
  const std::int64_t lastLength = starts.back() - starts[starts.size() - 2];
  while (static_cast<int>(starts.size()) <= last + 1)
    starts.push_back(starts.back() + lastLength);
  m_loopStart = starts[static_cast<std::size_t>(std::max(0, first - 2))]; // a bar before the region
  m_loopEnd = starts[static_cast<std::size_t>(last + 1)];                 // and one after it
  m_active = true;
  setVisible(true);
  Q_EMIT activeChanged(true);
  ask();
}

void RegionEditor::ask() {
  m_waiting = true;
  m_result.reset();
  m_label->setText(tr("Writing bars %1–%2 again…").arg(m_firstBar).arg(m_lastBar));
  updateControls();
  m_generate->regenerateRegion(m_piece, m_firstBar, m_lastBar, m_extend);
}

void RegionEditor::onReady(std::shared_ptr<const generate::InfillResult> result, const QString& error) {
  if (!m_active || !m_waiting) return;
  m_waiting = false;
  if (!result || result->candidates.empty()) {
    Q_EMIT message(error.isEmpty() ? tr("No candidate could be written.") : error);
    cancel();
    return;
  }
  m_result = std::move(result);
  show(0);
  // The playhead to a bar before the region: Play auditions it at once (and the roll shows it).
  if (!m_transport->isPlaying()) m_transport->seekTicks(m_loopStart);
}

void RegionEditor::show(std::size_t index) {
  if (!m_result || index >= m_result->candidates.size()) return;
  m_index = index;
  const midi::Score piece = generate::withCandidate(m_piece, *m_result, index);
  std::vector<RollNote> notes = NoteDocument::flatten(piece);
  std::vector<std::uint8_t> selection(notes.size(), 0);
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const std::int64_t start = notes[i].note.startTicks;
    selection[i] = start >= m_result->startTicks && start < m_result->endTicks; // the region stays selected
  }
  m_document->showPreview(std::move(notes), std::move(selection));
  if (m_transport->isPlaying()) m_transport->setScore(m_document->score(), true); // heard at once
  const generate::InfillCandidate& c = m_result->candidates[index];
  QString which = c.original ? tr("the piece's own bars") : tr("candidate %1").arg(index + 1);
  if (index == 0) which += tr(" (the best)");
  QString line = tr("Bars %1–%2: %3 of %4").arg(m_firstBar).arg(m_lastBar).arg(which).arg(m_result->candidates.size());
  if (std::isfinite(c.score)) line += tr(" · the bars after it at %1 nats a token").arg(c.score, 0, 'f', 2);
  m_label->setText(line);
  updateControls();
}

void RegionEditor::next() {
  if (m_result && m_index + 1 < m_result->candidates.size()) show(m_index + 1);
}

void RegionEditor::previous() {
  if (m_result && m_index > 0) show(m_index - 1);
}

void RegionEditor::accept() {
  if (!m_active || !m_result) return;
  m_document->commitPreview(m_before, m_beforeSelection, tr("Regenerate bars %1–%2").arg(m_firstBar).arg(m_lastBar));
  Q_EMIT message(tr("Bars %1–%2 written again.").arg(m_firstBar).arg(m_lastBar));
  finish();
}

void RegionEditor::tryAgain() {
  if (!m_active || m_waiting) return;
  ask();
}

void RegionEditor::cancel() {
  if (!m_active) return;
  m_document->showPreview(m_before, m_beforeSelection);
  if (m_transport->isPlaying()) m_transport->setScore(m_document->score(), true);
  finish();
}

void RegionEditor::finish() {
  m_active = false;
  m_waiting = false;
  m_result.reset();
  m_before.clear();
  m_beforeSelection.clear();
  setVisible(false);
  Q_EMIT activeChanged(false);
}

void RegionEditor::onPosition(std::int64_t ticks) {
  // The audition loops around the region while the transport plays.
  if (m_active && m_result && m_transport->isPlaying() && m_loopEnd > m_loopStart && ticks >= m_loopEnd) {
    m_transport->seekTicks(m_loopStart);
  }
}

void RegionEditor::updateControls() {
  const bool ready = m_active && m_result && !m_waiting;
  m_previous->setEnabled(ready && m_index > 0);
  m_next->setEnabled(ready && m_index + 1 < candidateCount());
  m_accept->setEnabled(ready);
  m_tryAgain->setEnabled(ready);
  m_cancel->setEnabled(m_active);
}

} // namespace lyrebird::ui
