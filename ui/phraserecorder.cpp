#include "phraserecorder.h"

#include "preferencesdialog.h"

#include "midiio/midiports.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

namespace lyrebird::ui {

PhraseRecorder::PhraseRecorder(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("recordRow"));
  m_record = new QPushButton(tr("Record"), this);
  m_record->setObjectName(QStringLiteral("record"));
  m_record->setCheckable(true);
  m_record->setToolTip(tr("Play a phrase on the MIDI keyboard chosen in the preferences; the generation continues it"));
  m_label = new QLabel(tr("Nothing recorded yet."), this);
  m_label->setObjectName(QStringLiteral("recordingLabel"));
  m_label->setWordWrap(true);
  m_timer = new QTimer(this);
  m_timer->setInterval(200);
  connect(m_timer, &QTimer::timeout, this, &PhraseRecorder::updateLabel);
  connect(m_record, &QPushButton::clicked, this, &PhraseRecorder::toggle);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_record);
  layout->addWidget(m_label, 1);
}

PhraseRecorder::~PhraseRecorder() = default;

void PhraseRecorder::toggle() {
  if (m_input) {
    stop();
  } else {
    start();
  }
}

void PhraseRecorder::stop() {
  if (!m_input) return;
  midiio::RecordOptions options;
  if (m_tempoBpm) options.tempoBpm = m_tempoBpm();
  m_recording = m_input->stop(options);
  m_input.reset();
  m_timer->stop();
  m_record->setChecked(false);
  m_record->setText(tr("Record"));
  updateLabel();
}

void PhraseRecorder::start() {
  QString port = SoundPreferences::load().midiInputPort;
  if (port.isEmpty()) {
    const Result<std::vector<std::string>> inputs = midiio::inputPorts();
    if (!inputs || inputs->empty()) {
      m_record->setChecked(false);
      m_label->setText(inputs ? tr("No MIDI keyboard is connected. Connect one (or choose its port in the "
                                   "preferences) and press Record again.")
                              : QString::fromStdString(inputs.error().message));
      return;
    }
    port = QString::fromStdString(inputs->front());
  }
  Result<std::unique_ptr<midiio::MidiInput>> input = midiio::MidiInput::open(port.toStdString());
  if (!input) {
    m_record->setChecked(false);
    m_label->setText(QString::fromStdString(input.error().message));
    return;
  }
  m_input = std::move(input.value());
  m_input->start();
  m_record->setChecked(true);
  m_record->setText(tr("Stop Recording"));
  m_timer->start();
  updateLabel();
}

void PhraseRecorder::updateLabel() {
  if (m_input) {
    m_label->setText(tr("Recording from %1: %n message(s)…", nullptr, static_cast<int>(m_input->messageCount()))
                         .arg(QString::fromStdString(m_input->portName())));
  } else if (m_recording.noteCount() == 0) {
    m_label->setText(tr("Nothing recorded yet."));
  } else {
    m_label->setText(tr("Recorded %n note(s).", nullptr, static_cast<int>(m_recording.noteCount())));
  }
}

} // namespace lyrebird::ui
