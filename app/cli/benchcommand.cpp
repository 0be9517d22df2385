#include "commandline.h"
#include "commands.h"

#include "appdata.h"

#include "corpus/corpus.h"
#include "generate/generatebench.h"
#include "generate/generator.h"
#include "generate/infill.h"
#include "midi/smfreader.h"
#include "train/trainbench.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <cmath>
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

// The model-shape flags bench train and bench generate share.
struct ShapeOptions {
  QCommandLineOption arch, hidden, layers, vocab, input;
};

ShapeOptions addShapeOptions(QCommandLineParser& parser, const char* vocabDefault) {
  auto option = [&](const char* name, const char* help, const char* fallback) {
    return addOption(parser, name, help, "X", fallback);
  };
  return {option("arch", "single or stacked.", "stacked"), option("hidden", "LSTM units.", "512"),
          option("layers", "LSTM layers (default: 1 for single, 3 for stacked).", "0"),
          option("vocab", "Vocabulary size.", vocabDefault), option("input", "scalar (token/V) or embed.", "scalar")};
}

// Reads the shape flags into `model`; prints what is wrong and returns false on bad input.
bool readShape(const QCommandLineParser& parser, const ShapeOptions& o, model::ModelConfig& model,
               const QString& command, QTextStream& err) {
  const QString archValue = parser.value(o.arch);
  const QString inputValue = parser.value(o.input);
  if (archValue != u"single" && archValue != u"stacked") {
    err << command << ": --arch is single or stacked.\n";
    return false;
  }
  if (inputValue != u"scalar" && inputValue != u"embed" && inputValue != u"embedding") {
    err << command << ": --input is scalar or embed.\n";
    return false;
  }
  bool ok = true;
  auto number = [&](const QCommandLineOption& opt, int lo, int hi) {
    bool converted = false;
    const int v = parser.value(opt).toInt(&converted);
    if (!converted || v < lo || v > hi) {
      err << command << ": --" << opt.names().first() << " must be a whole number from " << lo << " to " << hi << ".\n";
      ok = false;
    }
    return v;
  };
  model.arch = archValue == u"single" ? model::ModelConfig::Arch::Single : model::ModelConfig::Arch::Stacked;
  model.input = inputValue == u"scalar" ? model::ModelConfig::Input::Scalar : model::ModelConfig::Input::Embedding;
  model.hidden = number(o.hidden, 1, 8192);
  const int layerCount = number(o.layers, 0, 16);
  model.layers = layerCount > 0 ? layerCount : (model.arch == model::ModelConfig::Arch::Single ? 1 : 3);
  model.vocabularySize = number(o.vocab, 2, 65535);
  return ok;
}

void writeShape(QJsonObject& json, const model::ModelConfig& model) {
  json[QStringLiteral("arch")] = QString::fromStdString(std::string(model::archName(model.arch)));
  json[QStringLiteral("layers")] = model.layers;
  json[QStringLiteral("hidden")] = model.hidden;
  json[QStringLiteral("vocab")] = model.vocabularySize;
  json[QStringLiteral("input")] =
      model.input == model::ModelConfig::Input::Scalar ? QStringLiteral("scalar") : QStringLiteral("embed");
}

int benchTrain(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("bench train"),
      QStringLiteral("lyrebird-cli bench train: times training steps of an LSTM model on random tokens (JSON).\n"
                     "Yardstick: /usr/bin/python3 ../shared/bench/ref_lstm_bench.py with the same flags."));
  QCommandLineParser& parser = cli.parser();
  auto option = [&](const char* name, const char* help, const char* fallback) {
    return addOption(parser, name, help, "X", fallback);
  };
  const ShapeOptions shape = addShapeOptions(parser, "300");
  const auto seq = option("seq", "Window length in tokens.", "100");
  const auto batch = option("batch", "Windows per step.", "64");
  const auto objective = option("objective", "last (one target per window) or all (every position).", "last");
  const auto steps = option("steps", "Timed steps.", "5");
  const auto threads = option("threads", "Torch intra-op threads.", "1");
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  train::TrainBenchOptions o;
  bool ok = true;
  auto number = [&](const QCommandLineOption& opt, int lo, int hi) {
    bool converted = false;
    const int v = parser.value(opt).toInt(&converted);
    if (!converted || v < lo || v > hi) {
      cli.error() << "--" << opt.names().first() << " must be a whole number from " << lo << " to " << hi << ".\n";
      ok = false;
    }
    return v;
  };
  if (!readShape(parser, shape, o.model, cli.prefix(), err)) return kExitUsage;
  const QString objectiveValue = parser.value(objective);
  if (objectiveValue != u"last" && objectiveValue != u"all") {
    cli.error() << "--objective is last or all.\n";
    return kExitUsage;
  }
  o.model.objective =
      objectiveValue == u"last" ? model::ModelConfig::Objective::Last : model::ModelConfig::Objective::All;
  o.sequenceLength = number(seq, 1, 100000);
  o.batch = number(batch, 1, 100000);
  o.steps = number(steps, 1, 100000);
  o.threads = number(threads, 1, 1024);
  if (!ok) return kExitUsage;

  const train::TrainBenchResult r = train::benchTrainSteps(o);
  QJsonObject json;
  json[QStringLiteral("impl")] = QStringLiteral("lyrebird-libtorch");
  writeShape(json, o.model);
  json[QStringLiteral("seq")] = o.sequenceLength;
  json[QStringLiteral("batch")] = o.batch;
  json[QStringLiteral("objective")] = objectiveValue;
  json[QStringLiteral("ms_per_step")] = r.msPerStep;
  json[QStringLiteral("sequences_per_s")] = r.sequencesPerSecond;
  json[QStringLiteral("targets_per_s")] = r.targetsPerSecond;
  json[QStringLiteral("gflop_per_step")] = r.gflopPerStep;
  json[QStringLiteral("gflops")] = r.gflopsPerSecond;
  json[QStringLiteral("gemm_peak_gflops")] = r.gemmPeakGflops;
  json[QStringLiteral("threads")] = r.threads;
  QTextStream(stdout) << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
  return kExitOk;
}

int benchGenerate(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("bench generate"),
      QStringLiteral(
          "lyrebird-cli bench generate: times token-by-token generation with a random model of the given shape "
          "(JSON: tokens_per_s, first_token_ms)."));
  QCommandLineParser& parser = cli.parser();
  const ShapeOptions shape = addShapeOptions(parser, "388");
  const auto tokens = addOption(parser, "tokens", "Tokens drawn per run.", "N", "1000");
  const auto prime = addOption(parser, "prime", "Prime length in tokens read before the first draw.", "N", "0");
  const auto repeat = addOption(parser, "repeat", "Runs; the fastest is reported.", "R", "3");
  const auto precision = addOption(parser, "precision", "LSTM weights in half (default) or float.", "P", "half");
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  generate::GenerateBenchOptions o;
  if (!readShape(parser, shape, o.model, cli.prefix(), err)) return kExitUsage;
  bool tokensOk = false, primeOk = false, repeatOk = false;
  o.tokens = parser.value(tokens).toInt(&tokensOk);
  o.primeTokens = parser.value(prime).toInt(&primeOk);
  o.repeat = parser.value(repeat).toInt(&repeatOk);
  if (!tokensOk || !primeOk || !repeatOk || o.tokens < 2 || o.primeTokens < 0 || o.repeat < 1) {
    cli.error() << "--tokens (at least 2), --prime and --repeat take whole numbers.\n";
    return kExitUsage;
  }
  if (parser.value(precision) != u"half" && parser.value(precision) != u"float") {
    cli.error() << "--precision is half or float.\n";
    return kExitUsage;
  }
  o.precision =
      parser.value(precision) == u"half" ? model::LstmStepper::Precision::Half : model::LstmStepper::Precision::Float;
  const generate::GenerateBenchResult r = generate::benchGenerate(o);
  QJsonObject json;
  json[QStringLiteral("impl")] = QStringLiteral("lyrebird-stepper");
  writeShape(json, o.model);
  json[QStringLiteral("tokens")] = o.tokens;
  json[QStringLiteral("prime_tokens")] = o.primeTokens;
  json[QStringLiteral("precision")] = parser.value(precision);
  json[QStringLiteral("tokens_per_s")] = r.tokensPerSecond;
  json[QStringLiteral("us_per_token")] = r.microsecondsPerToken;
  json[QStringLiteral("first_token_ms")] = r.firstTokenMs;
  if (std::isfinite(r.firstNoteMs)) json[QStringLiteral("first_note_ms")] = r.firstNoteMs;
  json[QStringLiteral("load_ms")] = r.loadMs;
  json[QStringLiteral("threads")] = 1;
  QTextStream(stdout) << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
  return kExitOk;
}

int benchInfill(const QStringList& arguments) {
  CommandLine cli(QStringLiteral("bench infill"),
                  QStringLiteral("lyrebird-cli bench infill: times regenerating a region (JSON: seconds for all "
                                 "candidates ranked, first_candidate_ms), by default with the bundled model on the "
                                 "first piece of the bundled demo corpus, bars 5-8, 8 candidates."));
  QCommandLineParser& parser = cli.parser();
  const auto modelOption = addOption(parser, "model", "The model (default: the bundled model).", "MODEL");
  const auto in = addOption(parser, "in", "The piece (default: the demo corpus's first).", "IN.mid");
  const auto bars = addOption(parser, "bars", "The region, A-B.", "A-B", "5-8");
  const auto candidates = addOption(parser, "candidates", "Candidates written and ranked.", "N", "8");
  const auto repeat = addOption(parser, "repeat", "Runs; the fastest is reported.", "R", "3");
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  const QStringList range = parser.value(bars).split(QLatin1Char('-'));
  generate::InfillOptions options;
  bool ok = range.size() == 2;
  bool converted = false;
  if (ok) options.firstBar = range[0].toInt(&converted);
  ok = ok && converted;
  if (ok) options.lastBar = range[1].toInt(&converted);
  ok = ok && converted;
  options.candidates = parser.value(candidates).toInt(&converted);
  ok = ok && converted;
  const int runs = parser.value(repeat).toInt(&converted);
  if (!ok || !converted || runs < 1) {
    cli.error() << "--bars takes A-B; --candidates and --repeat whole numbers.\n";
    return kExitUsage;
  }
  const QString model = parser.isSet(modelOption) ? parser.value(modelOption) : ui::bundledModelPath();
  QString piecePath = parser.value(in);
  if (piecePath.isEmpty() && !ui::demoFolder().isEmpty()) {
    const QStringList pieces = QDir(ui::demoFolder() + QStringLiteral("/corpus"))
                                   .entryList({QStringLiteral("*.mid")}, QDir::Files, QDir::Name);
    if (!pieces.isEmpty()) piecePath = ui::demoFolder() + QStringLiteral("/corpus/") + pieces.first();
  }
  if (model.isEmpty() || piecePath.isEmpty()) {
    cli.error() << "give --model and --in: the bundled model and demo corpus are not installed.\n";
    return kExitUsage;
  }
  const auto loadStart = std::chrono::steady_clock::now();
  Result<std::unique_ptr<generate::Generator>> generator = generate::Generator::load(model.toStdString());
  const double loadMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - loadStart).count();
  const Result<midi::SmfFile> piece = midi::readSmfFile(piecePath.toStdString());
  if (!generator || !piece) {
    cli.error() << QString::fromStdString(generator ? piece.error().describe() : generator.error().describe()) << "\n";
    return kExitFailure;
  }
  double best = INFINITY;
  double bestFirst = INFINITY;
  std::size_t regionNotes = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    double firstMs = NAN;
    const Result<generate::InfillResult> result =
        (*generator)->infill(piece->score, options, [&](const generate::InfillCandidate& c) {
          if (std::isnan(firstMs))
            firstMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
          regionNotes = std::max(regionNotes, c.notes.size());
        });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!result) {
      cli.error() << QString::fromStdString(result.error().message) << "\n";
      return kExitUsage;
    }
    best = std::min(best, seconds);
    bestFirst = std::min(bestFirst, firstMs);
  }
  QJsonObject json;
  json[QStringLiteral("model")] = QFileInfo(model).fileName();
  json[QStringLiteral("model_line")] = QString::fromStdString((*generator)->describe());
  json[QStringLiteral("piece")] = QFileInfo(piecePath).fileName();
  json[QStringLiteral("bars")] = parser.value(bars);
  json[QStringLiteral("candidates")] = options.candidates;
  json[QStringLiteral("seconds")] = best;
  json[QStringLiteral("first_candidate_ms")] = bestFirst;
  json[QStringLiteral("most_region_notes")] = static_cast<int>(regionNotes);
  json[QStringLiteral("load_ms")] = loadMs;
  json[QStringLiteral("threads")] = 1;
  QTextStream(stdout) << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
  return kExitOk;
}

} // namespace

int runBench(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("bench"),
      QStringLiteral("lyrebird-cli bench: benchmarks that print JSON.\n"
                     "  bench parse DIR   read, parse and measure every MIDI file under DIR (best of --repeat runs)\n"
                     "  bench train       time LSTM training steps (see `lyrebird-cli bench train --help`)\n"
                     "  bench generate    time token-by-token generation (see `lyrebird-cli bench generate --help`)\n"
                     "  bench infill      time regenerating a region (see `lyrebird-cli bench infill --help`)"));
  QCommandLineParser& parser = cli.parser();
  parser.addPositionalArgument(QStringLiteral("WHAT"), QStringLiteral("Which benchmark: parse."));
  const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Threads (default: all cores)."),
                                   QStringLiteral("N"), QStringLiteral("0"));
  const QCommandLineOption repeat(QStringLiteral("repeat"), QStringLiteral("Runs; the fastest is reported."),
                                  QStringLiteral("R"), QStringLiteral("3"));
  parser.addOptions({threads, repeat});
  if (arguments.size() >= 2 && arguments.at(1) == u"train") {
    return benchTrain(arguments.mid(1));
  }
  if (arguments.size() >= 2 && arguments.at(1) == u"generate") {
    return benchGenerate(arguments.mid(1));
  }
  if (arguments.size() >= 2 && arguments.at(1) == u"infill") {
    return benchInfill(arguments.mid(1));
  }
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  const QStringList positional = parser.positionalArguments();
  if (!positional.isEmpty() && positional.at(0) == u"parse") {
    return benchParse(parser, threads, repeat);
  }
  cli.error()
      << "name a benchmark: `lyrebird-cli bench parse DIR`, `bench train`, `bench generate` or `bench infill`.\n";
  return kExitUsage;
}

} // namespace lyrebird::cli
