#include "preferencesdialog.h"

#include "audio/player.h"
#include "audio/soundfont.h"
#include "midiio/midiports.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lyrebird::ui {

SoundPreferences SoundPreferences::load() {
  QSettings s;
  SoundPreferences p;
  p.soundFont = s.value(QStringLiteral("sound/soundfont")).toString();
  p.audioDriver = s.value(QStringLiteral("sound/driver")).toString();
  p.gain = s.value(QStringLiteral("sound/gain"), 0.5).toDouble();
  p.reverb = s.value(QStringLiteral("sound/reverb"), true).toBool();
  p.chorus = s.value(QStringLiteral("sound/chorus"), true).toBool();
  const QString output = s.value(QStringLiteral("midi/output")).toString();
  p.output = output == QLatin1String("port")      ? Output::MidiPort
             : output == QLatin1String("virtual") ? Output::VirtualPort
                                                  : Output::Synth;
  p.midiOutputPort = s.value(QStringLiteral("midi/outputPort")).toString();
  p.midiInputPort = s.value(QStringLiteral("midi/inputPort")).toString();
  return p;
}

void SoundPreferences::save() const {
  QSettings s;
  s.setValue(QStringLiteral("sound/soundfont"), soundFont);
  s.setValue(QStringLiteral("sound/driver"), audioDriver);
  s.setValue(QStringLiteral("sound/gain"), gain);
  s.setValue(QStringLiteral("sound/reverb"), reverb);
  s.setValue(QStringLiteral("sound/chorus"), chorus);
  s.setValue(QStringLiteral("midi/output"), output == Output::MidiPort      ? QStringLiteral("port")
                                            : output == Output::VirtualPort ? QStringLiteral("virtual")
                                                                            : QStringLiteral("synth"));
  s.setValue(QStringLiteral("midi/outputPort"), midiOutputPort);
  s.setValue(QStringLiteral("midi/inputPort"), midiInputPort);
}

namespace {

// Item data of the "Play through" list: what plays, and the port's name.
QVariant outputData(SoundPreferences::Output output, const QString& port = {}) {
  return QStringList{QString::number(static_cast<int>(output)), port};
}

} // namespace

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Preferences"));
  const SoundPreferences current = SoundPreferences::load();
  m_soundFont = new QLineEdit(current.soundFont, this);
  m_soundFont->setObjectName(QStringLiteral("soundFont"));
  const Result<std::filesystem::path> automatic = audio::findSoundFont({});
  m_soundFont->setPlaceholderText(automatic ? tr("default: %1").arg(QString::fromStdString(automatic->string()))
                                            : tr("none found: choose a .sf2 file"));
  auto* browse = new QPushButton(tr("Choose…"), this);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a SoundFont"), m_soundFont->text(),
                                                      tr("SoundFonts (*.sf2 *.sf3)"));
    if (!path.isEmpty()) m_soundFont->setText(path);
  });
  auto* soundFontRow = new QHBoxLayout;
  soundFontRow->addWidget(m_soundFont, 1);
  soundFontRow->addWidget(browse);
  m_driver = new QComboBox(this);
  m_driver->addItem(tr("automatic"), QString());
  for (const std::string& d : audio::Player::defaultDrivers())
    m_driver->addItem(QString::fromStdString(d), QString::fromStdString(d));
  m_driver->setCurrentIndex(std::max(0, m_driver->findData(current.audioDriver)));
  m_gain = new QDoubleSpinBox(this);
  m_gain->setRange(0.0, 5.0);
  m_gain->setSingleStep(0.1);
  m_gain->setValue(current.gain);
  m_reverb = new QCheckBox(tr("Reverb"), this);
  m_reverb->setChecked(current.reverb);
  m_chorus = new QCheckBox(tr("Chorus"), this);
  m_chorus->setChecked(current.chorus);

  // MIDI ports as the system lists them now; a saved port that is not there keeps its entry.
  m_midiOutput = new QComboBox(this);
  m_midiOutput->setObjectName(QStringLiteral("midiOutput"));
  m_midiOutput->addItem(tr("Built-in synthesizer"), outputData(SoundPreferences::Output::Synth));
  m_midiInput = new QComboBox(this);
  m_midiInput->setObjectName(QStringLiteral("midiInput"));
  m_midiInput->addItem(tr("First available"), QString());
  m_midiStatus = new QLabel(this);
  m_midiStatus->setWordWrap(true);
  m_midiStatus->setObjectName(QStringLiteral("midiStatus"));
  const Result<std::vector<std::string>> outputs = midiio::outputPorts();
  const Result<std::vector<std::string>> inputs = midiio::inputPorts();
  if (outputs && inputs) {
    m_midiOutput->addItem(tr("Virtual MIDI port “Lyrebird” (for a DAW or a synth)"),
                          outputData(SoundPreferences::Output::VirtualPort));
    for (const std::string& name : *outputs) {
      const QString port = QString::fromStdString(name);
      m_midiOutput->addItem(tr("MIDI port: %1").arg(port), outputData(SoundPreferences::Output::MidiPort, port));
    }
    for (const std::string& name : *inputs)
      m_midiInput->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_midiStatus->setText(QString::fromStdString(midiio::midiStatus()));
  } else {
    m_midiStatus->setText(QString::fromStdString((outputs ? inputs.error() : outputs.error()).message));
  }
  const QVariant savedOutput = outputData(
      current.output, current.output == SoundPreferences::Output::MidiPort ? current.midiOutputPort : QString());
  if (m_midiOutput->findData(savedOutput) < 0) {
    m_midiOutput->addItem(current.output == SoundPreferences::Output::VirtualPort
                              ? tr("Virtual MIDI port “Lyrebird” (not available now)")
                              : tr("MIDI port: %1 (not connected now)").arg(current.midiOutputPort),
                          savedOutput);
  }
  m_midiOutput->setCurrentIndex(m_midiOutput->findData(savedOutput));
  if (!current.midiInputPort.isEmpty() && m_midiInput->findData(current.midiInputPort) < 0) {
    m_midiInput->addItem(tr("%1 (not connected now)").arg(current.midiInputPort), current.midiInputPort);
  }
  m_midiInput->setCurrentIndex(std::max(0, m_midiInput->findData(current.midiInputPort)));

  m_threads = new QSpinBox(this);
  m_threads->setRange(1, 64);
  m_threads->setValue(QSettings().value(QStringLiteral("train/threads"), 1).toInt());
  m_threads->setToolTip(tr("Torch threads for training; 1 was fastest on a 2-core machine with OpenBLAS (measured)"));

  auto* form = new QFormLayout;
  form->addRow(tr("SoundFont"), soundFontRow);
  form->addRow(tr("Audio driver"), m_driver);
  form->addRow(tr("Gain"), m_gain);
  form->addRow(QString(), m_reverb);
  form->addRow(QString(), m_chorus);
  form->addRow(tr("Play through"), m_midiOutput);
  form->addRow(tr("MIDI keyboard"), m_midiInput);
  form->addRow(QString(), m_midiStatus);
  form->addRow(tr("Training threads"), m_threads);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    if (!m_soundFont->text().isEmpty()) {
      if (const Status ok = audio::checkSoundFont(m_soundFont->text().toStdString()); !ok) {
        m_soundFont->setFocus();
        m_soundFont->setToolTip(QString::fromStdString(ok.error().message));
        m_soundFont->setStyleSheet(QStringLiteral("color: #b00"));
        return;
      }
    }
    accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
}

SoundPreferences PreferencesDialog::sound() const {
  SoundPreferences p;
  p.soundFont = m_soundFont->text();
  p.audioDriver = m_driver->currentData().toString();
  p.gain = m_gain->value();
  p.reverb = m_reverb->isChecked();
  p.chorus = m_chorus->isChecked();
  const QStringList output = m_midiOutput->currentData().toStringList();
  p.output = static_cast<SoundPreferences::Output>(output.value(0).toInt());
  p.midiOutputPort = output.value(1);
  p.midiInputPort = m_midiInput->currentData().toString();
  return p;
}

int PreferencesDialog::trainingThreads() const {
  return m_threads->value();
}

void PreferencesDialog::save() const {
  sound().save();
  QSettings().setValue(QStringLiteral("train/threads"), trainingThreads());
}

} // namespace lyrebird::ui
