#pragma once

#include "midi/score.h"

#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QPushButton;
class QTimer;

namespace lyrebird::midiio {
class MidiInput;
}

namespace lyrebird::ui {

/// A Record button and a line that says what it heard: records a phrase from the MIDI keyboard
/// chosen in the preferences (else the first input port) for a generation to continue. Without
/// a MIDI system or a keyboard it says so in one sentence and is ready again. GUI thread only.
class PhraseRecorder : public QWidget {
  Q_OBJECT

public:
  explicit PhraseRecorder(QWidget* parent = nullptr);
  ~PhraseRecorder() override;

  /// The tempo a recording is written in, asked when it stops (the Generate panel's tempo, or
  /// the model's); 120 BPM when not set.
  void setTempoSource(std::function<double()> tempoBpm) { m_tempoBpm = std::move(tempoBpm); }

  bool isRecording() const { return m_input != nullptr; }
  /// Ends a recording in progress (its phrase becomes recording()); nothing when none runs.
  void stop();
  /// The last recorded phrase; empty before the first one.
  const midi::Score& recording() const { return m_recording; }

private:
  void toggle();
  void start();
  void updateLabel();

  QPushButton* m_record = nullptr;
  QLabel* m_label = nullptr;
  QTimer* m_timer = nullptr;
  std::function<double()> m_tempoBpm;
  std::unique_ptr<midiio::MidiInput> m_input; // open while recording
  midi::Score m_recording;
};

} // namespace lyrebird::ui
