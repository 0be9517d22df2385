// lyrebird-cli experiment: the poster's experiment in one command. Every model trains on every
// corpus under the same budget and split; takes are generated and measured; the curves,
// tables and a reading of them go to a folder.
#include "audiooptions.h"
#include "commandline.h"
#include "commands.h"

#include "corpus/corpus.h"
#include "curvechart.h"
#include "evaluate/modelevaluation.h"
#include "generate/generator.h"
#include "midi/smfwriter.h"
#include "train/trainer.h"
#include "train/trainingconfig.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QTextStream>

#include <cmath>
#include <fstream>
#include <map>

namespace lyrebird::cli {

namespace {

struct CorpusSpec {
  QString name;
  QString folder;
};

struct RunResult {
  QString model;
  QString corpus;
  train::TrainingOutcome outcome;
  std::vector<train::MetricsRecord> history;
  int vocabulary = 0;
  evaluate::ModelEvaluation evaluation;
  const evaluate::HeldOutMusic* music = nullptr;
  double bestValidAccuracy = NAN;
  double bestValidTop5 = NAN;
};

QString fixed(double value, int decimals) {
  return std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("–");
}

/// The epoch record with the lowest validation loss (the model kept as best).
const train::MetricsRecord* bestEpoch(const std::vector<train::MetricsRecord>& history) {
  const train::MetricsRecord* best = nullptr;
  for (const train::MetricsRecord& r : history) {
    if (r.kind != train::MetricsRecord::Kind::Epoch || !std::isfinite(r.validLoss)) continue;
    if (!best || r.validLoss < best->validLoss) best = &r;
  }
  return best;
}

ui::CurveChartSpec curveChart(const std::vector<RunResult>& runs, const QString& corpus, bool loss) {
  ui::CurveChartSpec chart;
  chart.title = QStringLiteral("%1 on %2").arg(loss ? QStringLiteral("Loss") : QStringLiteral("Accuracy"), corpus);
  chart.xLabel = QStringLiteral("training time (minutes)");
  chart.yLabel = loss ? QStringLiteral("cross-entropy (nats per token)") : QStringLiteral("accuracy (%)");
  int index = 0;
  for (const RunResult& run : runs) {
    if (run.corpus != corpus) continue;
    ui::CurveSeries valid{run.model + QStringLiteral(" valid"), ui::seriesColor(index), false, {}};
    ui::CurveSeries trainSeries{run.model + QStringLiteral(" train"), ui::seriesColor(index), true, {}};
    for (const train::MetricsRecord& r : run.history) {
      const double minutes = r.elapsedSeconds / 60.0;
      if (r.kind == train::MetricsRecord::Kind::Epoch) {
        valid.points.emplace_back(minutes, loss ? r.validLoss : 100.0 * r.validAccuracy);
      } else {
        trainSeries.points.emplace_back(minutes, loss ? r.trainLoss : 100.0 * r.trainAccuracy);
      }
    }
    chart.series.push_back(std::move(valid));
    chart.series.push_back(std::move(trainSeries));
    ++index;
  }
  return chart;
}

QString jsonString(const QString& text) {
  QString escaped = text;
  escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
  return u'"' + escaped + u'"';
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
  const auto data = addOption(parser, "data", "A corpus as NAME=DIR (repeat for several).", "NAME=DIR");
  const auto models = addOption(parser, "models", "Presets to compare (default seed-single,seed-stacked,default).",
                                "LIST", "seed-single,seed-stacked,default");
  const auto epochs = addOption(parser, "epochs", "Budget: epochs per run.", "N");
  const auto minutes = addOption(parser, "minutes", "Budget: minutes of training per run.", "M");
  const auto seed = addOption(parser, "seed", "Seed of the split, the weights and the takes (default 1).", "S", "1");
  const auto takes = addOption(parser, "takes", "Takes per run (default 4).", "N", "4");
  const auto length = addOption(parser, "length", "Length of each take (default 30s).", "L", "30s");
  const auto threads = addOption(parser, "threads", "Torch threads for training (default 1).", "K", "1");
  const auto noAudio = addOption(parser, "no-audio", "Write the takes as MIDI only.");
  const auto hidden = addOption(parser, "hidden", "Override every model's LSTM units (for quick trials).", "H");
  const auto layers = addOption(parser, "layers", "Override every model's LSTM layers.", "L");
  const auto seq = addOption(parser, "seq", "Override every model's window length.", "T");
  const auto batch = addOption(parser, "batch", "Override every model's batch.", "B");
  const auto out = addOption(parser, "out", "Folder for the results (created).", "DIR");
  const auto reuse = addOption(parser, "reuse-models",
                               "Runs whose model is already in --out are not trained again: their takes are generated "
                               "and measured anew (after a change to generation or to the metrics).");
  const AudioOptions audioOptions = addAudioOptions(parser);
  QTextStream& err = cli.err();
  QTextStream& stdOut = cli.out();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  std::vector<CorpusSpec> corpora;
  for (const QString& spec : parser.values(data)) {
    const qsizetype equals = spec.indexOf(u'=');
    if (equals <= 0 || equals + 1 == spec.size()) {
      cli.error() << "--data needs NAME=DIR (got '" << spec << "').\n";
      return kExitUsage;
    }
    corpora.push_back({spec.left(equals), spec.mid(equals + 1)});
  }
  if (corpora.empty() || !parser.isSet(out) || parser.isSet(epochs) == parser.isSet(minutes)) {
    cli.error() << "give --data NAME=DIR (one or more), --out DIR and one budget: --epochs N or "
                   "--minutes M.\n";
    return kExitUsage;
  }
  const QStringList presets = parser.value(models).split(u',', Qt::SkipEmptyParts);
  for (const QString& preset : presets) {
    if (!train::TrainingConfig::fromPreset(preset.toStdString())) {
      cli.error() << "unknown model '" << preset << "' (seed-single, seed-stacked or default).\n";
      return kExitUsage;
    }
  }
  bool ok1 = true, ok2 = true, ok3 = true, ok4 = true;
  const int epochBudget = parser.isSet(epochs) ? parser.value(epochs).toInt(&ok1) : 100000;
  const double minuteBudget = parser.isSet(minutes) ? parser.value(minutes).toDouble(&ok2) : 0.0;
  const quint64 seedValue = parser.value(seed).toULongLong(&ok3);
  const int takeCount = parser.value(takes).toInt(&ok4);
  const int threadCount = parser.value(threads).toInt();
  const Result<generate::Length> takeLength = generate::Length::parse(parser.value(length).toStdString());
  if (!ok1 || !ok2 || !ok3 || !ok4 || epochBudget < 1 || (parser.isSet(minutes) && !(minuteBudget > 0)) ||
      takeCount < 1 || threadCount < 1 || !takeLength) {
    cli.error() << "--epochs, --minutes, --takes and --threads need positive numbers, --length "
                   "30s, 16bars or 500tokens.\n";
    return kExitUsage;
  }
  const QDir outDir(parser.value(out));
  if (!QDir().mkpath(outDir.filePath(QStringLiteral("models"))) ||
      !QDir().mkpath(outDir.filePath(QStringLiteral("takes")))) {
    cli.error() << "cannot create " << outDir.path() << ".\n";
    return kExitFailure;
  }
  std::optional<audio::RenderOptions> render;
  if (!parser.isSet(noAudio)) {
    render = readAudioOptions(parser, audioOptions, cli.prefix(), err);
    if (!render) cli.error() << "the takes are written as MIDI only.\n";
  }

  std::vector<RunResult> runs;
  std::map<QString, evaluate::HeldOutMusic> heldOut;
  for (const CorpusSpec& spec : corpora) {
    const Result<corpus::Corpus> loaded = corpus::loadCorpus(spec.folder.toStdString(), {});
    if (!loaded) {
      cli.error() << QString::fromStdString(loaded.error().describe()) << "\n";
      return kExitFailure;
    }
    err << spec.name << ": " << loaded->stats.loaded << " files loaded (" << loaded->stats.failed << " failed).\n";
    for (const QString& preset : presets) {
      train::TrainingConfig config = *train::TrainingConfig::fromPreset(preset.toStdString());
      config.epochs = epochBudget;
      config.maxMinutes = minuteBudget;
      config.seed = seedValue;
      config.threads = threadCount;
      if (parser.isSet(hidden) || parser.isSet(layers)) config.autoSize = false; // a size given by hand
      if (parser.isSet(hidden)) config.model.hidden = parser.value(hidden).toInt();
      if (parser.isSet(layers)) config.model.layers = parser.value(layers).toInt();
      if (parser.isSet(seq)) config.sequenceLength = parser.value(seq).toInt();
      if (parser.isSet(batch)) config.batch = parser.value(batch).toInt();
      if (const Status valid = config.validate(); !valid) {
        cli.error() << QString::fromStdString(valid.error().message) << "\n";
        return kExitUsage;
      }
      // Every run sees the same split: the same seed and share of validation files.
      if (heldOut.find(spec.name) == heldOut.end()) {
        generate::GenerateOptions takeOptions;
        takeOptions.length = *takeLength;
        heldOut.emplace(spec.name, evaluate::heldOutMusic(*loaded, config.validFraction, config.seed,
                                                          evaluate::takeSeconds(takeOptions)));
      }
      const QString stem = spec.name + u'-' + preset;
      train::TrainingJob job;
      job.config = config;
      job.output = outDir.filePath(QStringLiteral("models/%1.lyrebird").arg(stem)).toStdString();
      job.csvLog = outDir.filePath(QStringLiteral("models/%1.csv").arg(stem)).toStdString();
      RunResult run;
      run.model = preset;
      run.corpus = spec.name;
      train::TrainingCallbacks callbacks;
      callbacks.metrics = [&err, &stem](const train::MetricsRecord& r) {
        if (r.kind != train::MetricsRecord::Kind::Epoch) return;
        err << stem << ": epoch " << r.epoch << ", step " << r.step << ", valid loss " << fixed(r.validLoss, 4)
            << ", accuracy " << fixed(100.0 * r.validAccuracy, 1) << "%, " << fixed(r.elapsedSeconds / 60.0, 1)
            << " min\n"
            << Qt::flush;
      };
      Result<train::TrainingOutcome> outcome = train::TrainingOutcome{};
      if (parser.isSet(reuse) && std::filesystem::exists(job.output)) {
        // Measure again without training again: the run's own model file says where it ended.
        const Result<train::Checkpoint> saved = train::readCheckpoint(job.output);
        if (!saved) {
          cli.error() << QString::fromStdString(saved.error().describe()) << "\n";
          return kExitFailure;
        }
        outcome->epochsDone = saved->progress.epochsDone;
        outcome->steps = saved->progress.step;
        outcome->bestValidLoss = saved->progress.bestValidLoss;
        outcome->lastCheckpoint = job.output;
        outcome->bestCheckpoint = train::bestCheckpointPath(job.output);
        err << stem << ": reusing the trained model (" << outcome->steps << " steps).\n" << Qt::flush;
      } else {
        train::TrainingControl control;
        err << stem << ": training…\n" << Qt::flush;
        outcome = train::runTraining(*loaded, job, control, {}, callbacks);
      }
      if (!outcome) {
        cli.error() << stem << ": " << QString::fromStdString(outcome.error().describe()) << "\n";
        return kExitFailure;
      }
      run.outcome = *outcome;
      const std::filesystem::path modelPath = train::bestOrLastCheckpoint(*outcome);
      Result<std::unique_ptr<generate::Generator>> generator = generate::Generator::load(modelPath);
      if (!generator) {
        cli.error() << QString::fromStdString(generator.error().describe()) << "\n";
        return kExitFailure;
      }
      // The full curve is in the last checkpoint; the best one stops at its epoch.
      const Result<train::Checkpoint> last = train::readCheckpoint(outcome->lastCheckpoint);
      run.history = last ? last->history : (*generator)->history();
      run.vocabulary = static_cast<int>((*generator)->vocabulary().size());
      if (const train::MetricsRecord* best = bestEpoch(run.history)) {
        run.bestValidAccuracy = best->validAccuracy;
        run.bestValidTop5 = best->validTop5;
      }
      generate::GenerateOptions options;
      options.length = *takeLength;
      options.seed = seedValue;
      run.music = &heldOut.at(spec.name);
      Result<evaluate::ModelEvaluation> evaluation =
          evaluate::evaluateModel(**generator, *run.music, options, takeCount);
      if (!evaluation) {
        cli.error() << stem << ": " << QString::fromStdString(evaluation.error().message) << "\n";
        return kExitFailure;
      }
      run.evaluation = std::move(evaluation.value());
      for (std::size_t i = 0; i < run.evaluation.takes.size(); ++i) {
        const QString take = outDir.filePath(QStringLiteral("takes/%1-%2").arg(stem).arg(i + 1));
        if (const Status written =
                midi::writeSmfFile(run.evaluation.takes[i], (take + QStringLiteral(".mid")).toStdString());
            !written) {
          cli.error() << QString::fromStdString(written.error().describe()) << "\n";
          return kExitFailure;
        }
        if (render) {
          const Result<audio::RenderStats> rendered =
              audio::renderToFile(run.evaluation.takes[i], (take + QStringLiteral(".wav")).toStdString(), *render);
          if (!rendered) cli.error() << QString::fromStdString(rendered.error().describe()) << "\n";
        }
      }
      err << stem << ": " << run.outcome.epochsDone << " epochs, " << run.outcome.steps << " steps; best valid loss "
          << fixed(run.outcome.bestValidLoss, 4) << "; takes: pitch-class distance "
          << fixed(run.evaluation.mean.pcHistDistance, 3) << " (set " << fixed(run.evaluation.set.pitchClass, 3)
          << "), longest copy " << run.evaluation.mean.originality.longestCopyNotes << " notes\n"
          << Qt::flush;
      runs.push_back(std::move(run));
    }
  }

  // metrics.csv: every run's curve.
  {
    std::ofstream csv(outDir.filePath(QStringLiteral("metrics.csv")).toStdString());
    csv << "run,model,corpus,epoch,step,kind,elapsed_s,train_loss,train_acc,valid_loss,valid_acc,valid_top5\n";
    for (const RunResult& run : runs) {
      const std::string name = (run.corpus + u'-' + run.model).toStdString();
      for (const train::MetricsRecord& r : run.history) {
        auto cell = [](double v) {
          return std::isfinite(v) ? QString::number(v, 'g', 8).toStdString() : std::string();
        };
        csv << name << ',' << run.model.toStdString() << ',' << run.corpus.toStdString() << ',' << r.epoch << ','
            << r.step << ',' << (r.kind == train::MetricsRecord::Kind::Epoch ? "epoch" : "batches") << ','
            << cell(r.elapsedSeconds) << ',' << cell(r.trainLoss) << ',' << cell(r.trainAccuracy) << ','
            << cell(r.validLoss) << ',' << cell(r.validAccuracy) << ',' << cell(r.validTop5) << '\n';
      }
    }
    if (!csv) {
      cli.error() << "metrics.csv could not be written.\n";
      return kExitFailure;
    }
  }

  // Charts, one pair per corpus.
  for (const CorpusSpec& spec : corpora) {
    for (const bool loss : {true, false}) {
      const QString base = outDir.filePath(
          QStringLiteral("%1-%2").arg(loss ? QStringLiteral("loss") : QStringLiteral("accuracy"), spec.name));
      if (const Status saved = ui::saveCurveChart(curveChart(runs, spec.name, loss), base + QStringLiteral(".png"),
                                                  base + QStringLiteral(".svg"));
          !saved) {
        cli.error() << QString::fromStdString(saved.error().describe()) << "\n";
        return kExitFailure;
      }
    }
  }

  // metrics.json.
  {
    QFile json(outDir.filePath(QStringLiteral("metrics.json")));
    if (!json.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
      cli.error() << "metrics.json could not be written.\n";
      return kExitFailure;
    }
    QTextStream j(&json);
    j << "{\"budget\": {"
      << (parser.isSet(epochs) ? QStringLiteral("\"epochs\": %1").arg(epochBudget)
                               : QStringLiteral("\"minutes\": %1").arg(minuteBudget))
      << "}, \"seed\": " << seedValue << ", \"runs\": [";
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunResult& r = runs[i];
      j << (i ? ",\n  " : "\n  ") << "{\"model\": " << jsonString(r.model) << ", \"corpus\": " << jsonString(r.corpus)
        << ", \"epochs\": " << r.outcome.epochsDone << ", \"steps\": " << r.outcome.steps
        << ", \"vocabulary\": " << r.vocabulary << ", \"valid_loss\": "
        << (std::isfinite(r.outcome.bestValidLoss) ? QString::number(r.outcome.bestValidLoss, 'g', 6)
                                                   : QStringLiteral("null"))
        << ", \"valid_acc\": "
        << (std::isfinite(r.bestValidAccuracy) ? QString::number(r.bestValidAccuracy, 'g', 6) : QStringLiteral("null"))
        << ", \"valid_top5\": "
        << (std::isfinite(r.bestValidTop5) ? QString::number(r.bestValidTop5, 'g', 6) : QStringLiteral("null")) << ", "
        << QString::fromStdString(evaluationJson(r.evaluation, *r.music)) << "}";
    }
    j << "\n]}\n";
  }

  // report.md: the tables, the charts and a reading of them.
  {
    QFile file(outDir.filePath(QStringLiteral("report.md")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
      cli.error() << "report.md could not be written.\n";
      return kExitFailure;
    }
    QTextStream md(&file);
    const generate::GenerateOptions defaults;
    md << "# Lyrebird experiment\n\n"
       << "Models: " << presets.join(QStringLiteral(", ")) << ". Budget per run: "
       << (parser.isSet(epochs) ? QStringLiteral("%1 epochs").arg(epochBudget)
                                : QStringLiteral("%1 minutes").arg(minuteBudget))
       << ", seed " << seedValue << ", " << threadCount
       << " torch thread(s). Every model sees the same split of a corpus by "
       << "file. Each run generates " << takeCount << " takes of " << parser.value(length)
       << " at the default sampling settings (temperature " << defaults.sampling.temperature << ", top-p "
       << defaults.sampling.topP << ", repeat " << defaults.repeat
       << ") from its best model (by validation loss); they are measured against the corpus's held-out "
          "files (never trained on) and searched for copies in its training files.\n\n"
       << "Losses and accuracies are per token of each model's own vocabulary (its size is in the tables: the seed "
          "models predict one of thousands of note/chord tokens per onset, the default model one of a few hundred "
          "grid or performance events), so they compare training progress, not music. The musical measures below "
          "compare the music.\n";
    for (const CorpusSpec& spec : corpora) {
      const evaluate::HeldOutMusic& music = heldOut.at(spec.name);
      md << "\n## " << spec.name << "\n\n"
         << music.trainFiles() << " training files, " << music.heldOutFiles() << " held out.\n\n"
         << "![loss](loss-" << spec.name << ".png) ![accuracy](accuracy-" << spec.name << ".png)\n\n"
         << "| model | epochs | steps | vocabulary | best valid loss | valid accuracy | valid top-5 |\n"
         << "|---|---:|---:|---:|---:|---:|---:|\n";
      for (const RunResult& r : runs) {
        if (r.corpus != spec.name) continue;
        md << "| " << r.model << " | " << r.outcome.epochsDone << " | " << r.outcome.steps << " | " << r.vocabulary
           << " | " << fixed(r.outcome.bestValidLoss, 3) << " | " << fixed(100.0 * r.bestValidAccuracy, 1) << " % | "
           << fixed(100.0 * r.bestValidTop5, 1) << " % |\n";
      }
      md << "\nMeans over the takes. Distances compare each take with histograms pooled over all the held-out "
            "music (lower is closer); the held-out row measures the held-out pieces' first "
         << fixed(music.openingSeconds, 0)
         << " seconds the same way, i.e. what a real piece of this corpus scores as a take:\n\n"
         << "| model | pitch-class dist. | IOI dist. | notes/s | polyphony | scale consistency | pitches used | "
            "empty beats | groove | distinct 4-grams | longest repeat | copied 8-grams | longest copy (notes) |\n"
         << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
      auto row = [&md](const QString& name, const evaluate::MusicMetrics& m, const QString& pc, const QString& ioi,
                       const QString& copied, const QString& copy) {
        md << "| " << name << " | " << pc << " | " << ioi << " | " << fixed(m.noteDensity, 2) << " | "
           << fixed(m.polyphony, 2) << " | " << fixed(m.scaleConsistency, 3) << " | " << m.pitchesUsed << " | "
           << fixed(m.emptyBeatRate, 3) << " | " << fixed(m.grooveConsistency, 3) << " | "
           << fixed(m.distinct4gramRatio, 3) << " | " << m.longestRepeat << " | " << copied << " | " << copy << " |\n";
      };
      for (const RunResult& r : runs) {
        if (r.corpus != spec.name) continue;
        const evaluate::TakeEvaluation& e = r.evaluation.mean;
        int longest = 0;
        for (const evaluate::TakeEvaluation& t : r.evaluation.evaluations)
          longest = std::max(longest, t.originality.longestCopyNotes);
        row(r.model, e.metrics, fixed(e.pcHistDistance, 3), fixed(e.ioiHistDistance, 3),
            fixed(100.0 * e.originality.copiedNgramShare, 1) + QStringLiteral(" %"),
            QStringLiteral("%1 (max %2)").arg(e.originality.longestCopyNotes).arg(longest));
      }
      row(QStringLiteral("held-out music"), music.reference.mean, fixed(music.heldOutPcHistDistance, 3),
          fixed(music.heldOutIoiHistDistance, 3), QStringLiteral("–"), QStringLiteral("–"));

      // The takes as a set against the held-out pieces' openings.
      const evaluate::SetDistances real =
          evaluate::trainingMusicSetDistances(music, static_cast<std::size_t>(takeCount));
      md << "\nThe takes as a set against the " << music.heldOutOpenings.size() << " held-out pieces' first "
         << fixed(music.openingSeconds, 0)
         << " seconds: energy distances of the per-piece histograms (0: the set varies as the held-out music does; "
            "a set whose every piece mixes all of the corpus's keys reads far, however close each piece is to the "
            "pooled histogram). The last row is real music: the first seconds of "
         << std::min(static_cast<std::size_t>(takeCount), music.trainingOpenings.size())
         << " training pieces, what a set of this size scores when it is the corpus's own music. The last column is "
            "Yang & Lerch's protocol (2020): per feature, the overlap of the takes' distances to the held-out openings "
            "with the held-out openings' own, averaged over its nine features (1: alike; metrics.json has each).\n\n"
         << "| model | pitch-class set distance | IOI set distance | Yang & Lerch overlap |\n|---|---:|---:|---:|\n";
      for (const RunResult& r : runs) {
        if (r.corpus != spec.name) continue;
        md << "| " << r.model << " | " << fixed(r.evaluation.set.pitchClass, 3) << " | "
           << fixed(r.evaluation.set.ioi, 3) << " | " << fixed(r.evaluation.protocol.meanOverlap(), 3) << " |\n";
      }
      md << "| training music | " << fixed(real.pitchClass, 3) << " | " << fixed(real.ioi, 3) << " | "
         << fixed(evaluate::trainingMusicProtocol(music, static_cast<std::size_t>(takeCount)).meanOverlap(), 3)
         << " |\n";

      // The reading: which model's takes are closest, and does the default copy?
      const RunResult* closest = nullptr;
      const RunResult* defaultRun = nullptr;
      auto setSum = [](const RunResult& r) { return r.evaluation.set.pitchClass + r.evaluation.set.ioi; };
      for (const RunResult& r : runs) {
        if (r.corpus != spec.name) continue;
        if (!closest || setSum(r) < setSum(*closest)) closest = &r;
        if (r.model == u"default") defaultRun = &r;
      }
      md << "\n**Reading.** ";
      if (closest) {
        md << "The set of takes closest to the held-out music (pitch-class + IOI set distance "
           << fixed(setSum(*closest), 3) << ", real music " << fixed(real.pitchClass + real.ioi, 3) << ") comes from `"
           << closest->model << "`. ";
      }
      if (defaultRun) {
        int longest = 0;
        for (const evaluate::TakeEvaluation& t : defaultRun->evaluation.evaluations)
          longest = std::max(longest, t.originality.longestCopyNotes);
        bool beatsAll = true;
        for (const RunResult& r : runs) {
          if (r.corpus != spec.name || &r == defaultRun) continue;
          beatsAll = beatsAll && defaultRun->evaluation.set.pitchClass < r.evaluation.set.pitchClass &&
                     defaultRun->evaluation.set.ioi < r.evaluation.set.ioi;
        }
        md << "`default` "
           << (beatsAll ? "is closer than every other model on both set distances"
                        : "is not closer than every other model on both set distances")
           << ", and its longest passage copied from the training files is " << longest << " notes ("
           << (longest <= 16 ? "within" : "over") << " the 16-note limit). ";
      }
      md << "\n";
    }
    md << "\nFiles: `metrics.csv` (every curve), `metrics.json` (every number), `models/` (the trained models and "
          "their "
          "logs), `takes/` (MIDI"
       << (render ? " and WAV" : "") << ").\n";
  }
  stdOut << "Wrote the experiment to " << outDir.path() << " (report.md, metrics.csv, metrics.json, charts, "
         << runs.size() << " models and their takes).\n";
  return kExitOk;
}

} // namespace lyrebird::cli
