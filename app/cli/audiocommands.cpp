#include "audiooptions.h"
#include "commandline.h"
#include "commands.h"

#include "audio/player.h"
#include "midi/smfreader.h"
#include "midi/smfwriter.h"
#include "midiio/midiports.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

namespace lyrebird::cli {

namespace {

std::atomic<bool> g_interrupted{false};

void onInterrupt(int) {
  g_interrupted = true;
}

} // namespace

int runRender(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("render"),
      QStringLiteral(
          "lyrebird-cli render IN.mid OUT.wav: renders a MIDI file to audio with FluidSynth (.wav, .flac or .ogg)."));
  QCommandLineParser& parser = cli.parser();
  parser.addPositionalArgument(QStringLiteral("IN.mid"), QStringLiteral("The MIDI file."));
  parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The audio file: .wav, .flac or .ogg."));
  const AudioOptions audioOptions = addAudioOptions(parser);
  const auto tail = addOption(parser, "tail", "Seconds rendered after the last note (default 2).", "S", "2");
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  const QStringList positional = parser.positionalArguments();
  if (positional.size() != 2) {
    cli.error() << "give a MIDI file and an audio file, e.g. `lyrebird-cli render song.mid song.wav`.\n";
    return kExitUsage;
  }
  const std::filesystem::path out = positional.at(1).toStdString();
  if (const Result<audio::FileFormat> format = audio::formatFromPath(out); !format) {
    cli.error() << QString::fromStdString(format.error().message) << "\n";
    return kExitUsage;
  }
  std::optional<audio::RenderOptions> options = readAudioOptions(parser, audioOptions, cli.prefix(), err);
  if (!options) return kExitFailure;
  bool tailOk = false;
  options->tailSeconds = parser.value(tail).toDouble(&tailOk);
  if (!tailOk || options->tailSeconds < 0 || options->tailSeconds > 60) {
    cli.error() << "--tail is a number of seconds from 0 to 60.\n";
    return kExitUsage;
  }
  const Result<midi::SmfFile> in = midi::readSmfFile(positional.at(0).toStdString());
  if (!in) {
    cli.error() << QString::fromStdString(in.error().describe()) << "\n";
    return kExitFailure;
  }
  const Result<audio::RenderStats> stats = audio::renderToFile(in->score, out, *options);
  if (!stats) {
    cli.error() << QString::fromStdString(stats.error().describe()) << "\n";
    return kExitFailure;
  }
  QTextStream(stdout) << "Wrote " << positional.at(1) << ": " << QString::number(stats->seconds, 'f', 1)
                      << " s of audio in " << QString::number(stats->renderSeconds, 'f', 2) << " s ("
                      << QString::number(stats->seconds / std::max(stats->renderSeconds, 1e-9), 'f', 0)
                      << "x real time), peak " << QString::number(stats->peak, 'f', 2) << ", SoundFont "
                      << QString::fromStdString(options->synth.soundFont.string()) << ".\n";
  if (stats->peak > 1.0f) {
    cli.error() << "the audio clipped (peak " << stats->peak << "); try a lower --gain.\n";
  }
  return kExitOk;
}

int runPlay(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("play"),
      QStringLiteral("lyrebird-cli play IN.mid: plays a MIDI file through the audio device (Ctrl+C stops)."));
  QCommandLineParser& parser = cli.parser();
  parser.addPositionalArgument(QStringLiteral("IN.mid"), QStringLiteral("The MIDI file."));
  const AudioOptions audioOptions = addAudioOptions(parser);
  const auto driver = addOption(parser, "audio-driver",
                                "pulseaudio, alsa, sdl2 or jack (default: the first that works, in that order).", "D");
  const auto midiOut = addOption(parser, "midi-out",
                                 "Play to this MIDI output port instead (a name from `lyrebird-cli ports`), or to "
                                 "\"virtual\": a new port named Lyrebird that a DAW can connect to.",
                                 "PORT");
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  if (parser.positionalArguments().size() != 1) {
    cli.error() << "give one MIDI file, e.g. `lyrebird-cli play song.mid`.\n";
    return kExitUsage;
  }
  const Result<midi::SmfFile> in = midi::readSmfFile(parser.positionalArguments().at(0).toStdString());
  if (!in) {
    cli.error() << QString::fromStdString(in.error().describe()) << "\n";
    return kExitFailure;
  }
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  if (parser.isSet(midiOut)) {
    const std::string port = parser.value(midiOut).toStdString();
    const Result<std::unique_ptr<midiio::MidiOutput>> output =
        port == "virtual" ? midiio::MidiOutput::openVirtual("Lyrebird") : midiio::MidiOutput::open(port);
    if (!output) {
      cli.error() << QString::fromStdString(output.error().message) << "\n";
      return kExitFailure;
    }
    err << "Playing to MIDI port " << QString::fromStdString((*output)->portName()) << ". Ctrl+C stops.\n";
    std::stop_source stop;
    std::jthread watcher([&](std::stop_token done) {
      while (!done.stop_requested() && !g_interrupted)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (g_interrupted) stop.request_stop();
    });
    const Status played = (*output)->play(in->score, stop.get_token());
    watcher.request_stop();
    if (!played) {
      cli.error() << QString::fromStdString(played.error().message) << "\n";
      return kExitFailure;
    }
    return kExitOk;
  }
  std::optional<audio::RenderOptions> options = readAudioOptions(parser, audioOptions, cli.prefix(), err);
  if (!options) return kExitFailure;
  options->synth.threads = 1; // the audio thread renders; one core is plenty in real time
  const std::vector<std::string> drivers = parser.isSet(driver)
                                               ? std::vector<std::string>{parser.value(driver).toStdString()}
                                               : audio::Player::defaultDrivers();
  const Result<std::unique_ptr<audio::Player>> player = audio::Player::create(options->synth, drivers);
  if (!player) {
    cli.error() << QString::fromStdString(player.error().describe()) << "\n";
    return kExitFailure;
  }
  audio::Player& p = **player;
  if (!p.hasDevice()) {
    cli.error() << QString::fromStdString(p.deviceMessage())
                << "\nTo hear the piece without a device, render it: `lyrebird-cli render IN.mid OUT.wav`.\n";
    return kExitFailure;
  }
  err << QString::fromStdString(p.deviceMessage()) << " Ctrl+C stops.\n";
  p.load(in->score);
  p.play();
  while (p.isPlaying() && !g_interrupted)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (g_interrupted) p.panic();
  return kExitOk;
}

int runPorts(const QStringList& arguments) {
  CommandLine cli(QStringLiteral("ports"),
                  QStringLiteral("lyrebird-cli ports: the MIDI input and output ports of this machine."));
  QTextStream& out = cli.out();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  const auto outputs = midiio::outputPorts();
  const auto inputs = midiio::inputPorts();
  if (!outputs || !inputs) {
    cli.error() << QString::fromStdString((outputs ? inputs.error() : outputs.error()).message) << "\n";
    return kExitFailure;
  }
  out << "MIDI outputs (play --midi-out NAME):\n";
  for (const std::string& name : *outputs)
    out << "  " << QString::fromStdString(name) << "\n";
  if (outputs->empty()) out << "  (none)\n";
  out << "MIDI inputs (record --in NAME):\n";
  for (const std::string& name : *inputs)
    out << "  " << QString::fromStdString(name) << "\n";
  if (inputs->empty()) out << "  (none)\n";
  return kExitOk;
}

int runRecord(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("record"),
      QStringLiteral(
          "lyrebird-cli record --in PORT --out PRIME.mid: records a MIDI keyboard, e.g. to prime a generation "
          "(`generate --prime PRIME.mid`). Ctrl+C ends the recording early."));
  QCommandLineParser& parser = cli.parser();
  const auto in = addOption(parser, "in", "The MIDI input port (see `lyrebird-cli ports`).", "PORT");
  const auto out = addOption(parser, "out", "The MIDI file to write.", "OUT.mid");
  const auto seconds = addOption(parser, "seconds", "How long to record (default 10).", "S", "10");
  const auto quantize =
      addOption(parser, "quantize", "Snap to 1/N of a quarter, e.g. 4 = sixteenths (default: off).", "N", "0");
  const auto tempo = addOption(parser, "tempo", "Tempo of the recording in BPM (default 120).", "BPM", "120");
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  bool secondsOk = false, quantizeOk = false, tempoOk = false;
  const double duration = parser.value(seconds).toDouble(&secondsOk);
  midiio::RecordOptions options;
  options.quantizeDivision = parser.value(quantize).toInt(&quantizeOk);
  options.tempoBpm = parser.value(tempo).toDouble(&tempoOk);
  if (!parser.isSet(in) || !parser.isSet(out) || !secondsOk || duration <= 0 || !quantizeOk ||
      options.quantizeDivision < 0 || options.quantizeDivision > 480 || !tempoOk || options.tempoBpm <= 0) {
    cli.error() << "give --in PORT and --out OUT.mid; --seconds, --quantize and --tempo take positive "
                   "numbers.\n";
    return kExitUsage;
  }
  const Result<std::unique_ptr<midiio::MidiInput>> input = midiio::MidiInput::open(parser.value(in).toStdString());
  if (!input) {
    cli.error() << QString::fromStdString(input.error().message) << "\n";
    return kExitFailure;
  }
  std::signal(SIGINT, onInterrupt);
  err << "Recording from " << QString::fromStdString((*input)->portName()) << " for " << duration << " s...\n";
  (*input)->start();
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(duration);
  while (std::chrono::steady_clock::now() < end && !g_interrupted)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const midi::Score score = (*input)->stop(options);
  if (score.noteCount() == 0) {
    cli.error() << "nothing was played; no file written.\n";
    return kExitFailure;
  }
  if (const Status written = midi::writeSmfFile(score, parser.value(out).toStdString()); !written) {
    cli.error() << QString::fromStdString(written.error().describe()) << "\n";
    return kExitFailure;
  }
  QTextStream(stdout) << "Wrote " << parser.value(out) << " (" << score.noteCount() << " notes).\n";
  return kExitOk;
}

} // namespace lyrebird::cli
