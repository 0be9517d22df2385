#include "midiio/midiports.h"

#include <QtTest>

#include <filesystem>

using namespace lyrebird;
using namespace lyrebird::midiio;

// Real ports where a MIDI system exists; where none does (this machine and CI have no
// /dev/snd/seq), every call must say so plainly and nothing may throw.
class TestMidiPorts : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void withoutAMidiSystemEverythingSaysSo();
  void virtualPortIsVisibleWhereMidiExists();
};

namespace {
bool haveMidiSystem() {
  return std::filesystem::exists("/dev/snd/seq");
}
} // namespace

void TestMidiPorts::withoutAMidiSystemEverythingSaysSo() {
  if (haveMidiSystem()) QSKIP("this machine has an ALSA sequencer");
  const auto outs = outputPorts();
  const auto ins = inputPorts();
  // RtMidi may fall back to JACK (no server: no ports) instead of failing outright.
  if (!outs)
    QVERIFY(outs.error().message.find("MIDI is not available") != std::string::npos);
  else
    QVERIFY(outs->empty());
  if (!ins)
    QVERIFY(ins.error().message.find("still work") != std::string::npos);
  else
    QVERIFY(ins->empty());
  QVERIFY(!midiStatus().empty());
  QVERIFY(!MidiOutput::open("Anything").ok());
  QVERIFY(!MidiInput::open("Keyboard").ok());
  const auto virtualPort = MidiOutput::openVirtual();
  if (virtualPort) {
    // JACK without a server may still hand out a port object; sending must not throw.
    (void)(*virtualPort)->send({0x90, 60, 100});
  }
}

void TestMidiPorts::virtualPortIsVisibleWhereMidiExists() {
  if (!haveMidiSystem()) QSKIP("no ALSA sequencer here");
  const auto out = MidiOutput::openVirtual("Lyrebird Test");
  QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
  const auto inputs = inputPorts();
  QVERIFY(inputs.ok());
  bool found = false;
  for (const auto& name : *inputs)
    found = found || name.find("Lyrebird Test") != std::string::npos;
  QVERIFY(found);
}

QTEST_APPLESS_MAIN(TestMidiPorts)
#include "tst_midiports.moc"
