#include "commandline.h"
#include "commands.h"

#include "corpus/corpus.h"
#include "distributed/distributedconfig.h"
#include "evaluate/calibration.h"
#include "train/checkpoint.h"
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

/// The train command's options, registered on its parser in the order --help lists them.
struct TrainOptions {
  explicit TrainOptions(QCommandLineParser& parser)
      : data(addOption(parser, "data", "Folder of MIDI files (searched recursively).", "DIR")),
        preset(addOption(parser, "preset", "seed-single, seed-stacked or default (the default).", "P")),
        epochs(addOption(parser, "epochs",
                         "Epochs to train (in all, when resuming); with --minutes and no --epochs, as many "
                         "as fit (early stopping decides).",
                         "N")),
        tokenizer(addOption(parser, "tokenizer",
                            "auto (the default preset's: grid for metrical music, event for recorded "
                            "performances), grid, event or note-chord.",
                            "KIND")),
        out(addOption(parser, "out", "Model file to write (.lyrebird); the best one goes to NAME.best.lyrebird.",
                      "MODEL")),
        resume(addOption(parser, "resume", "Continue training the model in --out.")),
        from(addOption(parser, "from",
                       "Start from this model's network, tokens and vocabulary (fine-tuning; grid and event "
                       "models): a fresh optimizer and history, a quarter of its learning rate, early stopping "
                       "on this folder's held-out files. Options that change the network's shape are refused.",
                       "MODEL")),
        validFraction(addOption(parser, "valid-fraction", "Share of files for validation (default 0.1).", "F")),
        seed(addOption(parser, "seed", "Seed of the split, the weights and the shuffling.", "S")),
        threads(addOption(parser, "threads", "Torch intra-op threads (default 1, the fastest measured).", "K")),
        log(addOption(parser, "log", "Write the metrics as CSV to this file.", "CSV")),
        minutes(addOption(parser, "minutes", "Stop after this many minutes of training (and save).", "M")),
        hidden(
            addOption(parser, "hidden", "LSTM units per layer (default preset: chosen from the music's size).", "H")),
        layers(addOption(parser, "layers", "LSTM layers (default preset: chosen from the music's size).", "L")),
        seq(addOption(parser, "seq", "Window length in tokens.", "T")),
        batch(addOption(parser, "batch", "Windows per step.", "B")), lr(addOption(parser, "lr", "Learning rate.", "R")),
        dropout(addOption(parser, "dropout", "Dropout rate.", "D")),
        transpose(addOption(parser, "transpose",
                            "Random transposition of windows by up to +-K semitones, or auto (the default "
                            "preset's: +-3 for training music under 500,000 tokens, else none).",
                            "K")),
        lookback(addOption(parser, "lookback",
                           "What the network reads of the bars before (grid tokens): off; inputs (what "
                           "followed here one and two bars back, Magenta's Lookback RNN inputs); or labels "
                           "(those, and \"repeat\" outputs for copying them). Default: the preset's.",
                           "KIND")),
        barClock(addOption(parser, "bar-clock",
                           "Whether a lookback network also reads where in its bar the music is (the meter "
                           "and the steps to the bar line): on or off. Default: the preset's (default: on).",
                           "ON|OFF")),
        patience(addOption(parser, "patience", "Epochs without a better valid loss before stopping (0: never).", "N")),
        drums(addOption(parser, "include-drums", "Keep drum tracks (channel 10).")),
        worldSize(addOption(parser, "world-size", "Processes training together (default 1, or WORLD_SIZE).", "N")),
        rank(addOption(parser, "rank", "This process's rank, 0 to N-1 (or RANK); rank 0 hosts the rendezvous.", "R")),
        master(addOption(parser, "master",
                         "Where rank 0 listens, HOST:PORT (or MASTER_ADDR and MASTER_PORT; "
                         "default 127.0.0.1:29500).",
                         "HOST:PORT")),
        distTimeout(addOption(parser, "dist-timeout",
                              "Seconds to wait for the other ranks, to connect and at "
                              "each step, before giving up (default 120).",
                              "S")),
        exportTo(addOption(parser, "export",
                           "Also write the best model without its optimizer state to this file: a third of "
                           "the size, for generating and shipping (it cannot be resumed).",
                           "MODEL")) {}
  QCommandLineOption data, preset, epochs, tokenizer, out, resume, from, validFraction, seed, threads, log, minutes,
      hidden, layers, seq, batch, lr, dropout, transpose, lookback, barClock, patience, drums, worldSize, rank, master,
      distTimeout, exportTo;
};

/// With --from: the settings of a run that starts from MODEL (TrainingConfig::fineTuning), after
/// refusing the options that would change its network. nullopt, or the exit status after an error line.
std::optional<int> readBaseSettings(CommandLine& cli, const TrainOptions& opt, train::TrainingConfig& config) {
  const QCommandLineParser& parser = cli.parser();
  if (parser.isSet(opt.resume)) {
    cli.error() << "--from and --resume exclude each other: --resume continues the run in --out, --from starts a "
                   "new one from another model.\n";
    return kExitUsage;
  }
  for (const QCommandLineOption* shape :
       {&opt.preset, &opt.tokenizer, &opt.hidden, &opt.layers, &opt.lookback, &opt.barClock}) {
    if (parser.isSet(*shape)) {
      cli.error() << "--" << shape->names().first()
                  << " would change the network, which --from takes from its model; leave it out, or learn from "
                     "scratch without --from.\n";
      return kExitUsage;
    }
  }
  const std::filesystem::path path = parser.value(opt.from).toStdString();
  const Result<train::Checkpoint> base = train::readCheckpoint(path);
  if (!base) {
    cli.error() << QString::fromStdString(base.error().describe()) << "\n";
    return kExitFailure;
  }
  config = train::TrainingConfig::fineTuning(base->config, path.stem().string(), train::modelFingerprint(*base));
  return std::nullopt;
}

/// The training settings the options ask for: the preset's (or, with --from, the model's), with
/// the options' values over them.
/// nullopt, or the exit status after an error line.
std::optional<int> readSettings(CommandLine& cli, const TrainOptions& opt, train::TrainingConfig& config,
                                distributed::DistributedOptions& distributedOptions) {
  const QCommandLineParser& parser = cli.parser();
  if (parser.isSet(opt.from)) {
    if (const std::optional<int> exit = readBaseSettings(cli, opt, config)) return *exit;
  } else {
    Result<train::TrainingConfig> presetConfig = train::TrainingConfig::fromPreset(
        parser.isSet(opt.preset) ? parser.value(opt.preset).toStdString() : "default");
    if (!presetConfig) {
      cli.error() << QString::fromStdString(presetConfig.error().message) << "\n";
      return kExitUsage;
    }
    config = *presetConfig;
  }
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
  intValue(opt.epochs, config.epochs);
  // With a time budget the time decides, not the preset's epochs (the stopping rule still may).
  if (parser.isSet(opt.minutes) && !parser.isSet(opt.epochs)) config.epochs = kEpochsUnlimited;
  if (parser.isSet(opt.tokenizer)) {
    const QString kind = parser.value(opt.tokenizer);
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
  doubleValue(opt.validFraction, config.validFraction);
  intValue(opt.threads, config.threads);
  doubleValue(opt.minutes, config.maxMinutes);
  // A size or rate given by hand replaces the automatic choice (the preset's values stand for the rest).
  if (parser.isSet(opt.hidden) || parser.isSet(opt.layers) || parser.isSet(opt.lr)) config.autoSize = false;
  intValue(opt.hidden, config.model.hidden);
  intValue(opt.layers, config.model.layers);
  intValue(opt.seq, config.sequenceLength);
  intValue(opt.batch, config.batch);
  doubleValue(opt.lr, config.learningRate);
  doubleValue(opt.dropout, config.model.dropout);
  if (parser.isSet(opt.transpose) && parser.value(opt.transpose) == QStringLiteral("auto")) {
    config.transpose = train::TrainingConfig::kTransposeAuto;
  } else {
    intValue(opt.transpose, config.transpose);
  }
  if (parser.isSet(opt.lookback)) {
    const QString kind = parser.value(opt.lookback);
    if (kind != QStringLiteral("off") && kind != QStringLiteral("inputs") && kind != QStringLiteral("labels")) {
      cli.error() << "--lookback takes off, inputs or labels.\n";
      return kExitUsage;
    }
    config.model.lookback = kind != QStringLiteral("off");
    config.model.repeatLabels = kind == QStringLiteral("labels");
  }
  if (parser.isSet(opt.barClock)) {
    const QString value = parser.value(opt.barClock);
    if (value != QStringLiteral("on") && value != QStringLiteral("off")) {
      cli.error() << "--bar-clock takes on or off.\n";
      return kExitUsage;
    }
    config.barClock = value == QStringLiteral("on");
  }
  intValue(opt.patience, config.patience);
  if (parser.isSet(opt.seed)) {
    bool ok = false;
    config.seed = parser.value(opt.seed).toULongLong(&ok);
    if (!ok) badOption = QStringLiteral("seed");
  }
  auto optionalInt = [&](const QCommandLineOption& o, std::optional<int>& target) {
    if (!parser.isSet(o)) return;
    int v = 0;
    intValue(o, v);
    target = v;
  };
  optionalInt(opt.worldSize, distributedOptions.worldSize);
  optionalInt(opt.rank, distributedOptions.rank);
  if (parser.isSet(opt.master)) distributedOptions.master = parser.value(opt.master).toStdString();
  if (parser.isSet(opt.distTimeout)) {
    double v = 0;
    doubleValue(opt.distTimeout, v);
    distributedOptions.timeoutSeconds = v;
  }
  if (!badOption.isEmpty()) {
    cli.error() << "--" << badOption << " needs a number.\n";
    return kExitUsage;
  }
  return std::nullopt;
}

/// Callbacks that print the log and a progress line (rewritten in place on a terminal).
train::TrainingCallbacks printingCallbacks(QTextStream& err, bool tty, int totalEpochs) {
  train::TrainingCallbacks callbacks;
  callbacks.log = [&err, tty](const std::string& line) {
    if (tty) err << "\r\033[K";
    err << QString::fromStdString(line) << "\n" << Qt::flush;
  };
  callbacks.metrics = [&err, tty, totalEpochs](const train::MetricsRecord& r) {
    if (tty) err << "\r\033[K";
    const QString epoch = totalEpochs >= kEpochsUnlimited ? QStringLiteral("epoch %1").arg(r.epoch)
                                                          : QStringLiteral("epoch %1/%2").arg(r.epoch).arg(totalEpochs);
    if (r.kind == train::MetricsRecord::Kind::Epoch && r.epoch == 0) {
      err << QStringLiteral("before training (the model started from, on this folder)  train loss %1 acc %2%  "
                            "valid loss %3 acc %4% (top-5 %5%)\n")
                 .arg(r.trainLoss, 0, 'f', 4)
                 .arg(100.0 * r.trainAccuracy, 0, 'f', 1)
                 .arg(r.validLoss, 0, 'f', 4)
                 .arg(100.0 * r.validAccuracy, 0, 'f', 1)
                 .arg(100.0 * r.validTop5, 0, 'f', 1);
    } else if (r.kind == train::MetricsRecord::Kind::Epoch) {
      const QString where =
          r.batchInEpoch < r.batchesInEpoch
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

  return callbacks;
}

/// Ctrl+C and SIGTERM, while it lives, request a stop (the trainer saves between two batches).
class InterruptWatch {
public:
  InterruptWatch() {
    g_interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
  }
  ~InterruptWatch() {
    m_watcher.request_stop();
    m_watcher.join();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  }
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;
  std::stop_token token() const { return m_stop.get_token(); }

private:
  std::stop_source m_stop;
  std::jthread m_watcher{[this](std::stop_token done) {
    while (!done.stop_requested()) {
      if (g_interrupted.load()) {
        m_stop.request_stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }};
};

/// Says where the model went, and writes the export asked for (`exportTo`, or none when empty).
int printOutcome(CommandLine& cli, const corpus::Corpus& corpus, const train::TrainingOutcome& outcome,
                 const QString& exportTo) {
  QTextStream& stdOut = cli.out();
  stdOut << "Saved " << QString::fromStdString(outcome.lastCheckpoint.string()) << " after " << outcome.epochsDone
         << " epoch(s), " << outcome.steps << " steps";
  if (std::isfinite(outcome.bestValidLoss)) {
    stdOut << "; best validation loss " << QString::number(outcome.bestValidLoss, 'f', 4) << " in "
           << QString::fromStdString(outcome.bestCheckpoint.string());
  }
  stdOut << ".\n";
  if (outcome.cancelled) stdOut << "Interrupted: run again with --resume to continue.\n";
  if (outcome.stoppedEarly) stdOut << "Stopped early: the validation loss no longer improved.\n";
  if (!outcome.cancelled) {
    // How much its takes repeat is measured against the music it learned, for the model
    // Generate gets; a model that cannot steer it (no bars) keeps the defaults.
    const Result<evaluate::RepeatCalibration> calibration =
        evaluate::calibrateModelFile(train::bestOrLastCheckpoint(outcome), corpus);
    if (calibration)
      stdOut << describeCalibration(*calibration) << "\n";
    else
      stdOut << "Repeat <-> vary not measured: " << QString::fromStdString(calibration.error().message) << "\n";
  }
  if (!exportTo.isEmpty()) {
    const std::filesystem::path source = train::bestOrLastCheckpoint(outcome);
    const std::filesystem::path target = exportTo.toStdString();
    if (const Status written = train::exportForGenerating(source, target); !written) {
      cli.error() << QString::fromStdString(written.error().describe()) << "\n";
      return kExitFailure;
    }
    stdOut << "Exported " << QString::fromStdString(target.string()) << " ("
           << std::filesystem::file_size(target) / 1024 << " KiB) from " << QString::fromStdString(source.string())
           << ".\n";
  }
  return kExitOk;
}

} // namespace

int runTrain(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("train"),
      QStringLiteral(
          "lyrebird-cli train: learn a folder of MIDI files.\n"
          "Presets: seed-single, seed-stacked (the poster's models 1 and 2, faithfully), default (Lyrebird's).\n"
          "Ctrl+C stops between batches and saves the model; --resume continues it.\n"
          "Fine-tuning: --from MODEL starts from a trained model (the bundled one is\n"
          "resources/demo/demo.lyrebird) and shapes it to this folder.\n"
          "Distributed: run one process per rank with --world-size N --rank R --master HOST:PORT (or the\n"
          "WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT variables of PyTorch's launchers); --batch is the\n"
          "global batch, shared among the ranks; rank 0 writes the model, the log and the progress."));
  QCommandLineParser& parser = cli.parser();
  const TrainOptions opt(parser);
  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  if (!parser.positionalArguments().isEmpty()) {
    cli.error() << "unexpected argument '" << parser.positionalArguments().first() << "'.\n";
    return kExitUsage;
  }
  if (!parser.isSet(opt.data) || !parser.isSet(opt.out)) {
    cli.error() << "give --data DIR and --out MODEL.lyrebird.\n";
    return kExitUsage;
  }
  train::TrainingConfig config;
  distributed::DistributedOptions distributedOptions;
  if (const std::optional<int> exit = readSettings(cli, opt, config, distributedOptions)) return *exit;
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
  loadOptions.includeDrums = parser.isSet(opt.drums);
  if (tty) {
    loadOptions.progress = [&err](const corpus::LoadProgress& p) {
      err << "\rLoading " << p.done << " of " << p.total << " files..." << Qt::flush;
    };
  }
  const Result<corpus::Corpus> corpus = corpus::loadCorpus(parser.value(opt.data).toStdString(), loadOptions);
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
  job.output = parser.value(opt.out).toStdString();
  job.resume = parser.isSet(opt.resume);
  if (parser.isSet(opt.from)) job.from = parser.value(opt.from).toStdString();
  if (parser.isSet(opt.log)) job.csvLog = parser.value(opt.log).toStdString();
  job.distributed = *distributedConfig;

  const Result<train::TrainingOutcome> outcome = [&] {
    const InterruptWatch interrupt;
    train::TrainingControl control;
    return train::runTraining(*corpus, job, control, interrupt.token(), printingCallbacks(err, tty, config.epochs));
  }();
  if (tty) err << "\r\033[K";
  if (!outcome) {
    err << errorPrefix << QString::fromStdString(outcome.error().describe()) << "\n";
    return kExitFailure;
  }
  if (!mainRank) return kExitOk;
  return printOutcome(cli, *corpus, *outcome, parser.isSet(opt.exportTo) ? parser.value(opt.exportTo) : QString());
}

} // namespace lyrebird::cli
