#pragma once

#include "base/result.h"
#include "midi/score.h"
#include "midiio/midimessages.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

class RtMidiIn;
class RtMidiOut;

namespace lyrebird::midiio {

/// The system's MIDI ports through RtMidi. Without a MIDI system (no ALSA sequencer, as on
/// a server) every call returns an Error with a plain sentence; no exception escapes.

/// Names of the ports Lyrebird can send to / record from. Names, not indices, identify
/// ports: indices change when a device is plugged in.
Result<std::vector<std::string>> outputPorts();
Result<std::vector<std::string>> inputPorts();

/// One sentence on the state of MIDI on this machine ("3 outputs, 1 input" or why not).
std::string midiStatus();

/// A MIDI output: a port of another program or device, or a virtual port of ours that a
/// DAW can connect to.
class MidiOutput {
public:
  /// The first port whose name contains `name` (exact matches win).
  static Result<std::unique_ptr<MidiOutput>> open(const std::string& name);
  /// A new port named `name` ("Lyrebird") that other programs see as an input.
  static Result<std::unique_ptr<MidiOutput>> openVirtual(const std::string& name = "Lyrebird");
  ~MidiOutput();

  const std::string& portName() const { return m_portName; }
  Status send(const std::vector<std::uint8_t>& bytes);
  /// Plays `score` out with its own timing (blocking; call from a worker thread). A stop
  /// request ends it early. Every note that was started is released at the end.
  Status play(const midi::Score& score, std::stop_token stop = {});
  /// Note-off for every key and "all notes off" on all 16 channels.
  void allNotesOff();

private:
  MidiOutput(std::unique_ptr<RtMidiOut> out, std::string portName);
  std::unique_ptr<RtMidiOut> m_out;
  std::string m_portName;
};

/// A MIDI input that records what is played into a Score (for a generation's prime).
class MidiInput {
public:
  static Result<std::unique_ptr<MidiInput>> open(const std::string& name);
  ~MidiInput();

  const std::string& portName() const { return m_portName; }
  /// Starts a new recording (what was recorded before is dropped).
  void start();
  /// Stops and returns what was played since start(). Thread-safe.
  midi::Score stop(const RecordOptions& options = {});
  /// Messages received since start() (RtMidi's thread adds to it).
  std::size_t messageCount() const;

private:
  MidiInput(std::unique_ptr<RtMidiIn> in, std::string portName);
  static void received(double, std::vector<unsigned char>* message, void* self);

  std::unique_ptr<RtMidiIn> m_in;
  std::string m_portName;
  mutable std::mutex m_mutex;
  bool m_recording = false;
  std::chrono::steady_clock::time_point m_start;
  std::vector<TimedMessage> m_messages;
};

} // namespace lyrebird::midiio
