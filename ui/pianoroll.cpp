#include "pianoroll.h"

#include "generate/infill.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace lyrebird::ui {

namespace {

constexpr int kKeys = 128;
constexpr int kEdgePixels = 6; // grab a note this close to its end to resize it

bool isBlackKey(int pitch) {
  const int pc = pitch % 12;
  return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

// Soft notes cool blue, loud notes warm red.
QColor velocityColor(int velocity) {
  const double v = std::clamp(velocity, 1, 127) / 127.0;
  return QColor::fromHsvF(static_cast<float>(0.62 - 0.62 * v), 0.70f, static_cast<float>(0.70 + 0.25 * v));
}

QString pitchName(int pitch) {
  static const char* const names[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  return QString::fromLatin1(names[pitch % 12]) + QString::number(pitch / 12 - 1);
}

} // namespace

PianoRoll::PianoRoll(NoteDocument* document, QWidget* parent) : QAbstractScrollArea(parent), m_document(document) {
  setViewportMargins(kKeyboardWidth, kRulerHeight, 0, kVelocityLaneHeight);
  viewport()->setMouseTracking(true);
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(320, 240);
  connect(m_document, &NoteDocument::notesChanged, this, [this] {
    m_longestCache = -1;
    updateScrollBars();
    update();
    viewport()->update();
  });
  connect(m_document, &NoteDocument::selectionChanged, this, [this] {
    update();
    viewport()->update();
  });
  connect(horizontalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
    // The user scrolled: stop chasing the playhead until it comes back into view.
    if (!m_scrollingForPlayhead) m_followSuspended = true;
    m_fitted = false;
  });
  connect(verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] { m_fitted = false; });
  updateScrollBars();
  centerOnPitch(60);
}

void PianoRoll::setTool(Tool tool) {
  m_tool = tool;
  viewport()->setCursor(tool == Tool::Draw ? Qt::CrossCursor : Qt::ArrowCursor);
}

void PianoRoll::setPixelsPerQuarter(double pixels) {
  m_fitted = false;
  const std::int64_t anchor = ticksForX(0);
  m_pixelsPerQuarter = std::clamp(pixels, 4.0, 800.0);
  updateScrollBars();
  horizontalScrollBar()->setValue(
      static_cast<int>(std::llround(static_cast<double>(anchor) / m_document->ticksPerQuarter() * m_pixelsPerQuarter)));
  update();
  viewport()->update();
}

void PianoRoll::setRowHeight(int pixels) {
  m_fitted = false;
  const int centre = pitchForY(viewport()->height() / 2);
  m_rowHeight = std::clamp(pixels, 4, 40);
  updateScrollBars();
  centerOnPitch(centre);
  update();
  viewport()->update();
}

void PianoRoll::setPlayheadTicks(std::int64_t ticks) {
  const std::int64_t old = m_playhead;
  m_playhead = ticks;
  if (m_follow && ticks >= 0) {
    const bool inView = ticks >= visibleStartTicks() && ticks < visibleEndTicks();
    if (inView) m_followSuspended = false;
    if (!inView && !m_followSuspended) {
      m_scrollingForPlayhead = true;
      // Page along: the playhead goes back to the left edge of the view.
      horizontalScrollBar()->setValue(static_cast<int>(xForTicks(ticks) + horizontalScrollBar()->value() - 16));
      m_scrollingForPlayhead = false;
    }
  }
  if (old != ticks) {
    viewport()->update();
    update(QRect(kKeyboardWidth, 0, width() - kKeyboardWidth, kRulerHeight));
  }
}

void PianoRoll::setFollowPlayhead(bool follow) {
  m_follow = follow;
  m_followSuspended = false;
}

void PianoRoll::centerOnPitch(int pitch) {
  verticalScrollBar()->setValue((kKeys - 1 - std::clamp(pitch, 0, 127)) * m_rowHeight - viewport()->height() / 2);
}

void PianoRoll::zoomToFit() {
  int lowest = 127, highest = 0;
  for (const auto& n : m_document->notes()) {
    lowest = std::min<int>(lowest, n.note.pitch);
    highest = std::max<int>(highest, n.note.pitch);
  }
  if (lowest > highest) lowest = highest = 60; // an empty piece: middle C
  const double quarters =
      std::max(16.0, static_cast<double>(m_document->endTicks()) / std::max(1, m_document->ticksPerQuarter()));
  // A little room after the last note and around the range, so its edges are seen as edges.
  m_pixelsPerQuarter = std::clamp(viewport()->width() / (quarters * 1.02), 4.0, 800.0);
  m_rowHeight = std::clamp(viewport()->height() / (highest - lowest + 3), 4, 40);
  updateScrollBars();
  horizontalScrollBar()->setValue(0);
  centerOnPitch((lowest + highest + 1) / 2);
  m_followSuspended = false;
  m_fitted = true; // and stays fitted as the view is resized, until the user zooms or scrolls
  update();
  viewport()->update();
}

int PianoRoll::visibleLowestPitch() const {
  return pitchForY(viewport()->height() - 1) +
         ((viewport()->height() + verticalScrollBar()->value()) % m_rowHeight ? 1 : 0);
}

int PianoRoll::visibleHighestPitch() const {
  return pitchForY(0) - (verticalScrollBar()->value() % m_rowHeight ? 1 : 0);
}

void PianoRoll::updateScrollBars() {
  const double quarters = static_cast<double>(m_document->endTicks()) / m_document->ticksPerQuarter() + 16.0;
  const int width = static_cast<int>(quarters * m_pixelsPerQuarter);
  horizontalScrollBar()->setRange(0, std::max(0, width - viewport()->width()));
  horizontalScrollBar()->setPageStep(viewport()->width());
  horizontalScrollBar()->setSingleStep(static_cast<int>(m_pixelsPerQuarter / 4) + 1);
  verticalScrollBar()->setRange(0, std::max(0, kKeys * m_rowHeight - viewport()->height()));
  verticalScrollBar()->setPageStep(viewport()->height());
  verticalScrollBar()->setSingleStep(m_rowHeight);
}

void PianoRoll::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  if (m_fitted)
    zoomToFit(); // a file opened before the window had its size, a dock resized
  else
    updateScrollBars();
}

void PianoRoll::scrollContentsBy(int, int) {
  update();
  viewport()->update();
}

double PianoRoll::xForTicks(std::int64_t ticks) const {
  return static_cast<double>(ticks) / m_document->ticksPerQuarter() * m_pixelsPerQuarter -
         horizontalScrollBar()->value();
}

std::int64_t PianoRoll::ticksForX(double x) const {
  return static_cast<std::int64_t>(
      std::floor((x + horizontalScrollBar()->value()) / m_pixelsPerQuarter * m_document->ticksPerQuarter()));
}

int PianoRoll::yForPitch(int pitch) const {
  return (kKeys - 1 - pitch) * m_rowHeight - verticalScrollBar()->value();
}

int PianoRoll::pitchForY(int y) const {
  return std::clamp(kKeys - 1 - (y + verticalScrollBar()->value()) / m_rowHeight, 0, kKeys - 1);
}

std::int64_t PianoRoll::snap(std::int64_t ticks) const {
  if (m_snapTicks <= 0) return ticks;
  return static_cast<std::int64_t>(std::llround(static_cast<double>(ticks) / m_snapTicks)) * m_snapTicks;
}

std::int64_t PianoRoll::visibleStartTicks() const {
  return ticksForX(0);
}
std::int64_t PianoRoll::visibleEndTicks() const {
  return ticksForX(viewport()->width());
}

std::int64_t PianoRoll::longestNoteTicks() const {
  if (m_longestCache < 0) {
    m_longestCache = 0;
    for (const RollNote& n : m_document->notes())
      m_longestCache = std::max(m_longestCache, n.note.durationTicks);
  }
  return m_longestCache;
}

QRectF PianoRoll::noteRect(const midi::Note& note) const {
  const double x0 = xForTicks(note.startTicks);
  const double x1 = std::max(x0 + 3.0, xForTicks(note.endTicks()));
  return QRectF(x0, yForPitch(note.pitch), x1 - x0, m_rowHeight);
}

PianoRoll::Hit PianoRoll::hitTest(const QPoint& pos) const {
  const auto& notes = m_document->notes();
  const int pitch = pitchForY(pos.y());
  // Topmost (last painted) note first.
  for (int i = static_cast<int>(notes.size()) - 1; i >= 0; --i) {
    const midi::Note& n = notes[static_cast<std::size_t>(i)].note;
    if (n.pitch != pitch) continue;
    const QRectF r = noteRect(n);
    if (r.contains(pos)) return {i, pos.x() >= r.right() - kEdgePixels};
  }
  return {};
}

// ---- painting ----

void PianoRoll::paintEvent(QPaintEvent*) {
  QElapsedTimer timer;
  timer.start();
  QPainter p(viewport());
  const QRect area = viewport()->rect();
  paintGrid(p, area);
  paintNotes(p, area);
  if (m_document->notes().empty()) {
    // An empty roll says how to fill it.
    QFont hint = font();
    hint.setPointSizeF(hint.pointSizeF() * 1.1);
    p.setFont(hint);
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(area.adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
               tr("Press Generate (Ctrl+G) to write a new piece with the model. Double-click a file of the "
                  "corpus to open it, or drop a MIDI file here. Double-click in the grid (or press D) to draw "
                  "notes yourself."));
  }
  if (m_drag == Drag::RubberBand) {
    p.setPen(QPen(palette().highlight().color(), 1, Qt::DashLine));
    p.setBrush(QColor(palette().highlight().color().red(), palette().highlight().color().green(),
                      palette().highlight().color().blue(), 40));
    p.drawRect(QRect(m_pressPos, m_currentPos).normalized());
  }
  if (m_playhead >= 0) {
    const double x = xForTicks(m_playhead);
    p.setPen(QPen(QColor(230, 60, 40), 2));
    p.drawLine(QPointF(x, 0), QPointF(x, area.height()));
  }
  p.end();
  m_lastPaintMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

bool PianoRoll::event(QEvent* event) {
  // QAbstractScrollArea leaves its own mouse events unhandled (the viewport has them); those of
  // the margins (keyboard, ruler, velocity lane) go to mousePressEvent() and friends here.
  switch (event->type()) {
  case QEvent::MouseButtonPress:
  case QEvent::MouseButtonRelease:
  case QEvent::MouseButtonDblClick:
  case QEvent::MouseMove: return QWidget::event(event);
  default: break;
  }
  const bool handled = QAbstractScrollArea::event(event);
  if (event->type() == QEvent::Paint) {
    // The margins (keyboard, ruler, velocity lane) belong to the scroll area itself, whose
    // paint events do not reach paintEvent() (that one paints the viewport).
    QPainter frame(this);
    paintKeyboard(frame);
    paintRuler(frame);
    paintVelocityLane(frame);
  }
  return handled;
}

void PianoRoll::paintGrid(QPainter& p, const QRect& area) {
  const QColor white = palette().base().color();
  const QColor black = white.lightness() > 128 ? white.darker(112) : white.lighter(130);
  const int top = pitchForY(area.top());
  const int bottom = pitchForY(area.bottom());
  for (int pitch = bottom; pitch <= top; ++pitch) {
    const QRect row(area.left(), yForPitch(pitch), area.width(), m_rowHeight);
    p.fillRect(row, isBlackKey(pitch) ? black : white);
    if (pitch % 12 == 0) {
      p.setPen(palette().mid().color());
      p.drawLine(row.bottomLeft(), row.bottomRight());
    }
  }
  // Beats and bars from the time signature at each bar.
  const int tpq = m_document->ticksPerQuarter();
  const auto& signatures = m_document->header().timeSignatures;
  const std::int64_t end = visibleEndTicks();
  std::int64_t bar = 0;
  std::size_t sig = 0;
  int barNumber = 1;
  while (bar <= end) {
    while (sig + 1 < signatures.size() && signatures[sig + 1].ticks <= bar)
      ++sig;
    const int numerator = signatures.empty() ? 4 : std::max<int>(1, signatures[sig].numerator);
    const int denominator = signatures.empty() ? 4 : std::max<int>(1, signatures[sig].denominator);
    const std::int64_t beat = std::max<std::int64_t>(1, tpq * 4 / denominator);
    const std::int64_t barLength = beat * numerator;
    if (bar + barLength >= visibleStartTicks()) {
      const bool dense = m_pixelsPerQuarter * 4.0 / denominator < 8.0; // beats too close to draw
      for (int b = 0; b < numerator; ++b) {
        if (b > 0 && dense) continue;
        const double x = xForTicks(bar + b * beat);
        p.setPen(b == 0 ? palette().text().color() : palette().mid().color());
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
      }
    }
    bar += barLength;
    ++barNumber;
  }
}

void PianoRoll::paintNotes(QPainter& p, const QRect& area) {
  const auto& notes = m_document->notes();
  const auto& selected = m_document->selection();
  const std::int64_t from = visibleStartTicks() - longestNoteTicks();
  const std::int64_t to = visibleEndTicks();
  const int topPitch = pitchForY(area.top());
  const int bottomPitch = pitchForY(area.bottom());
  // Notes are sorted by start: skip to the first that can reach the view.
  auto first = std::lower_bound(notes.begin(), notes.end(), from,
                                [](const RollNote& n, std::int64_t t) { return n.note.startTicks < t; });
  const QColor outline = palette().text().color();
  const QColor highlight = palette().highlight().color();
  const bool dragging = m_drag == Drag::Move || m_drag == Drag::Resize;
  for (auto it = dragging ? notes.begin() : first; it != notes.end() && (dragging || it->note.startTicks <= to); ++it) {
    const auto i = static_cast<std::size_t>(it - notes.begin());
    const bool isSelected = i < selected.size() && selected[i];
    const midi::Note n = dragged(it->note, isSelected);
    if (n.pitch > topPitch || n.pitch < bottomPitch || n.endTicks() < visibleStartTicks() || n.startTicks > to)
      continue;
    const QRectF r = noteRect(n).adjusted(0, 1, 0, -1);
    p.fillRect(r, velocityColor(n.velocity));
    p.setPen(isSelected ? QPen(highlight, 2) : QPen(outline, 0.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);
  }
}

void PianoRoll::paintKeyboard(QPainter& p) {
  const QRect keys(0, kRulerHeight, kKeyboardWidth, viewport()->height());
  p.save();
  p.setClipRect(keys);
  p.fillRect(keys, Qt::white);
  QFont small = font();
  small.setPointSizeF(std::max(6.0, font().pointSizeF() - 2));
  p.setFont(small);
  const int top = pitchForY(0);
  const int bottom = pitchForY(viewport()->height());
  for (int pitch = bottom; pitch <= top; ++pitch) {
    const QRect key(0, kRulerHeight + yForPitch(pitch), kKeyboardWidth, m_rowHeight);
    const bool black = isBlackKey(pitch);
    const bool down = pitch == m_keyDown;
    p.fillRect(black ? key.adjusted(0, 0, -kKeyboardWidth / 3, 0) : key,
               down ? palette().highlight().color() : (black ? QColor(30, 30, 30) : Qt::white));
    p.setPen(QColor(150, 150, 150));
    p.drawLine(key.bottomLeft(), key.bottomRight());
    if (pitch % 12 == 0 && m_rowHeight >= 8) {
      p.setPen(Qt::black);
      p.drawText(key.adjusted(0, 0, -3, 0), Qt::AlignRight | Qt::AlignVCenter, pitchName(pitch));
    }
  }
  p.restore();
}

void PianoRoll::paintRuler(QPainter& p) {
  const QRect ruler(kKeyboardWidth, 0, viewport()->width(), kRulerHeight);
  p.save();
  p.setClipRect(ruler);
  p.fillRect(ruler, palette().window().color());
  p.setPen(palette().windowText().color());
  const int tpq = m_document->ticksPerQuarter();
  const auto& signatures = m_document->header().timeSignatures;
  const int numerator = signatures.empty() ? 4 : std::max<int>(1, signatures.front().numerator);
  const int denominator = signatures.empty() ? 4 : std::max<int>(1, signatures.front().denominator);
  const std::int64_t barTicks = std::max<std::int64_t>(1, static_cast<std::int64_t>(tpq) * 4 / denominator * numerator);
  const double barPixels = static_cast<double>(barTicks) / tpq * m_pixelsPerQuarter;
  const int every = std::max(1, static_cast<int>(std::ceil(40.0 / barPixels))); // labels at least 40 px apart
  const std::int64_t firstBar = std::max<std::int64_t>(0, visibleStartTicks() / barTicks);
  for (std::int64_t bar = firstBar; bar * barTicks <= visibleEndTicks(); ++bar) {
    if (bar % every != 0) continue;
    const double x = kKeyboardWidth + xForTicks(bar * barTicks);
    p.drawLine(QPointF(x, kRulerHeight - 6), QPointF(x, kRulerHeight));
    p.drawText(QPointF(x + 3, kRulerHeight - 7), QString::number(bar + 1));
  }
  if (m_playhead >= 0) {
    const double x = kKeyboardWidth + xForTicks(m_playhead);
    p.setBrush(QColor(230, 60, 40));
    p.setPen(Qt::NoPen);
    const QPointF tip[] = {{x - 5, 0}, {x + 5, 0}, {x, 8}};
    p.drawPolygon(tip, 3);
  }
  p.restore();
}

void PianoRoll::paintVelocityLane(QPainter& p) {
  const QRect lane(kKeyboardWidth, kRulerHeight + viewport()->height(), viewport()->width(), kVelocityLaneHeight);
  p.save();
  p.setClipRect(lane);
  p.fillRect(lane, palette().alternateBase().color());
  p.setPen(palette().mid().color());
  p.drawLine(lane.topLeft(), lane.topRight());
  const auto& notes = m_document->notes();
  const auto& selected = m_document->selection();
  auto first = std::lower_bound(notes.begin(), notes.end(), visibleStartTicks(),
                                [](const RollNote& n, std::int64_t t) { return n.note.startTicks < t; });
  for (auto it = first; it != notes.end() && it->note.startTicks <= visibleEndTicks(); ++it) {
    const auto i = static_cast<std::size_t>(it - notes.begin());
    const double x = kKeyboardWidth + xForTicks(it->note.startTicks);
    const double h = (kVelocityLaneHeight - 6) * it->note.velocity / 127.0;
    const bool isSelected = i < selected.size() && selected[i];
    p.setPen(QPen(isSelected ? palette().highlight().color() : velocityColor(it->note.velocity), 3));
    p.drawLine(QPointF(x + 1, lane.bottom()), QPointF(x + 1, lane.bottom() - h));
  }
  p.restore();
}

// ---- interaction ----

void PianoRoll::mousePressEvent(QMouseEvent* event) {
  const QPoint pos = event->position().toPoint();
  if (event->button() != Qt::LeftButton) return;
  // Margins: keyboard, ruler, velocity lane (the event arrives in the scroll area's coordinates).
  if (pos.x() < kKeyboardWidth && pos.y() >= kRulerHeight && pos.y() < kRulerHeight + viewport()->height()) {
    m_keyDown = pitchForY(pos.y() - kRulerHeight);
    m_drag = Drag::Key;
    Q_EMIT keyPressed(m_keyDown);
    update();
    return;
  }
  if (pos.y() < kRulerHeight && pos.x() >= kKeyboardWidth) {
    Q_EMIT seekRequested(std::max<std::int64_t>(0, ticksForX(pos.x() - kKeyboardWidth)));
    m_drag = Drag::Ruler; // a drag along the ruler chooses bars
    m_pressPos = pos;
    return;
  }
  if (pos.y() >= kRulerHeight + viewport()->height() && pos.x() >= kKeyboardWidth) {
    m_drag = Drag::Velocity;
    m_pressPos = pos;
    mouseMoveEvent(event);
    return;
  }
}

void PianoRoll::mouseReleaseEvent(QMouseEvent* event) {
  if (m_drag == Drag::Key) {
    Q_EMIT keyReleased(m_keyDown);
    m_keyDown = -1;
    update();
  }
  m_drag = Drag::None;
  QAbstractScrollArea::mouseReleaseEvent(event);
}

void PianoRoll::chooseBars(std::int64_t fromTicks, std::int64_t toTicks) {
  const std::vector<std::int64_t> bars = generate::barStarts(m_document->score());
  const int count = static_cast<int>(bars.size()) - 1;
  auto barOf = [&bars, count](std::int64_t ticks) {
    const auto after = std::upper_bound(bars.begin(), bars.end(), std::max<std::int64_t>(0, ticks));
    return std::clamp(static_cast<int>(after - bars.begin()), 1, std::max(1, count));
  };
  const int first = barOf(std::min(fromTicks, toTicks));
  const int last = barOf(std::max(fromTicks, toTicks));
  if (count < 1) return;
  const std::int64_t from = bars[static_cast<std::size_t>(first - 1)];
  const std::int64_t to = bars[static_cast<std::size_t>(last)];
  std::vector<std::uint8_t> selection;
  for (const RollNote& n : m_document->notes())
    selection.push_back(n.note.startTicks >= from && n.note.startTicks < to);
  m_document->setSelection(std::move(selection));
  Q_EMIT barsChosen(first, last);
}

void PianoRoll::mouseMoveEvent(QMouseEvent* event) {
  if (m_drag == Drag::Ruler && (event->buttons() & Qt::LeftButton)) {
    const QPoint pos = event->position().toPoint();
    if (std::abs(pos.x() - m_pressPos.x()) >= 4) {
      chooseBars(ticksForX(m_pressPos.x() - kKeyboardWidth), ticksForX(pos.x() - kKeyboardWidth));
    }
    return;
  }
  if (m_drag == Drag::Velocity && (event->buttons() & Qt::LeftButton)) {
    const int laneTop = kRulerHeight + viewport()->height();
    const int y = static_cast<int>(event->position().y()) - laneTop;
    const int velocity =
        std::clamp(static_cast<int>(127.0 * (kVelocityLaneHeight - 3 - y) / (kVelocityLaneHeight - 6)), 1, 127);
    if (m_document->selectedCount() > 0) m_document->setSelectedVelocity(velocity);
  }
}

void PianoRoll::mouseDoubleClickEvent(QMouseEvent* event) {
  QAbstractScrollArea::mouseDoubleClickEvent(event);
}

bool PianoRoll::viewportEvent(QEvent* event) {
  // Mouse events of the notes area come through here in viewport coordinates; those of
  // the margins (keyboard, ruler, velocity lane) reach mousePressEvent() and friends.
  switch (event->type()) {
  case QEvent::MouseButtonPress: notesPress(static_cast<QMouseEvent*>(event)); return true;
  case QEvent::MouseMove: notesMove(static_cast<QMouseEvent*>(event)); return true;
  case QEvent::MouseButtonRelease: notesRelease(static_cast<QMouseEvent*>(event)); return true;
  case QEvent::MouseButtonDblClick: notesDoubleClick(static_cast<QMouseEvent*>(event)); return true;
  default: return QAbstractScrollArea::viewportEvent(event);
  }
}

void PianoRoll::addNoteAt(const QPoint& pos) {
  const std::int64_t grid = m_snapTicks > 0 ? m_snapTicks : m_document->ticksPerQuarter() / 4;
  const std::int64_t start = std::max<std::int64_t>(0, ticksForX(pos.x()) / grid * grid);
  const int pitch = pitchForY(pos.y());
  m_document->addNote({{start, grid, static_cast<std::uint8_t>(pitch), 100}, 0});
  Q_EMIT keyPressed(pitch);
  Q_EMIT keyReleased(pitch);
}

void PianoRoll::notesPress(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  const QPoint pos = event->position().toPoint();
  m_pressPos = m_currentPos = pos;
  m_dragTicks = 0;
  m_dragPitch = 0;
  const Hit hit = hitTest(pos);
  const bool toggle = event->modifiers() & Qt::ControlModifier;
  if (hit.index < 0) {
    if (m_tool == Tool::Draw) {
      addNoteAt(pos);
      m_drag = Drag::Resize; // dragging on stretches the new note
      return;
    }
    m_selectionAtPress = toggle ? m_document->selection() : std::vector<std::uint8_t>(m_document->notes().size(), 0);
    m_document->setSelection(m_selectionAtPress);
    m_drag = Drag::RubberBand;
    return;
  }
  std::vector<std::uint8_t> selection = m_document->selection();
  const auto i = static_cast<std::size_t>(hit.index);
  if (toggle) {
    selection[i] = !selection[i];
  } else if (!selection[i]) {
    selection.assign(selection.size(), 0);
    selection[i] = 1;
  }
  m_document->setSelection(selection);
  m_drag = selection[i] ? (hit.edge ? Drag::Resize : Drag::Move) : Drag::None;
}

void PianoRoll::notesMove(QMouseEvent* event) {
  const QPoint pos = event->position().toPoint();
  m_currentPos = pos;
  if (m_drag == Drag::None) {
    const Hit hit = hitTest(pos);
    viewport()->setCursor(hit.index >= 0 ? (hit.edge ? Qt::SizeHorCursor : Qt::OpenHandCursor)
                                         : (m_tool == Tool::Draw ? Qt::CrossCursor : Qt::ArrowCursor));
    return;
  }
  const double ticksPerPixel = m_document->ticksPerQuarter() / m_pixelsPerQuarter;
  const auto deltaTicks = static_cast<std::int64_t>(std::llround((pos.x() - m_pressPos.x()) * ticksPerPixel));
  if (m_drag == Drag::Move) {
    m_dragTicks = m_snapTicks > 0 ? snap(deltaTicks) : deltaTicks;
    m_dragPitch = pitchForY(pos.y()) - pitchForY(m_pressPos.y());
  } else if (m_drag == Drag::Resize) {
    m_dragTicks = m_snapTicks > 0 ? snap(deltaTicks) : deltaTicks;
  } else if (m_drag == Drag::RubberBand) {
    const QRect band = QRect(m_pressPos, pos).normalized();
    std::vector<std::uint8_t> selection = m_selectionAtPress;
    const auto& notes = m_document->notes();
    for (std::size_t i = 0; i < notes.size(); ++i) {
      if (band.intersects(noteRect(notes[i].note).toRect())) selection[i] = 1;
    }
    m_document->setSelection(std::move(selection));
  }
  viewport()->update();
}

void PianoRoll::notesRelease(QMouseEvent*) {
  const Drag drag = m_drag;
  m_drag = Drag::None;
  if (drag == Drag::Move && (m_dragTicks != 0 || m_dragPitch != 0)) {
    m_document->moveSelected(m_dragTicks, m_dragPitch);
  } else if (drag == Drag::Resize && m_dragTicks != 0) {
    m_document->resizeSelected(m_dragTicks, m_snapTicks > 0 ? m_snapTicks : 1);
  }
  m_dragTicks = 0;
  m_dragPitch = 0;
  viewport()->update();
}

void PianoRoll::notesDoubleClick(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && hitTest(event->position().toPoint()).index < 0) {
    addNoteAt(event->position().toPoint());
  }
}

midi::Note PianoRoll::dragged(const midi::Note& note, bool selected) const {
  if (!selected || m_drag == Drag::None) return note;
  midi::Note n = note;
  if (m_drag == Drag::Move) {
    n.startTicks = std::max<std::int64_t>(0, n.startTicks + m_dragTicks);
    n.pitch = static_cast<std::uint8_t>(std::clamp(n.pitch + m_dragPitch, 0, 127));
  } else if (m_drag == Drag::Resize) {
    n.durationTicks = std::max<std::int64_t>(m_snapTicks > 0 ? m_snapTicks : 1, n.durationTicks + m_dragTicks);
  }
  return n;
}

void PianoRoll::wheelEvent(QWheelEvent* event) {
  const int steps = event->angleDelta().y() / 120;
  if (event->modifiers() & Qt::ControlModifier) {
    if (event->modifiers() & Qt::ShiftModifier) {
      setRowHeight(m_rowHeight + steps * 2);
    } else {
      setPixelsPerQuarter(m_pixelsPerQuarter * std::pow(1.25, steps));
    }
    event->accept();
    return;
  }
  if (event->modifiers() & Qt::ShiftModifier) {
    m_followSuspended = true;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - steps * horizontalScrollBar()->singleStep() * 3);
    event->accept();
    return;
  }
  QAbstractScrollArea::wheelEvent(event);
}

} // namespace lyrebird::ui
