#include "audio/player.h"

#include "base/alsalog.h"

#include <fluidsynth.h>

#include <algorithm>

namespace lyrebird::audio {

namespace {

constexpr int kPreviewChannel = 15;
constexpr double kRingOutSeconds = 2.0; // after the last event, before playback stops by itself

int driverCallback(void* data, int len, int, float**, int nout, float** out) {
  if (nout < 2) return FLUID_FAILED;
  static_cast<Player*>(data)->pull(out[0], out[1], len);
  return FLUID_OK;
}

} // namespace

std::vector<std::string> Player::defaultDrivers() {
  return {"pulseaudio", "alsa", "sdl2", "jack"};
}

Result<std::unique_ptr<Player>> Player::create(const SynthSettings& settings, const std::vector<std::string>& drivers) {
  Result<std::unique_ptr<Synth>> synth = Synth::create(settings);
  if (!synth) return synth.error();
  std::unique_ptr<Player> player(new Player(std::move(synth.value())));
  player->openDriver(drivers);
  return player;
}

Player::Player(std::unique_ptr<Synth> synth) : m_sampleRate(synth->settings().sampleRate), m_synth(std::move(synth)) {}

Player::~Player() {
  // The driver's thread pulls from this object: it goes first.
  if (m_driver) delete_fluid_audio_driver(static_cast<fluid_audio_driver_t*>(m_driver));
}

void Player::openDriver(const std::vector<std::string>& drivers) {
  silenceAlsaLog();
  auto* settings = static_cast<fluid_settings_t*>(m_synth->fluidSettings());
  std::string tried;
  for (const std::string& spec : drivers) {
    const std::string& name = spec;
    if (fluid_settings_setstr(settings, "audio.driver", name.c_str()) != FLUID_OK) {
      tried += (tried.empty() ? "" : "; ") + name + ": not built into this FluidSynth";
      continue;
    }
    if (auto* driver = new_fluid_audio_driver2(settings, driverCallback, this)) {
      m_driver = driver;
      m_driverName = name;
      m_deviceMessage = "Playing through " + name + ".";
      return;
    }
    std::string why = lastFluidMessage();
    while (!why.empty() && (why.back() == '.' || why.back() == '\n'))
      why.pop_back();
    tried += (tried.empty() ? "" : "; ") + name + (why.empty() ? "" : ": " + why);
  }
  m_deviceMessage = "No audio device: nothing can be heard, but generating, editing and exporting MIDI and audio "
                    "files all work. (Tried " +
                    (tried.empty() ? std::string("no driver") : tried) + ".)";
}

void Player::load(const midi::Score& score) {
  const std::lock_guard lock(m_mutex);
  m_playing = false;
  m_streaming = false;
  m_synth->setTimeline(midi::sequenceFromScore(score));
  m_positionFrames = 0;
}

void Player::play() {
  const std::lock_guard lock(m_mutex);
  // At the end of a piece, Play starts it again.
  if (!m_streaming && m_synth->positionSeconds() >= m_synth->lengthSeconds() + kRingOutSeconds) m_synth->seek(0.0);
  m_positionFrames = m_synth->positionFrames();
  m_playing = true;
}

void Player::stop() {
  const std::lock_guard lock(m_mutex);
  m_playing = false;
  m_synth->allNotesOff();
}

void Player::seek(double seconds) {
  const std::lock_guard lock(m_mutex);
  m_synth->seek(seconds);
  m_positionFrames = m_synth->positionFrames();
}

double Player::positionSeconds() const {
  return static_cast<double>(m_positionFrames.load()) / m_sampleRate;
}

double Player::lengthSeconds() const {
  const std::lock_guard lock(m_mutex);
  return m_synth->lengthSeconds();
}

void Player::setLoop(double startSeconds, double endSeconds) {
  const std::lock_guard lock(m_mutex);
  if (endSeconds > startSeconds && startSeconds >= 0.0) m_loop = {startSeconds, endSeconds};
}

void Player::clearLoop() {
  const std::lock_guard lock(m_mutex);
  m_loop.reset();
}

void Player::panic() {
  const std::lock_guard lock(m_mutex);
  m_playing = false;
  m_synth->panic();
}

void Player::previewNoteOn(int pitch, int velocity, int program) {
  const std::lock_guard lock(m_mutex);
  m_synth->send({0.0, midi::TimedEvent::Kind::Program, kPreviewChannel,
                 static_cast<std::uint8_t>(std::clamp(program, 0, 127)), 0});
  m_synth->send({0.0, midi::TimedEvent::Kind::NoteOn, kPreviewChannel,
                 static_cast<std::uint8_t>(std::clamp(pitch, 0, 127)),
                 static_cast<std::int16_t>(std::clamp(velocity, 1, 127))});
}

void Player::previewNoteOff(int pitch) {
  const std::lock_guard lock(m_mutex);
  m_synth->send(
      {0.0, midi::TimedEvent::Kind::NoteOff, kPreviewChannel, static_cast<std::uint8_t>(std::clamp(pitch, 0, 127)), 0});
}

void Player::beginStream(int ticksPerQuarter, std::uint32_t microsecondsPerQuarter, int program) {
  const std::lock_guard lock(m_mutex);
  m_playing = false;
  m_streaming = true;
  m_streamTicksPerQuarter = std::max(1, ticksPerQuarter);
  m_streamSecondsPerTick = microsecondsPerQuarter / 1e6 / m_streamTicksPerQuarter;
  m_synth->setTimeline(
      {{0.0, midi::TimedEvent::Kind::Program, 0, static_cast<std::uint8_t>(std::clamp(program, 0, 127)), 0}});
  m_positionFrames = 0;
}

double Player::streamSeconds(std::int64_t ticks) const {
  return static_cast<double>(ticks) * m_streamSecondsPerTick;
}

void Player::streamNoteStart(std::int64_t ticks, int pitch, int velocity) {
  const std::lock_guard lock(m_mutex);
  m_synth->addEvent({streamSeconds(ticks), midi::TimedEvent::Kind::NoteOn, 0,
                     static_cast<std::uint8_t>(std::clamp(pitch, 0, 127)),
                     static_cast<std::int16_t>(std::clamp(velocity, 1, 127))});
}

void Player::streamNoteEnd(std::int64_t ticks, int pitch) {
  const std::lock_guard lock(m_mutex);
  m_synth->addEvent({streamSeconds(ticks), midi::TimedEvent::Kind::NoteOff, 0,
                     static_cast<std::uint8_t>(std::clamp(pitch, 0, 127)), 0});
}

void Player::endStream() {
  const std::lock_guard lock(m_mutex);
  m_streaming = false;
}

void Player::pull(float* left, float* right, int frames) {
  const std::lock_guard lock(m_mutex);
  if (!m_playing) {
    m_synth->renderPaused(left, right, frames);
    return;
  }
  const double rate = m_sampleRate;
  int done = 0;
  while (done < frames) {
    int chunk = frames - done;
    if (m_loop) {
      const auto loopEnd = static_cast<std::int64_t>(m_loop->second * rate);
      if (m_synth->positionFrames() >= loopEnd) {
        m_synth->seek(m_loop->first);
        continue;
      }
      chunk = static_cast<int>(std::min<std::int64_t>(chunk, loopEnd - m_synth->positionFrames()));
    }
    m_synth->render(left + done, right + done, chunk);
    done += chunk;
  }
  m_positionFrames = m_synth->positionFrames();
  // A finished piece stops by itself once its last notes have rung out; a stream waits
  // for more notes until it is ended.
  if (!m_loop && !m_streaming && m_synth->positionSeconds() >= m_synth->lengthSeconds() + kRingOutSeconds) {
    m_playing = false;
  }
}

} // namespace lyrebird::audio
