#include "midiio/midischeduler.h"

#include <algorithm>

namespace lyrebird::midiio {

namespace {

bool isNoteOn(const std::vector<std::uint8_t>& b) {
  return b.size() >= 3 && (b[0] & 0xF0) == 0x90 && b[2] > 0;
}
bool isNoteOff(const std::vector<std::uint8_t>& b) {
  return b.size() >= 3 && ((b[0] & 0xF0) == 0x80 || ((b[0] & 0xF0) == 0x90 && b[2] == 0));
}
// Programs, controllers and pitch bends: the state a note played from the middle needs.
bool isChased(const std::vector<std::uint8_t>& b) {
  const int status = b.empty() ? 0 : b[0] & 0xF0;
  return status == 0xB0 || status == 0xC0 || status == 0xE0;
}

} // namespace

MidiScheduler::MidiScheduler(Sink sink)
    : m_sink(std::move(sink)), m_thread([this](std::stop_token stop) { run(std::move(stop)); }) {}

MidiScheduler::~MidiScheduler() {
  m_thread.request_stop();
  m_thread.join();
  const std::lock_guard lock(m_mutex);
  releaseLocked();
}

void MidiScheduler::sendLocked(const std::vector<std::uint8_t>& bytes) {
  if (isNoteOn(bytes)) {
    m_sounding.insert({bytes[0] & 0x0F, bytes[1]});
  } else if (isNoteOff(bytes)) {
    m_sounding.erase({bytes[0] & 0x0F, bytes[1]});
  }
  m_sink(bytes);
}

void MidiScheduler::releaseLocked() {
  for (const auto& [channel, key] : m_sounding) {
    m_sink({static_cast<std::uint8_t>(0x80 | channel), static_cast<std::uint8_t>(key), 0});
  }
  m_sounding.clear();
}

double MidiScheduler::positionLocked(Clock::time_point now) const {
  if (!m_playing) return m_startSeconds;
  return m_startSeconds + std::chrono::duration<double>(now - m_startTime).count();
}

void MidiScheduler::load(std::vector<TimedMessage> messages) {
  std::stable_sort(messages.begin(), messages.end(),
                   [](const TimedMessage& a, const TimedMessage& b) { return a.seconds < b.seconds; });
  const std::lock_guard lock(m_mutex);
  m_playing = false;
  releaseLocked();
  m_messages = std::move(messages);
  m_next = 0;
  m_startSeconds = 0.0;
  m_changed.notify_all();
}

void MidiScheduler::add(TimedMessage message) {
  const std::lock_guard lock(m_mutex);
  const auto at = std::upper_bound(m_messages.begin(), m_messages.end(), message.seconds,
                                   [](double s, const TimedMessage& m) { return s < m.seconds; });
  const auto index = static_cast<std::size_t>(at - m_messages.begin());
  if (m_playing && index <= m_next && message.seconds <= positionLocked(Clock::now())) {
    // Already late: it sounds now, as a late note does on the built-in synth.
    sendLocked(message.bytes);
    ++m_next;
  }
  m_messages.insert(at, std::move(message));
  m_changed.notify_all();
}

void MidiScheduler::play() {
  const std::lock_guard lock(m_mutex);
  if (m_playing) return;
  m_playing = true;
  m_startTime = Clock::now();
  const auto at = std::lower_bound(m_messages.begin(), m_messages.end(), m_startSeconds,
                                   [](const TimedMessage& m, double s) { return m.seconds < s; });
  m_next = static_cast<std::size_t>(at - m_messages.begin());
  m_chase = true;
  m_changed.notify_all();
}

void MidiScheduler::stop() {
  const std::lock_guard lock(m_mutex);
  if (!m_playing) return;
  m_startSeconds = positionLocked(Clock::now());
  m_playing = false;
  releaseLocked();
  m_changed.notify_all();
}

void MidiScheduler::seek(double seconds) {
  const std::lock_guard lock(m_mutex);
  releaseLocked();
  m_startSeconds = std::max(0.0, seconds);
  m_startTime = Clock::now();
  const auto at = std::lower_bound(m_messages.begin(), m_messages.end(), m_startSeconds,
                                   [](const TimedMessage& m, double s) { return m.seconds < s; });
  m_next = static_cast<std::size_t>(at - m_messages.begin());
  m_chase = m_playing;
  m_changed.notify_all();
}

bool MidiScheduler::isPlaying() const {
  const std::lock_guard lock(m_mutex);
  return m_playing;
}

double MidiScheduler::positionSeconds() const {
  const std::lock_guard lock(m_mutex);
  return positionLocked(Clock::now());
}

void MidiScheduler::sendNow(const std::vector<std::uint8_t>& bytes) {
  const std::lock_guard lock(m_mutex);
  sendLocked(bytes);
}

void MidiScheduler::panic() {
  const std::lock_guard lock(m_mutex);
  releaseLocked();
  for (std::uint8_t channel = 0; channel < 16; ++channel) {
    m_sink({static_cast<std::uint8_t>(0xB0 | channel), 123, 0}); // all notes off
    m_sink({static_cast<std::uint8_t>(0xB0 | channel), 64, 0});  // sustain pedal up
  }
}

void MidiScheduler::run(std::stop_token stop) {
  std::unique_lock lock(m_mutex);
  while (!stop.stop_requested()) {
    if (!m_playing) {
      m_changed.wait(lock, stop, [this] { return m_playing; });
      continue;
    }
    if (m_chase) {
      m_chase = false;
      for (std::size_t i = 0; i < m_next; ++i) {
        if (isChased(m_messages[i].bytes)) sendLocked(m_messages[i].bytes);
      }
    }
    if (m_next >= m_messages.size()) {
      // Nothing left: wait for a streamed message, a seek or a stop.
      const std::size_t size = m_messages.size();
      m_changed.wait(lock, stop, [&] { return !m_playing || m_chase || m_messages.size() != size; });
      continue;
    }
    const double waitSeconds = m_messages[m_next].seconds - positionLocked(Clock::now());
    if (waitSeconds > 0) {
      // Wake at the due time, or earlier when anything changes (seek, stop, an insert).
      const auto due =
          Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(waitSeconds));
      const std::size_t next = m_next;
      const std::size_t size = m_messages.size();
      m_changed.wait_until(lock, stop, due,
                           [&] { return !m_playing || m_chase || m_next != next || m_messages.size() != size; });
      continue;
    }
    sendLocked(m_messages[m_next].bytes);
    ++m_next;
  }
}

} // namespace lyrebird::midiio
