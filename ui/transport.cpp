#include "transport.h"

#include "appdata.h"

#include "audio/soundfont.h"
#include "midiio/midiports.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>

namespace lyrebird::ui {

Transport::Transport(const SoundPreferences& preferences, QObject* parent) : QObject(parent) {
  m_tempo = std::make_unique<midi::TempoMap>(m_tempoSource);
  m_timer.setInterval(33);
  connect(&m_timer, &QTimer::timeout, this, &Transport::poll);
  build(preferences);
}

void Transport::build(const SoundPreferences& preferences) {
  m_midi.reset();
  m_midiOut.reset();
  m_player.reset();
  audio::SoundFontSearch search;
  search.userChoice = preferences.soundFont.toStdString();
  search.bundledFolders = bundledSoundFontFolders();
  const Result<std::filesystem::path> found = audio::findSoundFont(search);
  if (!found) {
    m_message = QString::fromStdString(found.error().message);
    return;
  }
  audio::SynthSettings settings;
  settings.soundFont = *found;
  settings.gain = preferences.gain;
  settings.reverb = preferences.reverb;
  settings.chorus = preferences.chorus;
  const std::vector<std::string> drivers = preferences.audioDriver.isEmpty()
                                               ? audio::Player::defaultDrivers()
                                               : std::vector<std::string>{preferences.audioDriver.toStdString()};
  Result<std::unique_ptr<audio::Player>> player = audio::Player::create(settings, drivers);
  if (!player) {
    m_message = QString::fromStdString(player.error().describe());
    return;
  }
  m_player = std::move(player.value());
  m_message = QString::fromStdString(m_player->deviceMessage());
  openMidiOutput(preferences);
}

void Transport::openMidiOutput(const SoundPreferences& preferences) {
  using Output = SoundPreferences::Output;
  if (preferences.output == Output::Synth) return;
  Result<std::unique_ptr<midiio::MidiOutput>> out =
      preferences.output == Output::VirtualPort ? midiio::MidiOutput::openVirtual()
                                                : midiio::MidiOutput::open(preferences.midiOutputPort.toStdString());
  if (!out) {
    // Said plainly, never silently replaced: the synthesizer plays instead.
    m_message = tr("The MIDI output cannot be used: %1 %2")
                    .arg(QString::fromStdString(out.error().message),
                         synthPlays() ? tr("Playing through the built-in synthesizer instead.") : QString());
    return;
  }
  m_midiOut = std::move(out.value());
  midiio::MidiOutput* port = m_midiOut.get();
  m_midi = std::make_unique<midiio::MidiScheduler>(
      [port](const std::vector<std::uint8_t>& bytes) { (void)port->send(bytes); });
  m_message = preferences.output == Output::VirtualPort
                  ? tr("Playing to the virtual MIDI port “%1”; connect a synth or a DAW to it.")
                        .arg(QString::fromStdString(port->portName()))
                  : tr("Playing to the MIDI port “%1”.").arg(QString::fromStdString(port->portName()));
}

void Transport::reconfigure(const SoundPreferences& preferences) {
  stop();
  const std::int64_t ticks = positionTicks();
  build(preferences);
  if (m_player) m_player->load(m_score);
  if (m_midi) m_midi->load(midiio::messagesFromScore(m_score));
  seekTicks(ticks);
}

Transport::~Transport() = default;

void Transport::setScore(const midi::Score& score, bool keepPosition) {
  const std::int64_t ticks = keepPosition ? positionTicks() : 0;
  stop();
  m_score = score;
  m_tempoSource = midi::Score{};
  m_tempoSource.ticksPerQuarter = score.ticksPerQuarter;
  m_tempoSource.tempos = score.tempos;
  m_tempo = std::make_unique<midi::TempoMap>(m_tempoSource);
  m_lengthSeconds = m_tempo->seconds(score.endTicks());
  if (m_player) m_player->load(score);
  if (m_midi) m_midi->load(midiio::messagesFromScore(score));
  seekTicks(ticks);
}

void Transport::beginStream(const midi::Score& header, int program) {
  stop();
  m_tempoSource = midi::Score{};
  m_tempoSource.ticksPerQuarter = header.ticksPerQuarter;
  m_tempoSource.tempos = header.tempos;
  m_tempo = std::make_unique<midi::TempoMap>(m_tempoSource);
  m_lengthSeconds = 1e9; // open-ended until endStream()
  const std::uint32_t tempo = header.tempos.empty() ? 500000 : header.tempos.front().microsecondsPerQuarter;
  if (m_player) m_player->beginStream(header.ticksPerQuarter, tempo, program);
  if (m_midi) m_midi->load({{0.0, {static_cast<std::uint8_t>(0xC0), static_cast<std::uint8_t>(program & 0x7f)}}});
  seekTicks(0);
}

void Transport::streamNoteStart(std::int64_t ticks, int pitch, int velocity) {
  if (m_player) m_player->streamNoteStart(ticks, pitch, velocity);
  if (m_midi) {
    m_midi->add({m_tempo->seconds(ticks),
                 {0x90, static_cast<std::uint8_t>(pitch & 0x7f), static_cast<std::uint8_t>(velocity & 0x7f)}});
  }
}

void Transport::streamNoteEnd(std::int64_t ticks, int pitch) {
  m_lengthSeconds =
      m_lengthSeconds >= 1e9 ? m_tempo->seconds(ticks) : std::max(m_lengthSeconds, m_tempo->seconds(ticks));
  if (m_player) m_player->streamNoteEnd(ticks, pitch);
  if (m_midi) m_midi->add({m_tempo->seconds(ticks), {0x80, static_cast<std::uint8_t>(pitch & 0x7f), 0}});
}

void Transport::endStream() {
  if (m_player) m_player->endStream();
  if (m_lengthSeconds >= 1e9) m_lengthSeconds = 0.0;
}

bool Transport::isPlaying() const {
  if (m_midi) return m_midi->isPlaying();
  return synthPlays() ? m_player->isPlaying() : m_silentPlaying;
}

std::int64_t Transport::positionTicks() const {
  double seconds = 0.0;
  if (m_midi) {
    seconds = m_midi->positionSeconds();
  } else if (synthPlays()) {
    seconds = m_player->positionSeconds();
  } else if (m_silentPlaying) {
    seconds = m_silentStartSeconds + (QDateTime::currentMSecsSinceEpoch() - m_silentStartMs) / 1000.0;
  } else {
    seconds = m_silentStartSeconds;
  }
  return m_tempo->ticks(seconds);
}

void Transport::play() {
  if (m_midi) {
    if (m_midi->positionSeconds() >= m_lengthSeconds) m_midi->seek(0.0);
    m_midi->play();
  } else if (synthPlays()) {
    m_player->play();
  } else {
    if (m_silentStartSeconds >= m_lengthSeconds) m_silentStartSeconds = 0.0;
    m_silentPlaying = true;
    m_silentStartMs = QDateTime::currentMSecsSinceEpoch();
  }
  m_timer.start();
  poll();
}

void Transport::stop() {
  if (m_midi) {
    m_midi->stop();
  } else if (synthPlays()) {
    m_player->stop();
  } else if (m_silentPlaying) {
    m_silentStartSeconds = m_tempo->seconds(positionTicks());
    m_silentPlaying = false;
  }
  poll();
}

void Transport::togglePlay() {
  isPlaying() ? stop() : play();
}

void Transport::toStart() {
  seekTicks(0);
}

void Transport::seekTicks(std::int64_t ticks) {
  const double seconds = m_tempo->seconds(std::max<std::int64_t>(0, ticks));
  if (m_player) m_player->seek(seconds);
  if (m_midi) m_midi->seek(seconds);
  m_silentStartSeconds = seconds;
  m_silentStartMs = QDateTime::currentMSecsSinceEpoch();
  Q_EMIT positionChanged(positionTicks());
}

void Transport::panic() {
  if (m_player) m_player->panic();
  if (m_midi) {
    m_midi->stop();
    m_midi->panic();
  }
  if (m_silentPlaying) stop();
  poll();
}

void Transport::previewOn(int pitch) {
  if (m_midi) {
    m_midi->sendNow({0x90, static_cast<std::uint8_t>(pitch & 0x7f), 100});
  } else if (m_player) {
    m_player->previewNoteOn(pitch, 100, 0);
  }
}

void Transport::previewOff(int pitch) {
  if (m_midi) {
    m_midi->sendNow({0x80, static_cast<std::uint8_t>(pitch & 0x7f), 0});
  } else if (m_player) {
    m_player->previewNoteOff(pitch);
  }
}

void Transport::poll() {
  // The synth stops by itself after the ring-out; the other clocks stop here.
  if (!synthPlays() && isPlaying() && m_tempo->seconds(positionTicks()) > m_lengthSeconds + 0.5) stop();
  const bool playing = isPlaying();
  Q_EMIT positionChanged(positionTicks());
  if (playing != m_wasPlaying) {
    m_wasPlaying = playing;
    Q_EMIT playingChanged(playing);
  }
  if (!playing) m_timer.stop();
}

} // namespace lyrebird::ui
