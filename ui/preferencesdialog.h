#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lyrebird::ui {

/// Sound and MIDI settings, stored in QSettings under "sound/" and "midi/".
struct SoundPreferences {
  /// Where playback goes: the built-in synthesizer, a MIDI output port of another program
  /// or a device, or a virtual port "Lyrebird" that a DAW or a synth can connect to.
  enum class Output { Synth, MidiPort, VirtualPort };

  QString soundFont;   ///< empty: the bundled or system General MIDI SoundFont
  QString audioDriver; ///< empty: the first that works (pulseaudio, alsa, sdl2, jack)
  double gain = 0.5;
  bool reverb = true;
  bool chorus = true;
  Output output = Output::Synth;
  QString midiOutputPort; ///< with Output::MidiPort: the port's name
  QString midiInputPort;  ///< the keyboard primes are recorded from; empty: the first input

  static SoundPreferences load();
  void save() const;
};

/// Preferences: SoundFont, audio driver, gain, reverb and chorus, MIDI output and input
/// ports, and the trainer's torch threads. Changes apply when the dialog is accepted. GUI thread only.
class PreferencesDialog : public QDialog {
  Q_OBJECT

public:
  explicit PreferencesDialog(QWidget* parent = nullptr);

  SoundPreferences sound() const;
  int trainingThreads() const;

  /// Saves the dialog's values to QSettings.
  void save() const;

private:
  QLineEdit* m_soundFont = nullptr;
  QComboBox* m_driver = nullptr;
  QDoubleSpinBox* m_gain = nullptr;
  QCheckBox* m_reverb = nullptr;
  QCheckBox* m_chorus = nullptr;
  QComboBox* m_midiOutput = nullptr;
  QComboBox* m_midiInput = nullptr;
  QLabel* m_midiStatus = nullptr;
  QSpinBox* m_threads = nullptr;
};

} // namespace lyrebird::ui
