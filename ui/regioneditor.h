#pragma once

#include "generate/infill.h"
#include "midi/score.h"
#include "notedocument.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QLabel;
class QPushButton;

namespace lyrebird::ui {

class GeneratePanel;
class Transport;

/// Regenerate Region: the bars the selected notes cover are written again by the open model
/// (GeneratePanel::regenerateRegion: candidates ranked by how well the music after the region
/// follows each, and the piece's own bars among them). This strip above the piano roll then
/// auditions them one at a time, best first: the piano roll shows the piece with the candidate
/// in its region, and while the transport plays it loops from a bar before the region to a bar
/// after it. Previous / Next, Accept (one undoable edit), Try Again (new candidates), Cancel
/// (the piece as it was). Notes outside the region never change. GUI thread only.
class RegionEditor : public QWidget {
  Q_OBJECT

public:
  static constexpr int kExtensionBars = 4; ///< Continue From Here at the end of the piece adds these

  RegionEditor(NoteDocument* document, GeneratePanel* generate, Transport* transport, QWidget* parent = nullptr);

  /// The bars (from 1) that the selected notes cover, on the piece's own time signatures;
  /// nullopt when no note is selected.
  std::optional<std::pair<int, int>> selectedBars() const;
  /// Auditioning candidates (or waiting for them).
  bool isActive() const { return m_active; }
  std::size_t candidateIndex() const { return m_index; }
  std::size_t candidateCount() const { return m_result ? m_result->candidates.size() : 0; }
  /// The part of the piece the transport loops over while auditioning: [first, second).
  std::pair<std::int64_t, std::int64_t> loop() const { return {m_loopStart, m_loopEnd}; }

public Q_SLOTS:
  /// Regenerate Region: the selected notes' bars (a message says what to do without a selection).
  void start();
  /// Bars chosen along the ruler: Regenerate Region takes them (empty bars too) until the
  /// selection changes otherwise.
  void chooseBars(int firstBar, int lastBar);
  /// Continue From Here: from the bar of `ticks` (the playhead) to the end written again; at or
  /// after the end, kExtensionBars more bars.
  void continueFrom(std::int64_t ticks);
  void next();
  void previous();
  /// Keeps the candidate shown: one undo step ("Regenerate bars A–B").
  void accept();
  /// New candidates for the same bars.
  void tryAgain();
  /// Back to the piece as it was.
  void cancel();

Q_SIGNALS:
  void message(const QString& text);
  void activeChanged(bool active);

private:
  /// Auditions candidates for bars first..last (`extend`: some lie after the piece's end).
  void begin(int first, int last, bool extend);
  void ask();
  void onReady(std::shared_ptr<const generate::InfillResult> result, const QString& error);
  void show(std::size_t index);
  void finish();
  void onPosition(std::int64_t ticks);
  void updateControls();

  NoteDocument* m_document;
  GeneratePanel* m_generate;
  Transport* m_transport;
  midi::Score m_piece; // as it was when the region was chosen
  std::vector<RollNote> m_before;
  std::vector<std::uint8_t> m_beforeSelection;
  std::shared_ptr<const generate::InfillResult> m_result;
  std::size_t m_index = 0;
  int m_firstBar = 0, m_lastBar = 0;
  std::int64_t m_loopStart = 0, m_loopEnd = 0;
  bool m_active = false;
  bool m_waiting = false;
  bool m_extend = false;
  std::optional<std::pair<int, int>> m_chosen; // bars chosen on the ruler
  QLabel* m_label = nullptr;
  QPushButton* m_previous = nullptr;
  QPushButton* m_next = nullptr;
  QPushButton* m_accept = nullptr;
  QPushButton* m_tryAgain = nullptr;
  QPushButton* m_cancel = nullptr;
};

} // namespace lyrebird::ui
