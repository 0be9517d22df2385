#include "commandline.h"
#include "commands.h"
#include "samplingoptions.h"

#include "corpus/corpus.h"
#include "evaluate/experiment.h"
#include "evaluate/modelevaluation.h"
#include "generate/generator.h"

#include <QTextStream>

#include <algorithm>

namespace lyrebird::cli {

int runEvaluate(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("evaluate"),
      QStringLiteral(
          "lyrebird-cli evaluate: generate takes with a model and measure them against the held-out files of the\n"
          "folder it was trained on (the same split as its training) and copies from its training files. Prints "
          "JSON."));
  QCommandLineParser& parser = cli.parser();
  const auto model = addOption(parser, "model", "Model file (.lyrebird).", "MODEL");
  const auto data = addOption(parser, "data", "The folder the model was trained on.", "DIR");
  const auto takes = addOption(parser, "takes", "Takes to generate and measure (default 5).", "N", "5");
  const auto length =
      addOption(parser, "length", "Length of each take: 30s, 16bars or 500tokens (default 30s).", "L", "30s");
  const auto seed = addOption(parser, "seed", "Seed of the first take (the others follow).", "S", "1");
  const SamplingFlags sampling = addSamplingOptions(parser);
  QTextStream& out = cli.out();
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  if (!parser.isSet(model) || !parser.isSet(data)) {
    cli.error() << "give --model MODEL.lyrebird and --data DIR.\n";
    return kExitUsage;
  }
  bool okTakes = false, okSeed = false;
  const int takeCount = parser.value(takes).toInt(&okTakes);
  const quint64 seedValue = parser.value(seed).toULongLong(&okSeed);
  const Result<generate::Length> lengthValue = generate::Length::parse(parser.value(length).toStdString());
  if (!okTakes || takeCount < 1 || !okSeed || !lengthValue) {
    cli.error() << "--takes needs a positive number, --seed a number and --length 30s, 16bars or "
                   "500tokens.\n";
    return kExitUsage;
  }
  generate::GenerateOptions options;
  if (!readSamplingOptions(parser, sampling, options, cli.prefix(), err)) return kExitUsage;

  Result<std::unique_ptr<generate::Generator>> generator = generate::Generator::load(parser.value(model).toStdString());
  if (!generator) {
    cli.error() << QString::fromStdString(generator.error().describe()) << "\n";
    return kExitFailure;
  }
  const Result<corpus::Corpus> corpus = corpus::loadCorpus(parser.value(data).toStdString(), {});
  if (!corpus) {
    cli.error() << QString::fromStdString(corpus.error().describe()) << "\n";
    return kExitFailure;
  }
  const train::TrainingConfig& config = (*generator)->trainingConfig();
  options.length = *lengthValue;
  options.seed = seedValue;
  const evaluate::HeldOutMusic music =
      evaluate::heldOutMusic(*corpus, config.validFraction, config.seed, evaluate::takeSeconds(options));
  if (music.reference.pieces == 0) {
    cli.error() << "the folder has no held-out file to compare with (it needs at least two MIDI "
                   "files).\n";
    return kExitFailure;
  }
  const Result<evaluate::ModelEvaluation> evaluation = evaluate::evaluateModel(**generator, music, options, takeCount);
  if (!evaluation) {
    cli.error() << QString::fromStdString(evaluation.error().message) << "\n";
    return kExitFailure;
  }
  const std::string modelPath = parser.value(model).toStdString();
  out << "{\"model\": \""
      << QString::fromStdString(modelPath).replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""))
      << "\", \"temperature\": " << options.sampling.temperature << ", \"top_k\": " << options.sampling.topK
      << ", \"top_p\": " << options.sampling.topP << ", \"repetition_penalty\": " << options.sampling.repetitionPenalty
      << ", \"repeat\": " << options.repeat.value_or((*generator)->defaultRepeat())
      << ", \"max_repeat_bars\": " << options.maxRepeatBars
      << ", \"avoid_copies\": " << (options.avoidCopies ? "true" : "false") << ", \"truncate\": \""
      << (options.truncateNotesOnly ? "notes" : "all") << "\""
      << ", \"tempo_bpm\": " << options.tempoBpm << ", "
      << QString::fromStdString(evaluate::evaluationJson(*evaluation, music)) << "}\n";
  return kExitOk;
}

} // namespace lyrebird::cli
