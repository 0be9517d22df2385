#pragma once

#include "base/result.h"
#include "midi/sequence.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace lyrebird::audio {

/// How a synth sounds. The same settings give the same audio, live or rendered.
struct SynthSettings {
  std::filesystem::path soundFont; ///< a usable .sf2/.sf3 (see findSoundFont)
  double sampleRate = 44100.0;     ///< 8000..192000 Hz
  double gain = 0.5;               ///< FluidSynth's master gain, 0..10
  bool reverb = true;
  bool chorus = true;
  int polyphony = 256; ///< voices at once
  int threads = 1;     ///< FluidSynth rendering threads (synth.cpu-cores); output is the same for any count
};

/// A FluidSynth instance with its SoundFont loaded and a timeline of events that plays as
/// frames are pulled from it: the engine under live playback (pulled by the audio driver)
/// and offline rendering (pulled in a loop). Not thread-safe; Player serialises access.
class Synth {
public:
  /// Fails with a readable Error when the settings are out of range or the SoundFont
  /// does not load. FluidSynth's own log lines are kept out of the terminal; the last
  /// one is in the Error.
  static Result<std::unique_ptr<Synth>> create(const SynthSettings& settings);
  ~Synth();
  Synth(const Synth&) = delete;
  Synth& operator=(const Synth&) = delete;

  const SynthSettings& settings() const { return m_settings; }

  /// Replaces the timeline (ordered, see sequenceFromScore) and goes back to 0, silently.
  void setTimeline(std::vector<midi::TimedEvent> events);
  /// Adds one event to the timeline, keeping it ordered; an event already due sounds at
  /// the next pulled frame (streaming: notes arrive while the piece plays).
  void addEvent(const midi::TimedEvent& event);
  const std::vector<midi::TimedEvent>& timeline() const { return m_events; }
  /// Seconds from 0 to the timeline's last event.
  double lengthSeconds() const;

  /// Moves to `seconds`: sounding notes stop, programs and controllers in force there
  /// are restored (chased), notes that start later will play.
  void seek(double seconds);
  double positionSeconds() const;
  std::int64_t positionFrames() const { return m_frame; }

  /// Renders `frames` stereo frames into left/right (overwritten), applying each timeline
  /// event at its own frame, and advances the position.
  void render(float* left, float* right, int frames);

  /// Renders without moving along the timeline: what sounds while the transport is
  /// stopped (previewed keys, release tails).
  void renderPaused(float* left, float* right, int frames);

  /// An event now, outside the timeline (previewing a key of the piano roll).
  void send(const midi::TimedEvent& event);
  /// Releases every note (they fade out naturally).
  void allNotesOff();
  /// Silences every voice at once (their reverb still rings out).
  void allSoundsOff();
  /// The panic button: silence now, effects' tails included; programs and controllers of
  /// the timeline at the current position are restored afterwards.
  void panic();

  void setGain(double gain);
  void setReverb(bool on);
  void setChorus(bool on);

  /// FluidSynth handles for the audio driver (Player); opaque outside core/audio.
  void* fluidSettings() const;
  void* fluidSynth() const;

private:
  struct Fluid;
  explicit Synth(const SynthSettings& settings, std::unique_ptr<Fluid> fluid);
  void apply(const midi::TimedEvent& event);
  std::int64_t dueFrame(const midi::TimedEvent& event) const;

  SynthSettings m_settings;
  std::unique_ptr<Fluid> m_fluid;
  std::vector<midi::TimedEvent> m_events;
  std::size_t m_next = 0;   ///< first timeline event not yet applied
  std::int64_t m_frame = 0; ///< position in frames
};

/// The last message FluidSynth logged (errors and warnings), for error messages.
std::string lastFluidMessage();

} // namespace lyrebird::audio
