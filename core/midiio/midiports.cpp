#include "midiio/midiports.h"

#include "base/alsalog.h"

#include <RtMidi.h>

#include <iostream>
#include <sstream>
#include <thread>

namespace lyrebird::midiio {

namespace {

constexpr const char* kClientName = "Lyrebird";

Error midiError(const std::string& what) {
  return Error{ErrorKind::DeviceUnavailable,
               {},
               -1,
               "MIDI is not available on this machine (" + what +
                   "). Playing through the synthesizer, generating and exporting still work."};
}

// RtMidi reports through exceptions, or prints warnings itself; this routes both into
// Lyrebird's errors. Its error callback must not throw from inside RtMidi.
void ignoreRtMidiWarning(RtMidiError::Type, const std::string&, void*) {}

// RtMidi prints an error to std::cerr before it throws; the Error Lyrebird returns says
// the same in context, so the print is swallowed while a port object is made.
class QuietCerr {
public:
  QuietCerr() : m_old(std::cerr.rdbuf(m_sink.rdbuf())) {}
  ~QuietCerr() { std::cerr.rdbuf(m_old); }
  QuietCerr(const QuietCerr&) = delete;
  QuietCerr& operator=(const QuietCerr&) = delete;

private:
  std::ostringstream m_sink;
  std::streambuf* m_old;
};

template <typename Port> Result<std::unique_ptr<Port>> openApi(const char* client) {
  silenceAlsaLog();
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  const QuietCerr quiet;
  try {
    auto port = std::make_unique<Port>(RtMidi::UNSPECIFIED, client);
    port->setErrorCallback(ignoreRtMidiWarning, nullptr);
    return port;
  } catch (const RtMidiError& e) {
    return midiError(e.getMessage());
  } catch (const std::exception& e) {
    return midiError(e.what());
  }
}

template <typename Port> Result<std::vector<std::string>> portNames() {
  Result<std::unique_ptr<Port>> port = openApi<Port>(kClientName);
  if (!port) return port.error();
  std::vector<std::string> names;
  try {
    const unsigned count = (*port)->getPortCount();
    for (unsigned i = 0; i < count; ++i)
      names.push_back((*port)->getPortName(i));
  } catch (const RtMidiError& e) {
    return midiError(e.getMessage());
  }
  return names;
}

// The index of the port called `name`: an exact name first, else the first that contains it.
template <typename Port> Result<unsigned> findPort(Port& port, const std::string& name) {
  const unsigned count = port.getPortCount();
  for (unsigned i = 0; i < count; ++i) {
    if (port.getPortName(i) == name) return i;
  }
  for (unsigned i = 0; i < count; ++i) {
    if (port.getPortName(i).find(name) != std::string::npos) return i;
  }
  return Error{ErrorKind::NotFound, {}, -1, "There is no MIDI port called \"" + name + "\"."};
}

} // namespace

Result<std::vector<std::string>> outputPorts() {
  return portNames<RtMidiOut>();
}
Result<std::vector<std::string>> inputPorts() {
  return portNames<RtMidiIn>();
}

std::string midiStatus() {
  const auto outs = outputPorts();
  if (!outs) return outs.error().message;
  const auto ins = inputPorts();
  if (!ins) return ins.error().message;
  return "MIDI: " + std::to_string(outs->size()) + " output port(s), " + std::to_string(ins->size()) +
         " input port(s).";
}

MidiOutput::MidiOutput(std::unique_ptr<RtMidiOut> out, std::string portName)
    : m_out(std::move(out)), m_portName(std::move(portName)) {}

MidiOutput::~MidiOutput() {
  if (m_out) allNotesOff();
}

Result<std::unique_ptr<MidiOutput>> MidiOutput::open(const std::string& name) {
  Result<std::unique_ptr<RtMidiOut>> out = openApi<RtMidiOut>(kClientName);
  if (!out) return out.error();
  try {
    const Result<unsigned> index = findPort(**out, name);
    if (!index) return index.error();
    const std::string portName = (*out)->getPortName(*index);
    (*out)->openPort(*index, kClientName);
    return std::unique_ptr<MidiOutput>(new MidiOutput(std::move(out.value()), portName));
  } catch (const RtMidiError& e) {
    return midiError(e.getMessage());
  }
}

Result<std::unique_ptr<MidiOutput>> MidiOutput::openVirtual(const std::string& name) {
  Result<std::unique_ptr<RtMidiOut>> out = openApi<RtMidiOut>(kClientName);
  if (!out) return out.error();
  try {
    (*out)->openVirtualPort(name);
    return std::unique_ptr<MidiOutput>(new MidiOutput(std::move(out.value()), name));
  } catch (const RtMidiError& e) {
    return midiError(e.getMessage());
  }
}

Status MidiOutput::send(const std::vector<std::uint8_t>& bytes) {
  try {
    m_out->sendMessage(&bytes);
  } catch (const RtMidiError& e) {
    return Error{ErrorKind::Io, {}, -1, "Sending to " + m_portName + " failed: " + e.getMessage()};
  }
  return Done{};
}

Status MidiOutput::play(const midi::Score& score, std::stop_token stop) {
  const std::vector<TimedMessage> messages = messagesFromScore(score);
  const auto start = std::chrono::steady_clock::now();
  Status status = Done{};
  for (const TimedMessage& m : messages) {
    const auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(m.seconds));
    // Sleep in short steps so a stop request is honoured promptly.
    while (!stop.stop_requested() && std::chrono::steady_clock::now() < due) {
      std::this_thread::sleep_until(std::min(due, std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
    }
    if (stop.stop_requested()) break;
    if (status = send(m.bytes); !status) break;
  }
  allNotesOff();
  return status;
}

void MidiOutput::allNotesOff() {
  for (std::uint8_t channel = 0; channel < 16; ++channel) {
    (void)send({static_cast<std::uint8_t>(0xB0 | channel), 123, 0}); // All Notes Off
    (void)send({static_cast<std::uint8_t>(0xB0 | channel), 64, 0});  // sustain pedal up
  }
}

MidiInput::MidiInput(std::unique_ptr<RtMidiIn> in, std::string portName)
    : m_in(std::move(in)), m_portName(std::move(portName)) {}

MidiInput::~MidiInput() {
  if (m_in) {
    try {
      m_in->cancelCallback();
      m_in->closePort();
    } catch (const RtMidiError&) {
    }
  }
}

Result<std::unique_ptr<MidiInput>> MidiInput::open(const std::string& name) {
  Result<std::unique_ptr<RtMidiIn>> in = openApi<RtMidiIn>(kClientName);
  if (!in) return in.error();
  try {
    const Result<unsigned> index = findPort(**in, name);
    if (!index) return index.error();
    const std::string portName = (*in)->getPortName(*index);
    std::unique_ptr<MidiInput> input(new MidiInput(std::move(in.value()), portName));
    input->m_in->ignoreTypes(true, true, true); // sysex, clock, active sensing
    input->m_in->setCallback(&MidiInput::received, input.get());
    input->m_in->openPort(*index, kClientName);
    return input;
  } catch (const RtMidiError& e) {
    return midiError(e.getMessage());
  }
}

void MidiInput::received(double, std::vector<unsigned char>* message, void* self) {
  // RtMidi's thread: copy the bytes with our own clock and return.
  auto* input = static_cast<MidiInput*>(self);
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(input->m_mutex);
  if (!input->m_recording || !message) return;
  input->m_messages.push_back({std::chrono::duration<double>(now - input->m_start).count(),
                               std::vector<std::uint8_t>(message->begin(), message->end())});
}

void MidiInput::start() {
  const std::lock_guard lock(m_mutex);
  m_messages.clear();
  m_start = std::chrono::steady_clock::now();
  m_recording = true;
}

midi::Score MidiInput::stop(const RecordOptions& options) {
  std::vector<TimedMessage> messages;
  {
    const std::lock_guard lock(m_mutex);
    m_recording = false;
    messages.swap(m_messages);
  }
  return scoreFromMessages(messages, options);
}

std::size_t MidiInput::messageCount() const {
  const std::lock_guard lock(m_mutex);
  return m_messages.size();
}

} // namespace lyrebird::midiio
