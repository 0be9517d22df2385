#include "commandline.h"
#include "commands.h"
#include "corpusreport.h"

#include "corpus/corpus.h"
#include "corpus/split.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace lyrebird::cli {

int runInfo(const QStringList& arguments) {
  CommandLine cli(QStringLiteral("info"),
                  QStringLiteral("lyrebird-cli info: statistics of a folder of MIDI files (searched recursively)."));
  QCommandLineParser& parser = cli.parser();
  parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder of .mid/.midi/.kar/.rmi files."));
  const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
  const QCommandLineOption drums(QStringLiteral("include-drums"),
                                 QStringLiteral("Count drum tracks (channel 10) as notes; excluded by default."));
  const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Loader threads (default: all cores)."),
                                   QStringLiteral("N"), QStringLiteral("0"));
  const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the train/valid split."),
                                QStringLiteral("S"), QStringLiteral("0"));
  const QCommandLineOption validFraction(QStringLiteral("valid-fraction"),
                                         QStringLiteral("Share of files for validation (default 0.1)."),
                                         QStringLiteral("F"), QStringLiteral("0.1"));
  const QCommandLineOption testFraction(QStringLiteral("test-fraction"),
                                        QStringLiteral("Share of files held out for testing (default 0)."),
                                        QStringLiteral("F"), QStringLiteral("0"));
  parser.addOptions({json, drums, threads, seed, validFraction, testFraction});
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  const QStringList positional = parser.positionalArguments();
  if (positional.size() != 1) {
    cli.error() << "give exactly one folder, e.g. `lyrebird-cli info ~/Music/midi`.\n";
    return kExitUsage;
  }
  bool numbersOk = true;
  bool ok = false;
  corpus::LoadOptions options;
  options.includeDrums = parser.isSet(drums);
  options.keepScores = false;
  options.threads = parser.value(threads).toUInt(&ok);
  numbersOk = numbersOk && ok;
  corpus::SplitOptions splitOptions;
  splitOptions.seed = parser.value(seed).toULongLong(&ok);
  numbersOk = numbersOk && ok;
  splitOptions.validFraction = parser.value(validFraction).toDouble(&ok);
  numbersOk = numbersOk && ok && splitOptions.validFraction >= 0 && splitOptions.validFraction < 1;
  splitOptions.testFraction = parser.value(testFraction).toDouble(&ok);
  numbersOk = numbersOk && ok && splitOptions.testFraction >= 0 && splitOptions.testFraction < 1;
  if (!numbersOk) {
    cli.error() << "--threads and --seed take whole numbers, the fractions numbers from 0 to 1.\n";
    return kExitUsage;
  }
  const bool showProgress = !parser.isSet(json) && ::isatty(STDERR_FILENO);
  if (showProgress) {
    options.progress = [&err](const corpus::LoadProgress& p) {
      err << "\rLoading " << p.done << " of " << p.total << " files..." << Qt::flush;
    };
  }

  const Result<corpus::Corpus> loaded = corpus::loadCorpus(positional.at(0).toStdString(), options);
  if (showProgress) err << "\r\033[K" << Qt::flush;
  if (!loaded) {
    cli.error() << QString::fromStdString(loaded.error().describe()) << "\n";
    return kExitFailure;
  }
  const corpus::FileSplit split = corpus::splitCorpus(*loaded, splitOptions);
  QTextStream& out = cli.out();
  if (parser.isSet(json)) {
    out << QJsonDocument(corpusToJson(*loaded, split)).toJson(QJsonDocument::Indented);
  } else {
    out << corpusToText(*loaded, split);
  }
  return kExitOk;
}

} // namespace lyrebird::cli
