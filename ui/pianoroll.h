#pragma once

#include "notedocument.h"

#include <QAbstractScrollArea>
#include <QElapsedTimer>

#include <optional>

namespace lyrebird::ui {

/// The piano roll: a keyboard on the left (click a key to hear it), a bar/beat ruler, notes
/// coloured by velocity, a velocity lane, zoom on both axes (Ctrl+wheel, Ctrl+Shift+wheel),
/// selection (click, Ctrl+click, rubber band), drawing (double-click, or the draw tool),
/// moving and resizing with snap, and a playhead that the view follows until the user
/// scrolls away. Edits go through the NoteDocument, so they are undoable. GUI thread only.
class PianoRoll : public QAbstractScrollArea {
  Q_OBJECT

public:
  enum class Tool { Select, Draw };

  explicit PianoRoll(NoteDocument* document, QWidget* parent = nullptr);

  void setTool(Tool tool);
  Tool tool() const { return m_tool; }
  /// Snap grid in ticks (0: off).
  void setSnapTicks(std::int64_t ticks) { m_snapTicks = ticks; }
  std::int64_t snapTicks() const { return m_snapTicks; }
  void setPixelsPerQuarter(double pixels);
  double pixelsPerQuarter() const { return m_pixelsPerQuarter; }
  void setRowHeight(int pixels);
  int rowHeight() const { return m_rowHeight; }

  /// The playhead, in ticks of the document (negative: hidden).
  void setPlayheadTicks(std::int64_t ticks);
  /// Keep the playhead in view while it moves (suspended when the user scrolls away).
  void setFollowPlayhead(bool follow);
  bool followPlayhead() const { return m_follow; }
  /// Scrolls so `pitch` is in the middle (e.g. the middle of a piece's range).
  void centerOnPitch(int pitch);
  /// Zooms and scrolls so the whole piece (at least four bars of 4/4) and its pitch range fill
  /// the view: what an opened file or a new take shows first (View > Zoom to Fit).
  void zoomToFit();
  /// What the view shows: ticks from its left edge to its right, and the lowest and highest
  /// pitch rows wholly inside it.
  std::int64_t visibleStartTicks() const;
  std::int64_t visibleEndTicks() const;
  int visibleLowestPitch() const;
  int visibleHighestPitch() const;

  /// Time to paint the last frame, milliseconds (for the performance measurement).
  double lastPaintMs() const { return m_lastPaintMs; }

  static constexpr int kKeyboardWidth = 56;
  static constexpr int kRulerHeight = 22;
  static constexpr int kVelocityLaneHeight = 64;

Q_SIGNALS:
  void keyPressed(int pitch);
  void keyReleased(int pitch);
  /// The user clicked the ruler: move the playhead there.
  void seekRequested(std::int64_t ticks);
  /// The user dragged along the ruler over bars firstBar..lastBar (from 1, the piece's own bars as
  /// a grid model reads them); the notes starting in them are selected (Regenerate Region's range).
  void barsChosen(int firstBar, int lastBar);

protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void scrollContentsBy(int dx, int dy) override;
  bool viewportEvent(QEvent* event) override;
  bool event(QEvent* event) override;

private:
  enum class Drag { None, Move, Resize, RubberBand, Velocity, Key, Ruler };
  struct Hit {
    int index = -1;
    bool edge = false;
  };

  void notesPress(QMouseEvent* event);
  void notesMove(QMouseEvent* event);
  void notesRelease(QMouseEvent* event);
  void notesDoubleClick(QMouseEvent* event);
  void addNoteAt(const QPoint& pos);
  /// Selects the notes starting in the bars between two ruler positions; barsChosen says which.
  void chooseBars(std::int64_t fromTicks, std::int64_t toTicks);
  /// The note as it is drawn during a drag (moved or resized by the pending delta).
  midi::Note dragged(const midi::Note& note, bool selected) const;
  void updateScrollBars();
  QRect notesArea() const;
  double xForTicks(std::int64_t ticks) const;
  std::int64_t ticksForX(double x) const;
  int yForPitch(int pitch) const;
  int pitchForY(int y) const;
  std::int64_t snap(std::int64_t ticks) const;
  Hit hitTest(const QPoint& pos) const;
  QRectF noteRect(const midi::Note& note) const;
  void paintGrid(QPainter& p, const QRect& area);
  void paintNotes(QPainter& p, const QRect& area);
  void paintKeyboard(QPainter& p);
  void paintRuler(QPainter& p);
  void paintVelocityLane(QPainter& p);
  std::int64_t longestNoteTicks() const;

  bool m_fitted = false; // the view shows the whole piece (zoomToFit) and the user has not moved it since
  NoteDocument* m_document;
  Tool m_tool = Tool::Select;
  std::int64_t m_snapTicks = 120;
  double m_pixelsPerQuarter = 80.0;
  int m_rowHeight = 12;
  std::int64_t m_playhead = -1;
  bool m_follow = true;
  bool m_followSuspended = false;
  bool m_scrollingForPlayhead = false;

  Drag m_drag = Drag::None;
  QPoint m_pressPos;
  QPoint m_currentPos;
  int m_keyDown = -1;
  std::vector<std::uint8_t> m_selectionAtPress;
  std::int64_t m_dragTicks = 0; ///< pending move (start) or resize (length), snapped
  int m_dragPitch = 0;          ///< pending move, semitones
  double m_lastPaintMs = 0.0;
  mutable std::int64_t m_longestCache = -1;
};

} // namespace lyrebird::ui
