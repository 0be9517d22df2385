#include "commandline.h"
#include "commands.h"

#include "corpus/corpus.h"
#include "distributed/distributedconfig.h"
#include "train/trainer.h"
#include "train/trainingconfig.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <thread>
#include <unistd.h>

namespace lyrebird::cli {

namespace {

constexpr int kEpochsUnlimited = 100000; // TrainingConfig::validate()'s largest

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) {
  g_interrupted.store(true);
}

QString clock(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return QStringLiteral("--");
  const auto s = static_cast<long long>(seconds);
  if (s >= 3600) return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

int runTrain(const QStringList& arguments) {
  CommandLine cli(QStringLiteral("train"), QStringLiteral(
      "lyrebird-cli train: learn a folder of MIDI files.\n"
      "Presets: seed-single, seed-stacked (the poster's models 1 and 2, faithfully), default (Lyrebird's).\n"
      "Ctrl+C stops between batches and saves the model; --resume continues it.\n"
      "Distributed: run one process per rank with --world-size N --rank R --master HOST:PORT (or the\n"
      "WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT variables of PyTorch's launchers); --batch is the\n"
      "global batch, shared among the ranks; rank 0 writes the model, the log and the progress."));
  QCommandLineParser& parser = cli.parser();
  auto option = [&](const char* name, const char* help, const char* valueName = nullptr) {
    return addOption(parser, name, help, valueName);
  };
  const auto data = option("data", "Folder of MIDI files (searched recursively).", "DIR");
  const auto preset = option("preset", "seed-single, seed-stacked or default (the default).", "P");
  const auto epochs = option("epochs",
                             "Epochs to train (in all, when resuming); with --minutes and no --epochs, as many "
                             "as fit (early stopping decides).",
                             "N");
  const auto tokenizer = option("tokenizer",
                                "auto (the default preset's: grid for metrical music, event for recorded "
                                "performances), grid, event or note-chord.",
                                "KIND");
  const auto out = option("out", "Model file to write (.lyrebird); the best one goes to NAME.best.lyrebird.", "MODEL");
  const auto resume = option("resume", "Continue training the model in --out.");
  const auto validFraction = option("valid-fraction", "Share of files for validation (default 0.1).", "F");
  const auto seed = option("seed", "Seed of the split, the weights and the shuffling.", "S");
  const auto threads = option("threads", "Torch intra-op threads (default 1, the fastest measured).", "K");
  const auto log = option("log", "Write the metrics as CSV to this file.", "CSV");
  const auto minutes = option("minutes", "Stop after this many minutes of training (and save).", "M");
  const auto hidden = option("hidden", "LSTM units per layer (default preset: chosen from the music's size).", "H");
  const auto layers = option("layers", "LSTM layers (default preset: chosen from the music's size).", "L");
  const auto seq = option("seq", "Window length in tokens.", "T");
  const auto batch = option("batch", "Windows per step.", "B");
  const auto lr = option("lr", "Learning rate.", "R");
  const auto dropout = option("dropout", "Dropout rate.", "D");
  const auto transpose = option("transpose",
                                "Random transposition of windows by up to +-K semitones, or auto (the default "
                                "preset's: +-3 for training music under 500,000 tokens, else none).",
                                "K");
  const auto lookback = option("lookback",
                               "What the network reads of the bars before (grid tokens): off; inputs (what "
                               "followed here one and two bars back, Magenta's Lookback RNN inputs); or labels "
                               "(those, and \"repeat\" outputs for copying them). Default: the preset's.",
                               "KIND");
  const auto patience = option("patience", "Epochs without a better valid loss before stopping (0: never).", "N");
  const auto drums = option("include-drums", "Keep drum tracks (channel 10).");
  const auto worldSize = option("world-size", "Processes training together (default 1, or WORLD_SIZE).", "N");
  const auto rank = option("rank", "This process's rank, 0 to N-1 (or RANK); rank 0 hosts the rendezvous.", "R");
  const auto master = option("master",
                             "Where rank 0 listens, HOST:PORT (or MASTER_ADDR and MASTER_PORT; "
                             "default 127.0.0.1:29500).",
                             "HOST:PORT");
  const auto distTimeout = option("dist-timeout",
                                  "Seconds to wait for the other ranks, to connect and at "
                                  "each step, before giving up (default 120).",
                                  "S");
  const auto exportTo = option("export",
                               "Also write the best model without its optimizer state to this file: a third of "
                               "the size, for generating and shipping (it cannot be resumed).",
                               "MODEL");

  QTextStream& err = cli.err();
  QTextStream& stdOut = cli.out();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  if (!parser.positionalArguments().isEmpty()) {
    cli.error() << "unexpected argument '" << parser.positionalArguments().first() << "'.\n";
    return kExitUsage;
  }
  if (!parser.isSet(data) || !parser.isSet(out)) {
    cli.error() << "give --data DIR and --out MODEL.lyrebird.\n";
    return kExitUsage;
  }
  Result<train::TrainingConfig> presetConfig =
      train::TrainingConfig::fromPreset(parser.isSet(preset) ? parser.value(preset).toStdString() : "default");
  if (!presetConfig) {
    cli.error() << QString::fromStdString(presetConfig.error().message) << "\n";
    return kExitUsage;
  }
  train::TrainingConfig config = *presetConfig;
  QString badOption;
  auto intValue = [&](const QCommandLineOption& o, int& target) {
    if (!parser.isSet(o)) return;
    bool ok = false;
    const int v = parser.value(o).toInt(&ok);
    if (!ok) badOption = o.names().first();
    target = v;
  };
  auto doubleValue = [&](const QCommandLineOption& o, double& target) {
    if (!parser.isSet(o)) return;
    bool ok = false;
    const double v = parser.value(o).toDouble(&ok);
    if (!ok) badOption = o.names().first();
    target = v;
  };
  intValue(epochs, config.epochs);
  // With a time budget the time decides, not the preset's epochs (the stopping rule still may).
  if (parser.isSet(minutes) && !parser.isSet(epochs)) config.epochs = kEpochsUnlimited;
  if (parser.isSet(tokenizer)) {
    const QString kind = parser.value(tokenizer);
    const std::optional<tokenize::TokenizerConfig::Kind> named =
        tokenize::TokenizerConfig::kindFromName(kind.toStdString());
    if (kind == QStringLiteral("auto")) {
      config.autoTokenizer = true;
    } else if (named) {
      config.autoTokenizer = false;
      config.tokenizer.kind = *named;
    } else {
      cli.error() << "--tokenizer takes auto, grid, event or note-chord.\n";
      return kExitUsage;
    }
  }
  doubleValue(validFraction, config.validFraction);
  intValue(threads, config.threads);
  doubleValue(minutes, config.maxMinutes);
  // A size or rate given by hand replaces the automatic choice (the preset's values stand for the rest).
  if (parser.isSet(hidden) || parser.isSet(layers) || parser.isSet(lr)) config.autoSize = false;
  intValue(hidden, config.model.hidden);
  intValue(layers, config.model.layers);
  intValue(seq, config.sequenceLength);
  intValue(batch, config.batch);
  doubleValue(lr, config.learningRate);
  doubleValue(dropout, config.model.dropout);
  if (parser.isSet(transpose) && parser.value(transpose) == QStringLiteral("auto")) {
    config.transpose = train::TrainingConfig::kTransposeAuto;
  } else {
    intValue(transpose, config.transpose);
  }
  if (parser.isSet(lookback)) {
    const QString kind = parser.value(lookback);
    if (kind != QStringLiteral("off") && kind != QStringLiteral("inputs") && kind != QStringLiteral("labels")) {
      cli.error() << "--lookback takes off, inputs or labels.\n";
      return kExitUsage;
    }
    config.model.lookback = kind != QStringLiteral("off");
    config.model.repeatLabels = kind == QStringLiteral("labels");
  }
  intValue(patience, config.patience);
  if (parser.isSet(seed)) {
    bool ok = false;
    config.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) badOption = QStringLiteral("seed");
  }
  distributed::DistributedOptions distributedOptions;
  auto optionalInt = [&](const QCommandLineOption& o, std::optional<int>& target) {
    if (!parser.isSet(o)) return;
    int v = 0;
    intValue(o, v);
    target = v;
  };
  optionalInt(worldSize, distributedOptions.worldSize);
  optionalInt(rank, distributedOptions.rank);
  if (parser.isSet(master)) distributedOptions.master = parser.value(master).toStdString();
  if (parser.isSet(distTimeout)) {
    double v = 0;
    doubleValue(distTimeout, v);
    distributedOptions.timeoutSeconds = v;
  }
  if (!badOption.isEmpty()) {
    cli.error() << "--" << badOption << " needs a number.\n";
    return kExitUsage;
  }
  const Result<distributed::DistributedConfig> distributedConfig =
      distributed::resolveDistributedConfig(distributedOptions);
  if (!distributedConfig) {
    cli.error() << QString::fromStdString(distributedConfig.error().message) << "\n";
    return kExitUsage;
  }
  // Only rank 0 reports progress; every rank reports its own errors.
  const bool mainRank = distributedConfig->isMain();
  const QString errorPrefix = distributedConfig->enabled()
                                  ? QStringLiteral("lyrebird-cli train (rank %1): ").arg(distributedConfig->rank)
                                  : QStringLiteral("lyrebird-cli train: ");
  if (Status valid = config.validate(); !valid) {
    cli.error() << QString::fromStdString(valid.error().message) << "\n";
    return kExitUsage;
  }

  const bool tty = mainRank && ::isatty(STDERR_FILENO);
  corpus::LoadOptions loadOptions;
  loadOptions.includeDrums = parser.isSet(drums);
  if (tty) {
    loadOptions.progress = [&err](const corpus::LoadProgress& p) {
      err << "\rLoading " << p.done << " of " << p.total << " files..." << Qt::flush;
    };
  }
  const Result<corpus::Corpus> corpus = corpus::loadCorpus(parser.value(data).toStdString(), loadOptions);
  if (tty) err << "\r\033[K" << Qt::flush;
  if (!corpus) {
    err << errorPrefix << QString::fromStdString(corpus.error().describe()) << "\n";
    return kExitFailure;
  }
  if (mainRank) {
    err << "Loaded " << corpus->stats.loaded << " of " << corpus->stats.files << " MIDI files (" << corpus->stats.failed
        << " failed).\n";
  }

  train::TrainingJob job;
  job.config = config;
  job.output = parser.value(out).toStdString();
  job.resume = parser.isSet(resume);
  if (parser.isSet(log)) job.csvLog = parser.value(log).toStdString();
  job.distributed = *distributedConfig;

  std::stop_source stop;
  g_interrupted.store(false);
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  std::jthread watcher([&stop](std::stop_token done) {
    while (!done.stop_requested()) {
      if (g_interrupted.load()) {
        stop.request_stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  train::TrainingCallbacks callbacks;
  const int totalEpochs = config.epochs;
  callbacks.log = [&err, tty](const std::string& line) {
    if (tty) err << "\r\033[K";
    err << QString::fromStdString(line) << "\n" << Qt::flush;
  };
  callbacks.metrics = [&err, tty, totalEpochs](const train::MetricsRecord& r) {
    if (tty) err << "\r\033[K";
    const QString epoch = totalEpochs >= kEpochsUnlimited ? QStringLiteral("epoch %1").arg(r.epoch)
                                                          : QStringLiteral("epoch %1/%2").arg(r.epoch).arg(totalEpochs);
    if (r.kind == train::MetricsRecord::Kind::Epoch) {
      const QString where = r.batchInEpoch < r.batchesInEpoch
                                ? QStringLiteral("%1 stopped at batch %2/%3").arg(epoch).arg(r.batchInEpoch).arg(r.batchesInEpoch)
                                : QStringLiteral("%1 done").arg(epoch);
      err << QStringLiteral("%1  train loss %2 acc %3%  valid loss %4 acc %5% (top-5 %6%)  %7 elapsed\n")
                 .arg(where)
                 .arg(r.trainLoss, 0, 'f', 4)
                 .arg(100.0 * r.trainAccuracy, 0, 'f', 1)
                 .arg(r.validLoss, 0, 'f', 4)
                 .arg(100.0 * r.validAccuracy, 0, 'f', 1)
                 .arg(100.0 * r.validTop5, 0, 'f', 1)
                 .arg(clock(r.elapsedSeconds));
    } else {
      err << QStringLiteral("%1  batch %2/%3  loss %4  acc %5%  %6 tok/s  ETA %7")
                 .arg(epoch)
                 .arg(r.batchInEpoch)
                 .arg(r.batchesInEpoch)
                 .arg(r.trainLoss, 0, 'f', 4)
                 .arg(100.0 * r.trainAccuracy, 0, 'f', 1)
                 .arg(r.tokensPerSecond, 0, 'f', 0)
                 .arg(clock(r.etaSeconds));
      err << (tty ? "" : "\n");
    }
    err << Qt::flush;
  };

  train::TrainingControl control;
  const Result<train::TrainingOutcome> outcome = train::runTraining(*corpus, job, control, stop.get_token(), callbacks);
  watcher.request_stop();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (tty) err << "\r\033[K";
  if (!outcome) {
    err << errorPrefix << QString::fromStdString(outcome.error().describe()) << "\n";
    return kExitFailure;
  }
  if (!mainRank) return kExitOk;
  stdOut << "Saved " << QString::fromStdString(outcome->lastCheckpoint.string()) << " after " << outcome->epochsDone
         << " epoch(s), " << outcome->steps << " steps";
  if (std::isfinite(outcome->bestValidLoss)) {
    stdOut << "; best validation loss " << QString::number(outcome->bestValidLoss, 'f', 4) << " in "
           << QString::fromStdString(outcome->bestCheckpoint.string());
  }
  stdOut << ".\n";
  if (outcome->cancelled) stdOut << "Interrupted: run again with --resume to continue.\n";
  if (parser.isSet(exportTo)) {
    const std::filesystem::path source =
        std::filesystem::exists(outcome->bestCheckpoint) ? outcome->bestCheckpoint : outcome->lastCheckpoint;
    Result<train::Checkpoint> model = train::readCheckpoint(source);
    if (!model) {
      cli.error() << QString::fromStdString(model.error().describe()) << "\n";
      return kExitFailure;
    }
    model->optimizerState.clear();
    model->rngState.clear();
    const std::filesystem::path target = parser.value(exportTo).toStdString();
    if (const Status written = train::writeCheckpoint(*model, target); !written) {
      cli.error() << QString::fromStdString(written.error().describe()) << "\n";
      return kExitFailure;
    }
    stdOut << "Exported " << QString::fromStdString(target.string()) << " ("
           << std::filesystem::file_size(target) / 1024 << " KiB) from " << QString::fromStdString(source.string())
           << ".\n";
  }
  return kExitOk;
}

} // namespace lyrebird::cli
