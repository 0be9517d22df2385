#pragma once

#include "midiio/midimessages.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace lyrebird::midiio {

/// Sends timed MIDI messages in real time on a thread of its own: how the app plays a
/// piece, and a generation while it streams, to a MIDI output port. It is a transport with
/// its own clock: play from a position, stop, seek, add messages while playing. Programs and
/// controllers before the start position are sent first (chasing), and every note it
/// started is released when it stops, so an external synth never hangs a note.
/// Every method may be called from any thread; the sink is called on the scheduler's thread
/// (and on the caller's for sendNow() and the releases of stop()), never two at a time.
class MidiScheduler {
public:
  using Sink = std::function<void(const std::vector<std::uint8_t>&)>;
  using Clock = std::chrono::steady_clock;

  explicit MidiScheduler(Sink sink);
  /// Stops (releasing notes) and joins the thread.
  ~MidiScheduler();
  MidiScheduler(const MidiScheduler&) = delete;
  MidiScheduler& operator=(const MidiScheduler&) = delete;

  /// Stops and replaces the messages; the position goes to 0.
  void load(std::vector<TimedMessage> messages);
  /// Adds a message in time order (a streamed note). One already due plays at once.
  void add(TimedMessage message);
  /// Starts sending from the current position.
  void play();
  /// Stops sending and releases every note it started; the position stays.
  void stop();
  /// Moves the position (seconds from the start); playback goes on from there if it was on.
  void seek(double seconds);
  bool isPlaying() const;
  /// Seconds from the start of the piece; moves with the wall clock while playing.
  double positionSeconds() const;
  /// Sends at once, outside the timeline (a key preview).
  void sendNow(const std::vector<std::uint8_t>& bytes);
  /// Releases all notes: its own, and "all notes off" + sustain off on the 16 channels.
  void panic();

private:
  void run(std::stop_token stop);
  double positionLocked(Clock::time_point now) const;
  void releaseLocked();
  void sendLocked(const std::vector<std::uint8_t>& bytes);

  Sink m_sink;
  mutable std::mutex m_mutex;
  std::condition_variable_any m_changed;
  std::vector<TimedMessage> m_messages; // sorted by seconds
  std::size_t m_next = 0;               // the first message not sent yet
  bool m_playing = false;
  bool m_chase = false;        // send programs/controllers before m_next first
  double m_startSeconds = 0.0; // position when playback (re)started
  Clock::time_point m_startTime;
  std::set<std::pair<int, int>> m_sounding; // (channel, key) of notes it started
  std::jthread m_thread;                    // last: it starts after every field above exists
};

} // namespace lyrebird::midiio
