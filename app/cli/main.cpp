#include "commands.h"

#include "train/systeminfo.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <string_view>

namespace {

const char* const kUsage =
    "Usage: lyrebird-cli <command> [options]\n"
    "\n"
    "Lyrebird learns music from a folder of MIDI files and writes new music.\n"
    "\n"
    "Commands:\n"
    "  info DIR [--json]        statistics of a folder of MIDI files\n"
    "  train --data DIR --out MODEL.lyrebird [--preset P] [--epochs N] [--resume | --from BASE] ...\n"
    "                           learn a folder of MIDI files, or shape a model to it (see `train --help`)\n"
    "  generate [--model MODEL.lyrebird] --out OUT.mid [--length 30s] [--wav OUT.wav] ...\n"
    "                           write new music as MIDI and audio (the bundled model without --model)\n"
    "  infill --in IN.mid --bars A-B --out OUT.mid [--candidates N] [--json] ...\n"
    "                           write bars A to B again between the music that stays (see `infill --help`)\n"
    "  render IN.mid OUT.wav    render MIDI to audio (.wav, .flac, .ogg) with a SoundFont\n"
    "  play IN.mid              play MIDI through the audio device (or --midi-out PORT)\n"
    "  ports                    list MIDI input and output ports\n"
    "  record --in PORT --out PRIME.mid   record a MIDI keyboard (a prime for generate)\n"
    "  evaluate --model MODEL.lyrebird --data DIR [--takes N]\n"
    "                           generate takes and measure them against the held-out music (JSON)\n"
    "  calibrate --model MODEL.lyrebird --data DIR\n"
    "                           measure how much a model's takes should repeat; saved as its default\n"
    "  experiment --data NAME=DIR ... --models LIST (--epochs N | --minutes M) --out DIR\n"
    "                           train, generate and measure every model on every corpus; charts and report.md\n"
    "  bench parse DIR          how fast a folder of MIDI files is read (JSON)\n"
    "  bench train [options]    how fast LSTM training steps run (JSON)\n"
    "  bench generate [options] how fast generation runs, tokens/s and first-token latency (JSON)\n"
    "  bench infill [options]   how fast a region is regenerated: 8 candidates, ranked (JSON)\n"
    "\n"
    "Options:\n"
    "  -h, --help               this text; `lyrebird-cli <command> --help` for a command\n"
    "  -v, --version            version of Lyrebird and its libraries\n";

} // namespace

int main(int argc, char* argv[]) {
  // The experiment draws charts: it runs its own (headless) QGuiApplication.
  if (argc > 1 && std::string_view(argv[1]) == "experiment") return lyrebird::cli::runExperiment(argc, argv);
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("lyrebird-cli"));
  QCoreApplication::setApplicationVersion(QStringLiteral(LYREBIRD_VERSION));
  QStringList arguments = QCoreApplication::arguments();
  arguments.removeFirst();

  QTextStream out(stdout);
  if (arguments.isEmpty() || arguments.first() == u"-h" || arguments.first() == u"--help" ||
      arguments.first() == u"help") {
    out << kUsage;
    return arguments.isEmpty() ? lyrebird::cli::kExitUsage : lyrebird::cli::kExitOk;
  }
  const QString command = arguments.first();
  if (command == u"-v" || command == u"--version" || command == u"version") {
    const lyrebird::train::SystemInfo system = lyrebird::train::systemInfo();
    out << "lyrebird-cli " << LYREBIRD_VERSION << "\n"
        << "Qt " << qVersion() << "\n"
        << "LibTorch " << QString::fromStdString(system.torchVersion) << ", " << system.intraOpThreads
        << " intra-op thread(s) by default (training uses 1 unless --threads says otherwise), "
        << system.hardwareThreads << " hardware threads\n"
        << "BLAS " << QString::fromStdString(system.blas)
        << (system.optimizedBlas ? "" : "  (WARNING: not an optimized BLAS; training will be ~10x slower)") << "\n";
    return lyrebird::cli::kExitOk;
  }
  if (command == u"info") {
    return lyrebird::cli::runInfo(arguments);
  }
  if (command == u"generate") {
    return lyrebird::cli::runGenerate(arguments);
  }
  if (command == u"infill") {
    return lyrebird::cli::runInfill(arguments);
  }
  if (command == u"render") {
    return lyrebird::cli::runRender(arguments);
  }
  if (command == u"play") {
    return lyrebird::cli::runPlay(arguments);
  }
  if (command == u"ports") {
    return lyrebird::cli::runPorts(arguments);
  }
  if (command == u"record") {
    return lyrebird::cli::runRecord(arguments);
  }
  if (command == u"train") {
    return lyrebird::cli::runTrain(arguments);
  }
  if (command == u"evaluate") {
    return lyrebird::cli::runEvaluate(arguments);
  }
  if (command == u"calibrate") {
    return lyrebird::cli::runCalibrate(arguments);
  }
  if (command == u"bench") {
    return lyrebird::cli::runBench(arguments);
  }
  QTextStream err(stderr);
  err << "lyrebird-cli: unknown command '" << command << "'.\n\n" << kUsage;
  return lyrebird::cli::kExitUsage;
}
