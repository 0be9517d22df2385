// lyrebird-cli experiment: the poster's experiment in one command. The options become an
// evaluate::ExperimentPlan; core/evaluate/experiment runs it and writes the tables; this
// command adds what needs Qt or sound: the charts and the takes as audio.
#include "audiooptions.h"
#include "commandline.h"
#include "commands.h"

#include "curvechart.h"
#include "evaluate/experiment.h"
#include "train/trainingconfig.h"

#include <QDir>
#include <QGuiApplication>
#include <QTextStream>

#include <fstream>

namespace lyrebird::cli {

namespace {

std::vector<QPointF> points(const std::vector<std::pair<double, double>>& xy) {
  std::vector<QPointF> out;
  out.reserve(xy.size());
  for (const auto& [x, y] : xy)
    out.emplace_back(x, y);
  return out;
}

ui::CurveChartSpec curveChart(const evaluate::ExperimentResults& results, const std::string& corpus, bool loss) {
  ui::CurveChartSpec chart;
  chart.title = QStringLiteral("%1 on %2")
                    .arg(loss ? QStringLiteral("Loss") : QStringLiteral("Accuracy"), QString::fromStdString(corpus));
  chart.xLabel = QStringLiteral("training time (minutes)");
  chart.yLabel = loss ? QStringLiteral("cross-entropy (nats per token)") : QStringLiteral("accuracy (%)");
  int index = 0;
  for (const evaluate::ExperimentCurve& curve : evaluate::experimentCurves(results, corpus, loss)) {
    const QString model = QString::fromStdString(curve.model);
    chart.series.push_back({model + QStringLiteral(" valid"), ui::seriesColor(index), false, points(curve.valid)});
    chart.series.push_back({model + QStringLiteral(" train"), ui::seriesColor(index), true, points(curve.train)});
    ++index;
  }
  return chart;
}

bool writeText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  return static_cast<bool>(file);
}

/// The options that shape every run; false after printing a usage error.
bool readPlan(const QCommandLineParser& parser, CommandLine& cli, evaluate::ExperimentPlan& plan) {
  for (const QString& spec : parser.values(QStringLiteral("data"))) {
    const qsizetype equals = spec.indexOf(u'=');
    if (equals <= 0 || equals + 1 == spec.size()) {
      cli.error() << "--data needs NAME=DIR (got '" << spec << "').\n";
      return false;
    }
    plan.corpora.push_back({spec.left(equals).toStdString(), spec.mid(equals + 1).toStdString()});
  }
  const bool byEpochs = parser.isSet(QStringLiteral("epochs"));
  if (plan.corpora.empty() || !parser.isSet(QStringLiteral("out")) ||
      byEpochs == parser.isSet(QStringLiteral("minutes"))) {
    cli.error() << "give --data NAME=DIR (one or more), --out DIR and one budget: --epochs N or --minutes M.\n";
    return false;
  }
  plan.presets.clear();
  for (const QString& preset : parser.value(QStringLiteral("models")).split(u',', Qt::SkipEmptyParts)) {
    plan.presets.push_back(preset.toStdString());
    if (!train::TrainingConfig::fromPreset(plan.presets.back())) {
      cli.error() << "unknown model '" << preset << "' (seed-single, seed-stacked or default).\n";
      return false;
    }
  }
  bool ok1 = true, ok2 = true, ok3 = true, ok4 = true, ok5 = true;
  if (byEpochs)
    plan.epochs = parser.value(QStringLiteral("epochs")).toInt(&ok1);
  else
    plan.minutes = parser.value(QStringLiteral("minutes")).toDouble(&ok2);
  plan.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok3);
  plan.takes = parser.value(QStringLiteral("takes")).toInt(&ok4);
  plan.threads = parser.value(QStringLiteral("threads")).toInt(&ok5);
  plan.lengthText = parser.value(QStringLiteral("length")).toStdString();
  const Result<generate::Length> length = generate::Length::parse(plan.lengthText);
  if (!ok1 || !ok2 || !ok3 || !ok4 || !ok5 || plan.epochs.value_or(1) < 1 || !(plan.minutes.value_or(1.0) > 0) ||
      plan.takes < 1 || plan.threads < 1 || !length) {
    cli.error() << "--epochs, --minutes, --takes and --threads need positive numbers, --length 30s, 16bars or "
                   "500tokens.\n";
    return false;
  }
  plan.length = *length;
  for (auto [name, field] : {std::pair{"hidden", &plan.hidden}, std::pair{"layers", &plan.layers},
                             std::pair{"seq", &plan.sequenceLength}, std::pair{"batch", &plan.batch}}) {
    if (!parser.isSet(QLatin1String(name))) continue;
    bool ok = false;
    *field = parser.value(QLatin1String(name)).toInt(&ok);
    if (!ok) {
      cli.error() << "--" << name << " needs a whole number.\n";
      return false;
    }
  }
  // A shape out of range is a usage error before anything trains.
  for (const std::string& preset : plan.presets) {
    if (const Result<train::TrainingConfig> config = evaluate::experimentConfig(plan, preset); !config) {
      cli.error() << QString::fromStdString(config.error().message) << "\n";
      return false;
    }
  }
  plan.out = parser.value(QStringLiteral("out")).toStdString();
  plan.reuseModels = parser.isSet(QStringLiteral("reuse-models"));
  return true;
}

} // namespace

int runExperiment(int argc, char** argv) {
  // Charts are drawn headless: the offscreen platform unless a display was asked for.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication app(argc, argv);
  QStringList arguments = QCoreApplication::arguments();
  arguments.removeFirst();

  CommandLine cli(
      QStringLiteral("experiment"),
      QStringLiteral(
          "lyrebird-cli experiment: train every model on every corpus with the same budget and split, generate\n"
          "takes, measure them against each corpus's held-out files, and write metrics.csv, metrics.json, loss and\n"
          "accuracy charts (PNG and SVG), the takes (MIDI and audio) and report.md to --out."));
  QCommandLineParser& parser = cli.parser();
  addOption(parser, "data", "A corpus as NAME=DIR (repeat for several).", "NAME=DIR");
  addOption(parser, "models", "Presets to compare (default seed-single,seed-stacked,default).", "LIST",
            "seed-single,seed-stacked,default");
  addOption(parser, "epochs", "Budget: epochs per run.", "N");
  addOption(parser, "minutes", "Budget: minutes of training per run.", "M");
  addOption(parser, "seed", "Seed of the split, the weights and the takes (default 1).", "S", "1");
  addOption(parser, "takes", "Takes per run (default 4).", "N", "4");
  addOption(parser, "length", "Length of each take (default 30s).", "L", "30s");
  addOption(parser, "threads", "Torch threads for training (default 1).", "K", "1");
  const auto noAudio = addOption(parser, "no-audio", "Write the takes as MIDI only.");
  addOption(parser, "hidden", "Override every model's LSTM units (for quick trials).", "H");
  addOption(parser, "layers", "Override every model's LSTM layers.", "L");
  addOption(parser, "seq", "Override every model's window length.", "T");
  addOption(parser, "batch", "Override every model's batch.", "B");
  addOption(parser, "out", "Folder for the results (created).", "DIR");
  addOption(parser, "reuse-models",
            "Runs whose model is already in --out are not trained again: their takes are generated and measured anew "
            "(after a change to generation or to the metrics).");
  const AudioOptions audioOptions = addAudioOptions(parser);
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  evaluate::ExperimentPlan plan;
  if (!readPlan(parser, cli, plan)) return kExitUsage;
  std::optional<audio::RenderOptions> render;
  if (!parser.isSet(noAudio)) {
    render = readAudioOptions(parser, audioOptions, cli.prefix(), err);
    if (!render) cli.error() << "the takes are written as MIDI only.\n";
  }
  plan.audio = render.has_value();

  evaluate::ExperimentCallbacks callbacks;
  callbacks.log = [&err](const std::string& line) { err << QString::fromStdString(line) << "\n" << Qt::flush; };
  callbacks.takeWritten = [&](const midi::Score& take, const std::filesystem::path& stem) {
    if (!render) return;
    std::filesystem::path wav = stem;
    wav += ".wav";
    const Result<audio::RenderStats> rendered = audio::renderToFile(take, wav, *render);
    if (!rendered) cli.error() << QString::fromStdString(rendered.error().describe()) << "\n";
  };
  const Result<evaluate::ExperimentResults> results = evaluate::runExperiment(plan, callbacks);
  if (!results) {
    cli.error() << QString::fromStdString(results.error().describe()) << "\n";
    return kExitFailure;
  }
  if (!writeText(plan.out / "metrics.csv", evaluate::experimentCsv(*results))) {
    cli.error() << "metrics.csv could not be written.\n";
    return kExitFailure;
  }
  // Charts, one pair per corpus.
  for (const evaluate::ExperimentCorpus& corpus : plan.corpora) {
    for (const bool loss : {true, false}) {
      const QString base = QString::fromStdString((plan.out / ((loss ? "loss-" : "accuracy-") + corpus.name)).string());
      if (const Status saved = ui::saveCurveChart(curveChart(*results, corpus.name, loss),
                                                  base + QStringLiteral(".png"), base + QStringLiteral(".svg"));
          !saved) {
        cli.error() << QString::fromStdString(saved.error().describe()) << "\n";
        return kExitFailure;
      }
    }
  }
  if (!writeText(plan.out / "metrics.json", evaluate::experimentJson(*results))) {
    cli.error() << "metrics.json could not be written.\n";
    return kExitFailure;
  }
  if (!writeText(plan.out / "report.md", evaluate::experimentReport(*results))) {
    cli.error() << "report.md could not be written.\n";
    return kExitFailure;
  }
  cli.out() << "Wrote the experiment to " << QString::fromStdString(plan.out.string())
            << " (report.md, metrics.csv, metrics.json, charts, " << results->runs.size()
            << " models and their takes).\n";
  return kExitOk;
}

} // namespace lyrebird::cli
