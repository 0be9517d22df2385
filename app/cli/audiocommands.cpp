#include "audiooptions.h"
#include "commands.h"

#include "audio/player.h"
#include "midi/smfreader.h"

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

void onInterrupt(int) { g_interrupted = true; }

} // namespace

int runRender(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "lyrebird-cli render IN.mid OUT.wav: renders a MIDI file to audio with FluidSynth (.wav, .flac or .ogg)."));
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("IN.mid"), QStringLiteral("The MIDI file."));
  parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The audio file: .wav, .flac or .ogg."));
  const AudioOptions audioOptions = addAudioOptions(parser);
  const auto tail = addOption(parser, "tail", "Seconds rendered after the last note (default 2).", "S", "2");
  QTextStream err(stderr);
  if (!parser.parse(arguments)) {
    err << "lyrebird-cli render: " << parser.errorText() << "\n";
    return kExitUsage;
  }
  if (parser.isSet(QStringLiteral("help"))) {
    QTextStream(stdout) << parser.helpText();
    return kExitOk;
  }
  const QStringList positional = parser.positionalArguments();
  if (positional.size() != 2) {
    err << "lyrebird-cli render: give a MIDI file and an audio file, e.g. `lyrebird-cli render song.mid song.wav`.\n";
    return kExitUsage;
  }
  const std::filesystem::path out = positional.at(1).toStdString();
  if (const Result<audio::FileFormat> format = audio::formatFromPath(out); !format) {
    err << "lyrebird-cli render: " << QString::fromStdString(format.error().message) << "\n";
    return kExitUsage;
  }
  std::optional<audio::RenderOptions> options = readAudioOptions(parser, audioOptions, "lyrebird-cli render", err);
  if (!options) return kExitFailure;
  bool tailOk = false;
  options->tailSeconds = parser.value(tail).toDouble(&tailOk);
  if (!tailOk || options->tailSeconds < 0 || options->tailSeconds > 60) {
    err << "lyrebird-cli render: --tail is a number of seconds from 0 to 60.\n";
    return kExitUsage;
  }
  const Result<midi::SmfFile> in = midi::readSmfFile(positional.at(0).toStdString());
  if (!in) {
    err << "lyrebird-cli render: " << QString::fromStdString(in.error().describe()) << "\n";
    return kExitFailure;
  }
  const Result<audio::RenderStats> stats = audio::renderToFile(in->score, out, *options);
  if (!stats) {
    err << "lyrebird-cli render: " << QString::fromStdString(stats.error().describe()) << "\n";
    return kExitFailure;
  }
  QTextStream(stdout) << "Wrote " << positional.at(1) << ": " << QString::number(stats->seconds, 'f', 1)
                      << " s of audio in " << QString::number(stats->renderSeconds, 'f', 2) << " s ("
                      << QString::number(stats->seconds / std::max(stats->renderSeconds, 1e-9), 'f', 0)
                      << "x real time), peak " << QString::number(stats->peak, 'f', 2) << ", SoundFont "
                      << QString::fromStdString(options->synth.soundFont.string()) << ".\n";
  if (stats->peak > 1.0f) {
    err << "lyrebird-cli render: the audio clipped (peak " << stats->peak << "); try a lower --gain.\n";
  }
  return kExitOk;
}

int runPlay(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("lyrebird-cli play IN.mid: plays a MIDI file through the audio device (Ctrl+C stops)."));
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("IN.mid"), QStringLiteral("The MIDI file."));
  const AudioOptions audioOptions = addAudioOptions(parser);
  const auto driver = addOption(parser, "audio-driver",
                                "pulseaudio, alsa, sdl2 or jack (default: the first that works, in that order).", "D");
  QTextStream err(stderr);
  QTextStream out(stdout);
  if (!parser.parse(arguments)) {
    err << "lyrebird-cli play: " << parser.errorText() << "\n";
    return kExitUsage;
  }
  if (parser.isSet(QStringLiteral("help"))) {
    out << parser.helpText();
    return kExitOk;
  }
  if (parser.positionalArguments().size() != 1) {
    err << "lyrebird-cli play: give one MIDI file, e.g. `lyrebird-cli play song.mid`.\n";
    return kExitUsage;
  }
  const Result<midi::SmfFile> in = midi::readSmfFile(parser.positionalArguments().at(0).toStdString());
  if (!in) {
    err << "lyrebird-cli play: " << QString::fromStdString(in.error().describe()) << "\n";
    return kExitFailure;
  }
  std::optional<audio::RenderOptions> options = readAudioOptions(parser, audioOptions, "lyrebird-cli play", err);
  if (!options) return kExitFailure;
  options->synth.threads = 1; // the audio thread renders; one core is plenty in real time
  const std::vector<std::string> drivers =
      parser.isSet(driver) ? std::vector<std::string>{parser.value(driver).toStdString()} : audio::Player::defaultDrivers();
  const Result<std::unique_ptr<audio::Player>> player = audio::Player::create(options->synth, drivers);
  if (!player) {
    err << "lyrebird-cli play: " << QString::fromStdString(player.error().describe()) << "\n";
    return kExitFailure;
  }
  audio::Player& p = **player;
  if (!p.hasDevice()) {
    err << "lyrebird-cli play: " << QString::fromStdString(p.deviceMessage())
        << "\nTo hear the piece without a device, render it: `lyrebird-cli render IN.mid OUT.wav`.\n";
    return kExitFailure;
  }
  err << QString::fromStdString(p.deviceMessage()) << " Ctrl+C stops.\n";
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  p.load(in->score);
  p.play();
  while (p.isPlaying() && !g_interrupted) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (g_interrupted) p.panic();
  return kExitOk;
}

} // namespace lyrebird::cli
