#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace lyrebird::ui {

/// Sound settings, stored in QSettings under "sound/".
struct SoundPreferences {
  QString soundFont;   ///< empty: the bundled or system General MIDI SoundFont
  QString audioDriver; ///< empty: the first that works (pulseaudio, alsa, sdl2, jack)
  double gain = 0.5;
  bool reverb = true;
  bool chorus = true;

  static SoundPreferences load();
  void save() const;
};

/// Preferences: SoundFont, audio driver, gain, reverb and chorus, and the trainer's torch
/// threads. Changes apply when the dialog is accepted. GUI thread only.
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
  QSpinBox* m_threads = nullptr;
};

} // namespace lyrebird::ui
