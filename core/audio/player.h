#pragma once

#include "audio/synth.h"
#include "base/result.h"
#include "midi/score.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lyrebird::audio {

/// Live playback through an audio device: one Synth pulled by a FluidSynth audio driver,
/// with a transport (play, stop, seek, loop), a playhead, panic, key preview and streaming
/// (notes added while the piece plays, for generation). With no working audio driver the
/// Player still exists, says why in deviceMessage(), and everything but sound keeps working.
/// Every method may be called from any thread; the audio thread only pulls.
class Player {
public:
  /// pulseaudio, alsa, sdl2, jack: tried in this order.
  static std::vector<std::string> defaultDrivers();

  /// Fails only when the synth cannot start (SoundFont, settings); a missing audio device
  /// is not an error.
  static Result<std::unique_ptr<Player>> create(const SynthSettings& settings,
                                                const std::vector<std::string>& drivers = defaultDrivers());
  ~Player();
  Player(const Player&) = delete;
  Player& operator=(const Player&) = delete;

  bool hasDevice() const { return m_driver != nullptr; }
  /// The driver in use ("pulseaudio", ...); empty without a device.
  const std::string& driverName() const { return m_driverName; }
  /// A sentence for the user: which driver plays, or why nothing can be heard.
  const std::string& deviceMessage() const { return m_deviceMessage; }

  /// Stops and replaces what plays with `score`; the playhead goes to 0.
  void load(const midi::Score& score);
  void play();
  void stop();
  bool isPlaying() const { return m_playing.load(); }
  void seek(double seconds);
  /// Playhead, seconds from the start of the piece (updated by each pulled block).
  double positionSeconds() const;
  double lengthSeconds() const;
  /// Plays [startSeconds, endSeconds) over and over until clearLoop().
  void setLoop(double startSeconds, double endSeconds);
  void clearLoop();
  /// All sound stops at once, including previewed keys.
  void panic();

  /// Sounds a key now on a channel of its own (clicking the piano roll's keyboard).
  void previewNoteOn(int pitch, int velocity = 100, int program = 0);
  void previewNoteOff(int pitch);

  /// Streaming: clears the piece; notes then arrive in ticks of a piece with this
  /// resolution, tempo and program, and play as soon as they are due.
  void beginStream(int ticksPerQuarter, std::uint32_t microsecondsPerQuarter, int program);
  void streamNoteStart(std::int64_t ticks, int pitch, int velocity);
  void streamNoteEnd(std::int64_t ticks, int pitch);
  /// The stream is complete: playback stops by itself after the last note rings out.
  void endStream();

  /// Renders the next `frames` of output, as the audio driver does. Public so tests, and
  /// a device-less app, can drive the transport.
  void pull(float* left, float* right, int frames);

private:
  explicit Player(std::unique_ptr<Synth> synth);
  void openDriver(const std::vector<std::string>& drivers);
  double streamSeconds(std::int64_t ticks) const;

  const double m_sampleRate;
  mutable std::mutex m_mutex; // guards m_synth and the fields below it
  std::unique_ptr<Synth> m_synth;
  std::optional<std::pair<double, double>> m_loop;
  bool m_streaming = false;
  int m_streamTicksPerQuarter = 480;
  double m_streamSecondsPerTick = 0.5 / 480;

  std::atomic<bool> m_playing{false};
  std::atomic<std::int64_t> m_positionFrames{0};
  void* m_driver = nullptr; // fluid_audio_driver_t
  std::string m_driverName;
  std::string m_deviceMessage;
};

} // namespace lyrebird::audio
