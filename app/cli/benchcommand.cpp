#include "commands.h"

#include "corpus/corpus.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <thread>

namespace lyrebird::cli {

namespace {

int benchParse(QCommandLineParser& parser, const QCommandLineOption& threadsOption,
               const QCommandLineOption& repeatOption) {
  QTextStream err(stderr);
  const QStringList positional = parser.positionalArguments();
  if (positional.size() != 2) {
    err << "lyrebird-cli bench parse: give one folder, e.g. `lyrebird-cli bench parse ~/Music/midi`.\n";
    return kExitUsage;
  }
  bool ok = false;
  const unsigned threads = parser.value(threadsOption).toUInt(&ok);
  bool repeatOk = false;
  const int repeat = parser.value(repeatOption).toInt(&repeatOk);
  if (!ok || !repeatOk || repeat < 1) {
    err << "lyrebird-cli bench parse: --threads and --repeat take whole numbers (--repeat at least 1).\n";
    return kExitUsage;
  }
  corpus::LoadOptions options;
  options.threads = threads;
  options.includeDrums = true;
  // Every file is read, parsed into a Score and measured, as `info` and training do.
  double best = 0.0;
  double first = 0.0;
  corpus::CorpusStats stats;
  for (int r = 0; r < repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const Result<corpus::Corpus> loaded = corpus::loadCorpus(positional.at(1).toStdString(), options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!loaded) {
      err << "lyrebird-cli bench parse: " << QString::fromStdString(loaded.error().describe()) << "\n";
      return kExitFailure;
    }
    stats = loaded->stats;
    first = r == 0 ? seconds : first;
    best = r == 0 ? seconds : std::min(best, seconds);
  }
  QJsonObject o;
  o[QStringLiteral("folder")] = positional.at(1);
  o[QStringLiteral("files")] = static_cast<double>(stats.files);
  o[QStringLiteral("failed")] = static_cast<double>(stats.failed);
  o[QStringLiteral("bytes")] = static_cast<double>(stats.bytes);
  o[QStringLiteral("notes")] = static_cast<double>(stats.notesInFiles);
  o[QStringLiteral("seconds")] = best;
  o[QStringLiteral("first_run_seconds")] = first;
  o[QStringLiteral("repeat")] = repeat;
  o[QStringLiteral("threads")] =
      static_cast<int>(threads ? threads : std::max(1u, std::thread::hardware_concurrency()));
  o[QStringLiteral("files_per_s")] = best > 0 ? static_cast<double>(stats.files) / best : 0.0;
  o[QStringLiteral("mb_per_s")] = best > 0 ? static_cast<double>(stats.bytes) / 1e6 / best : 0.0;
  QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Indented);
  return kExitOk;
}

} // namespace

int runBench(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "lyrebird-cli bench: benchmarks that print JSON.\n"
      "  bench parse DIR   read, parse and measure every MIDI file under DIR (best of --repeat runs)"));
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("WHAT"), QStringLiteral("Which benchmark: parse."));
  const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Threads (default: all cores)."),
                                   QStringLiteral("N"), QStringLiteral("0"));
  const QCommandLineOption repeat(QStringLiteral("repeat"), QStringLiteral("Runs; the fastest is reported."),
                                  QStringLiteral("R"), QStringLiteral("3"));
  parser.addOptions({threads, repeat});
  QTextStream err(stderr);
  if (!parser.parse(arguments)) {
    err << "lyrebird-cli bench: " << parser.errorText() << "\n";
    return kExitUsage;
  }
  if (parser.isSet(QStringLiteral("help"))) {
    QTextStream(stdout) << parser.helpText();
    return kExitOk;
  }
  const QStringList positional = parser.positionalArguments();
  if (!positional.isEmpty() && positional.at(0) == u"parse") {
    return benchParse(parser, threads, repeat);
  }
  err << "lyrebird-cli bench: name a benchmark: `lyrebird-cli bench parse DIR`.\n";
  return kExitUsage;
}

} // namespace lyrebird::cli
