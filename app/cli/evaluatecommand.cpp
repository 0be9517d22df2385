#include "commandline.h"
#include "commands.h"
#include "samplingoptions.h"

#include "corpus/corpus.h"
#include "evaluate/calibration.h"
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

QString describeCalibration(const evaluate::RepeatCalibration& calibration) {
  const train::SamplingCalibration& s = calibration.sampling;
  const QString ratios = QStringLiteral("distinct 4-gram ratio %1, its training music's %2")
                             .arg(QString::number(s.achievedRatio, 'f', 2), QString::number(s.targetRatio, 'f', 2));
  if (calibration.probes.size() <= 1) {
    return QStringLiteral("Repeat <-> vary stays at %1 for this model: %2 takes of %3 s repeat their figures about as "
                          "much as the music it learned (%4).")
        .arg(QString::number(s.repeat, 'f', 2))
        .arg(s.takes)
        .arg(s.seconds, 0, 'f', 0)
        .arg(ratios);
  }
  QString probes;
  for (const evaluate::RepeatProbe& p : calibration.probes)
    probes += (probes.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(p.repeat, 'f', 2) +
              QStringLiteral(": ") + QString::number(p.ratio, 'f', 2);
  const QString now = QString::number(s.repeat, 'f', 2);
  const QString was = QString::number(calibration.probes.front().repeat, 'f', 2);
  // The search can end where it began (a noisy ratio at the band's edge): say so, not "now X (was X)".
  const QString verdict = now == was
                              ? QStringLiteral("Repeat <-> vary stays at %1 for this model after %2 probes")
                                    .arg(now)
                                    .arg(calibration.probes.size())
                              : QStringLiteral("Repeat <-> vary is now %1 for this model (was %2)").arg(now, was);
  return QStringLiteral("%1: there %2 takes of %3 s repeat their figures about as much as the music it learned "
                        "(%4; probes %5).")
      .arg(verdict)
      .arg(s.takes)
      .arg(s.seconds, 0, 'f', 0)
      .arg(ratios, probes);
}

int runCalibrate(const QStringList& arguments) {
  CommandLine cli(QStringLiteral("calibrate"),
                  QStringLiteral("lyrebird-cli calibrate: measure the repeat <-> vary setting at which a model's takes "
                                 "repeat their\nfigures as the music it learned does, and save it in the model file as "
                                 "its default. `train` does this\nafter every run; this command is for models trained "
                                 "before, or to measure with more takes."));
  QCommandLineParser& parser = cli.parser();
  const auto model = addOption(parser, "model", "Model file (.lyrebird); it is rewritten with the setting.", "MODEL");
  const auto data = addOption(parser, "data", "The folder the model was trained on.", "DIR");
  const auto takes = addOption(parser, "takes", "Takes of 30 s per probe (default 16).", "N", "16");
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  if (!parser.isSet(model) || !parser.isSet(data)) {
    cli.error() << "give --model MODEL.lyrebird and --data DIR.\n";
    return kExitUsage;
  }
  bool okTakes = false;
  evaluate::CalibrationOptions options;
  options.takes = parser.value(takes).toInt(&okTakes);
  if (!okTakes || options.takes < 1) {
    cli.error() << "--takes needs a positive number.\n";
    return kExitUsage;
  }
  const Result<corpus::Corpus> corpus = corpus::loadCorpus(parser.value(data).toStdString(), {});
  if (!corpus) {
    cli.error() << QString::fromStdString(corpus.error().describe()) << "\n";
    return kExitFailure;
  }
  const Result<evaluate::RepeatCalibration> calibration =
      evaluate::calibrateModelFile(parser.value(model).toStdString(), *corpus, options);
  if (!calibration) {
    cli.error() << QString::fromStdString(calibration.error().describe()) << "\n";
    return kExitFailure;
  }
  cli.out() << describeCalibration(*calibration) << "\n";
  return kExitOk;
}

} // namespace lyrebird::cli
