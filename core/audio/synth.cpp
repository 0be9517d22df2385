#include "audio/synth.h"

#include <fluidsynth.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>

namespace lyrebird::audio {

namespace {

std::mutex g_logMutex;
std::string g_lastMessage;

void keepMessage(int, const char* message, void*) {
  const std::lock_guard lock(g_logMutex);
  g_lastMessage = message ? message : "";
}

// FluidSynth prints its errors to stderr by default; Lyrebird reports them in its own words.
void quietFluidLog() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN})
      fluid_set_log_function(level, keepMessage, nullptr);
    fluid_set_log_function(FLUID_INFO, nullptr, nullptr);
    fluid_set_log_function(FLUID_DBG, nullptr, nullptr);
  });
}

} // namespace

std::string lastFluidMessage() {
  const std::lock_guard lock(g_logMutex);
  return g_lastMessage;
}

struct Synth::Fluid {
  fluid_settings_t* settings = nullptr;
  fluid_synth_t* synth = nullptr;
  ~Fluid() {
    if (synth) delete_fluid_synth(synth);
    if (settings) delete_fluid_settings(settings);
  }
};

Result<std::unique_ptr<Synth>> Synth::create(const SynthSettings& settings) {
  quietFluidLog();
  auto invalid = [](std::string message) { return Error{ErrorKind::InvalidArgument, {}, -1, std::move(message)}; };
  if (!(settings.sampleRate >= 8000.0 && settings.sampleRate <= 192000.0)) {
    return invalid("The sample rate must be between 8000 and 192000 Hz.");
  }
  if (!(settings.gain >= 0.0 && settings.gain <= 10.0)) return invalid("The gain must be between 0 and 10.");
  if (settings.polyphony < 1 || settings.polyphony > 65535) return invalid("Polyphony must be between 1 and 65535.");
  if (settings.threads < 1 || settings.threads > 256) return invalid("Synth threads must be between 1 and 256.");
  auto fluid = std::make_unique<Fluid>();
  fluid->settings = new_fluid_settings();
  if (!fluid->settings) return Error{ErrorKind::Internal, {}, -1, "FluidSynth could not start (out of memory?)."};
  if (fluid_settings_setnum(fluid->settings, "synth.sample-rate", settings.sampleRate) != FLUID_OK ||
      fluid_settings_setnum(fluid->settings, "synth.gain", settings.gain) != FLUID_OK ||
      fluid_settings_setint(fluid->settings, "synth.polyphony", settings.polyphony) != FLUID_OK ||
      fluid_settings_setint(fluid->settings, "synth.reverb.active", settings.reverb ? 1 : 0) != FLUID_OK ||
      fluid_settings_setint(fluid->settings, "synth.chorus.active", settings.chorus ? 1 : 0) != FLUID_OK ||
      fluid_settings_setint(fluid->settings, "synth.cpu-cores", settings.threads) != FLUID_OK) {
    return Error{ErrorKind::InvalidArgument, {}, -1, "FluidSynth refused a setting: " + lastFluidMessage()};
  }
  fluid->synth = new_fluid_synth(fluid->settings);
  if (!fluid->synth)
    return Error{ErrorKind::Internal, {}, -1, "FluidSynth could not create a synthesizer: " + lastFluidMessage()};
  if (settings.soundFont.empty()) return Error{ErrorKind::NotFound, {}, -1, "No SoundFont was chosen."};
  if (fluid_synth_sfload(fluid->synth, settings.soundFont.c_str(), 1) == FLUID_FAILED) {
    return Error{ErrorKind::Corrupt, settings.soundFont.string(), -1,
                 "FluidSynth could not load this SoundFont: " + lastFluidMessage()};
  }
  return std::unique_ptr<Synth>(new Synth(settings, std::move(fluid)));
}

Synth::Synth(const SynthSettings& settings, std::unique_ptr<Fluid> fluid)
    : m_settings(settings), m_fluid(std::move(fluid)) {}

Synth::~Synth() = default;

void* Synth::fluidSettings() const {
  return m_fluid->settings;
}
void* Synth::fluidSynth() const {
  return m_fluid->synth;
}

void Synth::setTimeline(std::vector<midi::TimedEvent> events) {
  m_events = std::move(events);
  allSoundsOff();
  m_frame = 0;
  m_next = 0;
}

void Synth::addEvent(const midi::TimedEvent& event) {
  const auto at = std::upper_bound(m_events.begin(), m_events.end(), event, midi::eventBefore);
  const auto index = static_cast<std::size_t>(at - m_events.begin());
  m_events.insert(at, event);
  if (index < m_next) {
    // Behind the playhead: the event is due now (a late note start still sounds).
    m_events.erase(m_events.begin() + static_cast<std::ptrdiff_t>(index));
    apply(event);
  }
}

double Synth::lengthSeconds() const {
  return m_events.empty() ? 0.0 : m_events.back().seconds;
}

double Synth::positionSeconds() const {
  return static_cast<double>(m_frame) / m_settings.sampleRate;
}

void Synth::seek(double seconds) {
  seconds = std::max(0.0, seconds);
  allSoundsOff();
  m_frame = static_cast<std::int64_t>(std::llround(seconds * m_settings.sampleRate));
  const double at = static_cast<double>(m_frame) / m_settings.sampleRate;
  m_next = 0;
  // Chase: the programs, controllers and bends in force at the new position.
  while (m_next < m_events.size() && m_events[m_next].seconds < at) {
    const midi::TimedEvent& e = m_events[m_next];
    if (e.kind != midi::TimedEvent::Kind::NoteOn && e.kind != midi::TimedEvent::Kind::NoteOff) apply(e);
    ++m_next;
  }
}

void Synth::render(float* left, float* right, int frames) {
  // FluidSynth applies events between its 64-frame blocks, as its own MIDI player does:
  // splitting the output any finer would only add calls. An event takes effect at the
  // first block boundary at or after its time (at most 1.45 ms late at 44.1 kHz).
  constexpr std::int64_t kBlock = 64;
  int done = 0;
  while (done < frames) {
    while (m_next < m_events.size() && dueFrame(m_events[m_next]) <= m_frame)
      apply(m_events[m_next++]);
    int chunk = frames - done;
    if (m_next < m_events.size()) {
      const std::int64_t due = dueFrame(m_events[m_next]);
      const std::int64_t boundary = (due + kBlock - 1) / kBlock * kBlock;
      chunk = static_cast<int>(std::min<std::int64_t>(chunk, std::max<std::int64_t>(1, boundary - m_frame)));
    }
    fluid_synth_write_float(m_fluid->synth, chunk, left + done, 0, 1, right + done, 0, 1);
    done += chunk;
    m_frame += chunk;
  }
}

std::int64_t Synth::dueFrame(const midi::TimedEvent& event) const {
  return static_cast<std::int64_t>(std::llround(event.seconds * m_settings.sampleRate));
}

void Synth::renderPaused(float* left, float* right, int frames) {
  fluid_synth_write_float(m_fluid->synth, frames, left, 0, 1, right, 0, 1);
}

void Synth::apply(const midi::TimedEvent& e) {
  fluid_synth_t* s = m_fluid->synth;
  // FluidSynth returns FLUID_FAILED for a note-off without a sounding note; that is normal.
  switch (e.kind) {
  case midi::TimedEvent::Kind::NoteOn:
    if (e.value > 0) fluid_synth_noteon(s, e.channel, e.key, std::clamp<int>(e.value, 1, 127));
    break;
  case midi::TimedEvent::Kind::NoteOff: fluid_synth_noteoff(s, e.channel, e.key); break;
  case midi::TimedEvent::Kind::Program: fluid_synth_program_change(s, e.channel, e.key); break;
  case midi::TimedEvent::Kind::Control: fluid_synth_cc(s, e.channel, e.key, std::clamp<int>(e.value, 0, 127)); break;
  case midi::TimedEvent::Kind::PitchBend:
    fluid_synth_pitch_bend(s, e.channel, std::clamp(e.value + 8192, 0, 16383));
    break;
  }
}

void Synth::send(const midi::TimedEvent& event) {
  apply(event);
}

void Synth::allNotesOff() {
  for (int channel = 0; channel < 16; ++channel)
    fluid_synth_all_notes_off(m_fluid->synth, channel);
}

void Synth::allSoundsOff() {
  for (int channel = 0; channel < 16; ++channel)
    fluid_synth_all_sounds_off(m_fluid->synth, channel);
}

void Synth::panic() {
  fluid_synth_system_reset(m_fluid->synth); // also clears the reverb and chorus buffers
  seek(positionSeconds());
}

void Synth::setGain(double gain) {
  m_settings.gain = std::clamp(gain, 0.0, 10.0);
  fluid_synth_set_gain(m_fluid->synth, static_cast<float>(m_settings.gain));
}

void Synth::setReverb(bool on) {
  m_settings.reverb = on;
  fluid_synth_reverb_on(m_fluid->synth, -1, on ? 1 : 0);
}

void Synth::setChorus(bool on) {
  m_settings.chorus = on;
  fluid_synth_chorus_on(m_fluid->synth, -1, on ? 1 : 0);
}

} // namespace lyrebird::audio
