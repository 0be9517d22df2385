#include "evaluate/experiment.h"

#include "corpus/copyindex.h"
#include "corpus/corpus.h"
#include "evaluate/calibration.h"
#include "evaluate/protocol.h"
#include "midi/smfwriter.h"
#include "train/checkpoint.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace lyrebird::evaluate {

namespace {

/// `value` with `decimals` digits after the point; a dash when there is no number.
std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "–";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

/// `value` in at most `digits` significant digits ("%g").
std::string shortest(double value, int digits = 6) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*g", digits, value);
  return text;
}

std::string jsonNumber(double value) {
  return std::isfinite(value) ? shortest(value) : "null";
}

std::string jsonString(const std::string& text) {
  std::string escaped = "\"";
  for (const char c : text) {
    if (c == '\\' || c == '"') escaped += '\\';
    escaped += c;
  }
  return escaped + '"';
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

/// `error` as one run's: "nottingham-default: ..." (the file, if any, inside the sentence).
Error inRun(const std::string& run, const Error& error) {
  return Error{error.kind, {}, -1, run + ": " + error.describe()};
}

void log(const ExperimentCallbacks& callbacks, const std::string& line) {
  if (callbacks.log) callbacks.log(line);
}

/// The run's outcome as its model file in `out` says, for a run not trained again.
Result<train::TrainingOutcome> reuseOutcome(const std::filesystem::path& output) {
  const Result<train::Checkpoint> saved = train::readCheckpoint(output);
  if (!saved) return saved.error();
  train::TrainingOutcome outcome;
  outcome.epochsDone = saved->progress.epochsDone;
  outcome.steps = saved->progress.step;
  outcome.bestValidLoss = saved->progress.bestValidLoss;
  outcome.lastCheckpoint = output;
  outcome.bestCheckpoint = train::bestCheckpointPath(output);
  return outcome;
}

/// Trains (or reads back) one preset on one loaded corpus, and measures its takes.
Result<ExperimentRun> runOne(const ExperimentPlan& plan, const corpus::Corpus& corpus, const std::string& corpusName,
                             const train::TrainingConfig& config, const HeldOutMusic& music,
                             const ExperimentCallbacks& callbacks) {
  ExperimentRun run;
  run.model = config.preset;
  run.corpus = corpusName;
  const std::string stem = run.name();
  train::TrainingJob job;
  job.config = config;
  job.output = plan.out / "models" / (stem + ".lyrebird");
  job.csvLog = plan.out / "models" / (stem + ".csv");
  Result<train::TrainingOutcome> outcome = train::TrainingOutcome{};
  if (plan.reuseModels && std::filesystem::exists(job.output)) {
    outcome = reuseOutcome(job.output);
    if (outcome) log(callbacks, stem + ": reusing the trained model (" + std::to_string(outcome->steps) + " steps).");
  } else {
    train::TrainingCallbacks training;
    training.metrics = [&callbacks, &stem](const train::MetricsRecord& r) {
      if (r.kind != train::MetricsRecord::Kind::Epoch) return;
      log(callbacks, stem + ": epoch " + std::to_string(r.epoch) + ", step " + std::to_string(r.step) +
                         ", valid loss " + fixed(r.validLoss, 4) + ", accuracy " + fixed(100.0 * r.validAccuracy, 1) +
                         "%, " + fixed(r.elapsedSeconds / 60.0, 1) + " min");
    };
    train::TrainingControl control;
    log(callbacks, stem + ": training…");
    outcome = train::runTraining(corpus, job, control, {}, training);
  }
  if (!outcome) return inRun(stem, outcome.error());
  run.outcome = *outcome;
  {
    // As `train` does: the model's repeat setting measured on its training music (kept when a
    // reused model has one).
    const std::filesystem::path model = train::bestOrLastCheckpoint(run.outcome);
    const Result<train::Checkpoint> saved = train::readCheckpoint(model);
    if (saved && !saved->sampling) {
      const Result<RepeatCalibration> calibration = calibrateModelFile(model, corpus);
      if (calibration) {
        log(callbacks, stem + ": repeat <-> vary measured at " + fixed(calibration->sampling.repeat, 2) +
                           " (distinct 4-gram ratio " + fixed(calibration->sampling.achievedRatio, 2) +
                           ", its training music's " + fixed(calibration->sampling.targetRatio, 2) + ")");
      } else if (calibration.error().kind != ErrorKind::InvalidArgument) { // no bars: nothing to measure
        return inRun(stem, calibration.error());
      }
    }
  }

  Result<std::unique_ptr<generate::Generator>> generator =
      generate::Generator::load(train::bestOrLastCheckpoint(run.outcome));
  if (!generator) return generator.error();
  // The full curve is in the last checkpoint; the best one stops at its epoch.
  const Result<train::Checkpoint> last = train::readCheckpoint(run.outcome.lastCheckpoint);
  run.history = last ? last->history : (*generator)->history();
  run.vocabulary = static_cast<int>((*generator)->vocabulary().size());
  if (const train::MetricsRecord* best = bestEpoch(run.history)) {
    run.bestValidAccuracy = best->validAccuracy;
    run.bestValidTop5 = best->validTop5;
  }
  generate::GenerateOptions options;
  options.length = plan.length;
  options.seed = plan.seed;
  Result<ModelEvaluation> evaluation = evaluateModel(**generator, music, options, plan.takes);
  if (!evaluation) return inRun(stem, evaluation.error());
  run.evaluation = std::move(evaluation.value());
  for (std::size_t i = 0; i < run.evaluation.takes.size(); ++i) {
    const std::filesystem::path take = plan.out / "takes" / (stem + '-' + std::to_string(i + 1));
    std::filesystem::path midiFile = take;
    midiFile += ".mid";
    if (const Status written = midi::writeSmfFile(run.evaluation.takes[i], midiFile); !written) return written.error();
    if (callbacks.takeWritten) callbacks.takeWritten(run.evaluation.takes[i], take);
  }
  log(callbacks, stem + ": " + std::to_string(run.outcome.epochsDone) + " epochs, " +
                     std::to_string(run.outcome.steps) + " steps; best valid loss " +
                     fixed(run.outcome.bestValidLoss, 4) + "; takes: pitch-class distance " +
                     fixed(run.evaluation.mean.pcHistDistance, 3) + " (set " + fixed(run.evaluation.set.pitchClass, 3) +
                     "), longest copy " + std::to_string(run.evaluation.mean.originality.longestCopyNotes) + " notes");
  return run;
}

/// One row of a report's music table.
void musicRow(std::ostringstream& md, const std::string& name, const MusicMetrics& m, const std::string& pc,
              const std::string& ioi, const std::string& copied, const std::string& copy) {
  md << "| " << name << " | " << pc << " | " << ioi << " | " << fixed(m.noteDensity, 2) << " | "
     << fixed(m.polyphony, 2) << " | " << fixed(m.scaleConsistency, 3) << " | " << m.pitchesUsed << " | "
     << fixed(m.emptyBeatRate, 3) << " | " << fixed(m.grooveConsistency, 3) << " | " << fixed(m.distinct4gramRatio, 3)
     << " | " << m.longestRepeat << " | " << copied << " | " << copy << " |\n";
}

std::string budgetText(const ExperimentPlan& plan) {
  return plan.epochs ? std::to_string(*plan.epochs) + " epochs" : shortest(plan.minutes.value_or(0.0)) + " minutes";
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i)
    text += (i ? separator : "") + items[i];
  return text;
}

void reportIntroduction(std::ostringstream& md, const ExperimentPlan& plan) {
  const generate::GenerateOptions defaults;
  md << "# Lyrebird experiment\n\n"
     << "Models: " << joined(plan.presets, ", ") << ". Budget per run: " << budgetText(plan) << ", seed " << plan.seed
     << ", " << plan.threads << " torch thread(s). Every model sees the same split of a corpus by "
     << "file. Each run generates " << plan.takes << " takes of " << plan.lengthText
     << " at the default sampling settings (temperature " << defaults.sampling.temperature << ", top-p "
     << defaults.sampling.topP << ", and each grid model's own repeat, measured after its training on its "
     << "training music as `train` does: the log says where) from its best model (by validation loss); they are "
        "measured against the corpus's held-out "
        "files (never trained on) and searched for copies in its training files.\n\n"
     << "Losses and accuracies are per token of each model's own vocabulary (its size is in the tables: the seed "
        "models predict one of thousands of note/chord tokens per onset, the default model one of a few hundred "
        "grid or performance events), so they compare training progress, not music. The musical measures below "
        "compare the music.\n";
}

void reportTrainingTable(std::ostringstream& md, const ExperimentResults& results, const std::string& corpus) {
  const HeldOutMusic& music = results.heldOut.at(corpus);
  md << "\n## " << corpus << "\n\n"
     << music.trainFiles() << " training files, " << music.heldOutFiles() << " held out.\n\n"
     << "![loss](loss-" << corpus << ".png) ![accuracy](accuracy-" << corpus << ".png)\n\n"
     << "| model | epochs | steps | vocabulary | best valid loss | valid accuracy | valid top-5 |\n"
     << "|---|---:|---:|---:|---:|---:|---:|\n";
  for (const ExperimentRun& r : results.runs) {
    if (r.corpus != corpus) continue;
    md << "| " << r.model << " | " << r.outcome.epochsDone << " | " << r.outcome.steps << " | " << r.vocabulary << " | "
       << fixed(r.outcome.bestValidLoss, 3) << " | " << fixed(100.0 * r.bestValidAccuracy, 1) << " % | "
       << fixed(100.0 * r.bestValidTop5, 1) << " % |\n";
  }
}

void reportMusicTable(std::ostringstream& md, const ExperimentResults& results, const std::string& corpus) {
  const HeldOutMusic& music = results.heldOut.at(corpus);
  md << "\nMeans over the takes. Distances compare each take with histograms pooled over all the held-out "
        "music (lower is closer); the held-out row measures the held-out pieces' first "
     << fixed(music.openingSeconds, 0)
     << " seconds the same way, i.e. what a real piece of this corpus scores as a take:\n\n"
     << "| model | pitch-class dist. | IOI dist. | notes/s | polyphony | scale consistency | pitches used | "
        "empty beats | groove | distinct 4-grams | longest repeat | copied 8-grams | longest copy (notes) |\n"
     << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const ExperimentRun& r : results.runs) {
    if (r.corpus != corpus) continue;
    const TakeEvaluation& e = r.evaluation.mean;
    musicRow(md, r.model, e.metrics, fixed(e.pcHistDistance, 3), fixed(e.ioiHistDistance, 3),
             fixed(100.0 * e.originality.copiedNgramShare, 1) + " %",
             std::to_string(e.originality.longestCopyNotes) + " (max " + std::to_string(r.longestCopyNotes()) + ")");
  }
  musicRow(md, "held-out music", music.reference.mean, fixed(music.heldOutPcHistDistance, 3),
           fixed(music.heldOutIoiHistDistance, 3), "–", "–");
}

void reportSetTable(std::ostringstream& md, const ExperimentResults& results, const std::string& corpus) {
  const HeldOutMusic& music = results.heldOut.at(corpus);
  const auto takeCount = static_cast<std::size_t>(results.plan.takes);
  const SetDistances real = trainingMusicSetDistances(music, takeCount);
  md << "\nThe takes as a set against the " << music.heldOutOpenings.size() << " held-out pieces' first "
     << fixed(music.openingSeconds, 0)
     << " seconds: energy distances of the per-piece histograms (0: the set varies as the held-out music does; "
        "a set whose every piece mixes all of the corpus's keys reads far, however close each piece is to the "
        "pooled histogram). The last row is real music: the first seconds of "
     << std::min(takeCount, music.trainingOpenings.size())
     << " training pieces, what a set of this size scores when it is the corpus's own music. The last column is "
        "Yang & Lerch's protocol (2020): per feature, the overlap of the takes' distances to the held-out openings "
        "with the held-out openings' own, averaged over its nine features (1: alike; metrics.json has each).\n\n"
     << "| model | pitch-class set distance | IOI set distance | Yang & Lerch overlap |\n|---|---:|---:|---:|\n";
  for (const ExperimentRun& r : results.runs) {
    if (r.corpus != corpus) continue;
    md << "| " << r.model << " | " << fixed(r.evaluation.set.pitchClass, 3) << " | " << fixed(r.evaluation.set.ioi, 3)
       << " | " << fixed(r.evaluation.protocol.meanOverlap(), 3) << " |\n";
  }
  md << "| training music | " << fixed(real.pitchClass, 3) << " | " << fixed(real.ioi, 3) << " | "
     << fixed(trainingMusicProtocol(music, takeCount).meanOverlap(), 3) << " |\n";
}

void reportReading(std::ostringstream& md, const ExperimentResults& results, const std::string& corpus) {
  const SetDistances real =
      trainingMusicSetDistances(results.heldOut.at(corpus), static_cast<std::size_t>(results.plan.takes));
  const ExperimentReading reading = readExperiment(results, corpus);
  md << "\n**Reading.** ";
  if (reading.closest) {
    md << "The set of takes closest to the held-out music (pitch-class + IOI set distance "
       << fixed(reading.closestSetSum, 3) << ", real music " << fixed(real.pitchClass + real.ioi, 3) << ") comes from `"
       << reading.closest->model << "`. ";
  }
  if (reading.defaultRun) {
    md << '`' << reading.defaultRun->model << "` "
       << (reading.defaultBeatsAll ? "is closer than every other model on both set distances"
                                   : "is not closer than every other model on both set distances")
       << ", and its longest passage copied from the training files is " << reading.defaultLongestCopy << " notes ("
       << (reading.defaultWithinCopyLimit ? "within" : "over") << " the " << corpus::CopyIndex::kDefaultNotes - 1
       << "-note limit). ";
  }
  md << "\n";
}

} // namespace

int ExperimentRun::longestCopyNotes() const {
  int longest = 0;
  for (const TakeEvaluation& t : evaluation.evaluations)
    longest = std::max(longest, t.originality.longestCopyNotes);
  return longest;
}

Result<train::TrainingConfig> experimentConfig(const ExperimentPlan& plan, const std::string& preset) {
  Result<train::TrainingConfig> named = train::TrainingConfig::fromPreset(preset);
  if (!named) return named.error();
  train::TrainingConfig config = *named;
  config.epochs = plan.epochs.value_or(100000);
  config.maxMinutes = plan.minutes.value_or(0.0);
  config.seed = plan.seed;
  config.threads = plan.threads;
  if (plan.hidden || plan.layers) config.autoSize = false; // a size given by hand
  if (plan.hidden) config.model.hidden = *plan.hidden;
  if (plan.layers) config.model.layers = *plan.layers;
  if (plan.sequenceLength) config.sequenceLength = *plan.sequenceLength;
  if (plan.batch) config.batch = *plan.batch;
  if (const Status valid = config.validate(); !valid) return valid.error();
  return config;
}

Result<ExperimentResults> runExperiment(const ExperimentPlan& plan, const ExperimentCallbacks& callbacks) {
  ExperimentResults results;
  results.plan = plan;
  std::error_code created;
  std::filesystem::create_directories(plan.out / "models", created);
  if (!created) std::filesystem::create_directories(plan.out / "takes", created);
  if (created) return Error{ErrorKind::Io, plan.out.string(), -1, "cannot create " + plan.out.string() + "."};
  for (const ExperimentCorpus& spec : plan.corpora) {
    const Result<corpus::Corpus> loaded = corpus::loadCorpus(spec.folder, {});
    if (!loaded) return loaded.error();
    log(callbacks, spec.name + ": " + std::to_string(loaded->stats.loaded) + " files loaded (" +
                       std::to_string(loaded->stats.failed) + " failed).");
    for (const std::string& preset : plan.presets) {
      Result<train::TrainingConfig> config = experimentConfig(plan, preset);
      if (!config) return config.error();
      // Every run sees the same split: the same seed and share of validation files.
      if (results.heldOut.find(spec.name) == results.heldOut.end()) {
        generate::GenerateOptions takeOptions;
        takeOptions.length = plan.length;
        results.heldOut.emplace(spec.name,
                                heldOutMusic(*loaded, config->validFraction, config->seed, takeSeconds(takeOptions)));
      }
      Result<ExperimentRun> run = runOne(plan, *loaded, spec.name, *config, results.heldOut.at(spec.name), callbacks);
      if (!run) return run.error();
      results.runs.push_back(std::move(run.value()));
    }
  }
  return results;
}

std::vector<ExperimentCurve> experimentCurves(const ExperimentResults& results, const std::string& corpus, bool loss) {
  std::vector<ExperimentCurve> curves;
  for (const ExperimentRun& run : results.runs) {
    if (run.corpus != corpus) continue;
    ExperimentCurve curve{run.model, {}, {}};
    for (const train::MetricsRecord& r : run.history) {
      const double minutes = r.elapsedSeconds / 60.0;
      if (r.kind == train::MetricsRecord::Kind::Epoch) {
        curve.valid.emplace_back(minutes, loss ? r.validLoss : 100.0 * r.validAccuracy);
      } else {
        curve.train.emplace_back(minutes, loss ? r.trainLoss : 100.0 * r.trainAccuracy);
      }
    }
    curves.push_back(std::move(curve));
  }
  return curves;
}

ExperimentReading readExperiment(const ExperimentResults& results, const std::string& corpus) {
  ExperimentReading reading;
  auto setSum = [](const ExperimentRun& r) { return r.evaluation.set.pitchClass + r.evaluation.set.ioi; };
  const std::string defaultPreset = train::TrainingConfig{}.preset;
  for (const ExperimentRun& r : results.runs) {
    if (r.corpus != corpus) continue;
    if (!reading.closest || setSum(r) < setSum(*reading.closest)) reading.closest = &r;
    if (r.model == defaultPreset) reading.defaultRun = &r;
  }
  if (reading.closest) reading.closestSetSum = setSum(*reading.closest);
  if (const ExperimentRun* d = reading.defaultRun) {
    reading.defaultLongestCopy = d->longestCopyNotes();
    reading.defaultWithinCopyLimit = reading.defaultLongestCopy <= corpus::CopyIndex::kDefaultNotes - 1;
    reading.defaultBeatsAll = true;
    for (const ExperimentRun& r : results.runs) {
      if (r.corpus != corpus || &r == d) continue;
      reading.defaultBeatsAll = reading.defaultBeatsAll && d->evaluation.set.pitchClass < r.evaluation.set.pitchClass &&
                                d->evaluation.set.ioi < r.evaluation.set.ioi;
    }
  }
  return reading;
}

std::string experimentCsv(const ExperimentResults& results) {
  auto cell = [](double v) { return std::isfinite(v) ? shortest(v, 8) : std::string(); };
  std::ostringstream csv;
  csv << "run,model,corpus,epoch,step,kind,elapsed_s,train_loss,train_acc,valid_loss,valid_acc,valid_top5\n";
  for (const ExperimentRun& run : results.runs) {
    for (const train::MetricsRecord& r : run.history) {
      csv << run.name() << ',' << run.model << ',' << run.corpus << ',' << r.epoch << ',' << r.step << ','
          << (r.kind == train::MetricsRecord::Kind::Epoch ? "epoch" : "batches") << ',' << cell(r.elapsedSeconds) << ','
          << cell(r.trainLoss) << ',' << cell(r.trainAccuracy) << ',' << cell(r.validLoss) << ','
          << cell(r.validAccuracy) << ',' << cell(r.validTop5) << '\n';
    }
  }
  return csv.str();
}

std::string experimentJson(const ExperimentResults& results) {
  const ExperimentPlan& plan = results.plan;
  std::ostringstream j;
  j << "{\"budget\": {"
    << (plan.epochs ? "\"epochs\": " + std::to_string(*plan.epochs)
                    : "\"minutes\": " + shortest(plan.minutes.value_or(0.0)))
    << "}, \"seed\": " << plan.seed << ", \"runs\": [";
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    const ExperimentRun& r = results.runs[i];
    j << (i ? ",\n  " : "\n  ") << "{\"model\": " << jsonString(r.model) << ", \"corpus\": " << jsonString(r.corpus)
      << ", \"epochs\": " << r.outcome.epochsDone << ", \"steps\": " << r.outcome.steps
      << ", \"vocabulary\": " << r.vocabulary << ", \"valid_loss\": " << jsonNumber(r.outcome.bestValidLoss)
      << ", \"valid_acc\": " << jsonNumber(r.bestValidAccuracy) << ", \"valid_top5\": " << jsonNumber(r.bestValidTop5)
      << ", " << evaluationJson(r.evaluation, results.heldOut.at(r.corpus)) << "}";
  }
  j << "\n]}\n";
  return j.str();
}

std::string experimentReport(const ExperimentResults& results) {
  std::ostringstream md;
  reportIntroduction(md, results.plan);
  for (const ExperimentCorpus& spec : results.plan.corpora) {
    reportTrainingTable(md, results, spec.name);
    reportMusicTable(md, results, spec.name);
    reportSetTable(md, results, spec.name);
    reportReading(md, results, spec.name);
  }
  md << "\nFiles: `metrics.csv` (every curve), `metrics.json` (every number), `models/` (the trained models and their "
        "logs), `takes/` (MIDI"
     << (results.plan.audio ? " and WAV" : "") << ").\n";
  return md.str();
}

std::string evaluationJson(const ModelEvaluation& evaluation, const HeldOutMusic& music) {
  std::string json = "\"train_files\": " + std::to_string(music.trainFiles()) +
                     ", \"held_out_files\": " + std::to_string(music.heldOutFiles()) + ", \"held_out\": [";
  // Which pieces the takes are measured against (the split of the model's training).
  for (std::size_t i = 0; i < music.heldOutPaths.size(); ++i)
    json += (i ? ", " : "") + jsonString(music.heldOutPaths[i]);
  json += "], \"takes\": [";
  for (std::size_t i = 0; i < evaluation.evaluations.size(); ++i) {
    json += (i ? ", {" : "{") + takeJsonMembers(evaluation.evaluations[i]) + "}";
  }
  json += "], \"mean\": {" + takeJsonMembers(evaluation.mean) +
          "}, \"reference\": {\"pieces\": " + std::to_string(music.reference.pieces) + ", " +
          metricsJsonMembers(music.reference.mean) + "}";
  // The set measures, and what real music scores on them: held-out openings as takes, and
  // as many training openings as there are takes as a set.
  const SetDistances real = trainingMusicSetDistances(music, evaluation.evaluations.size());
  json += ", \"set\": {\"pc_distance\": " + shortest(evaluation.set.pitchClass) +
          ", \"ioi_distance\": " + shortest(evaluation.set.ioi) +
          "}, \"yardsticks\": {\"opening_seconds\": " + shortest(music.openingSeconds) +
          ", \"held_out_openings\": " + std::to_string(music.heldOutOpenings.size()) +
          ", \"held_out_openings_mean\": {" + metricsJsonMembers(heldOutOpeningsMean(music)) + "}" +
          ", \"training_openings\": " + std::to_string(music.trainingOpenings.size()) +
          ", \"training_openings_mean\": {" + metricsJsonMembers(trainingOpeningsMean(music)) + "}" +
          ", \"held_out_pc_hist_distance\": " + shortest(music.heldOutPcHistDistance) +
          ", \"held_out_ioi_hist_distance\": " + shortest(music.heldOutIoiHistDistance) +
          ", \"training_music_set\": {\"pieces\": " +
          std::to_string(std::min(evaluation.evaluations.size(), music.trainingOpenings.size())) +
          ", \"pc_distance\": " + shortest(real.pitchClass) + ", \"ioi_distance\": " + shortest(real.ioi) + "}";
  // Yang & Lerch's protocol: per feature, the overlap of the takes' distances to the held-out
  // openings with the held-out openings' own, and the divergence; real music scored the same way.
  const ProtocolComparison realProtocol = trainingMusicProtocol(music, evaluation.evaluations.size());
  json += ", \"overlap\": {" + protocolJsonMembers(realProtocol, false) + "}, \"kl_divergence\": {" +
          protocolJsonMembers(realProtocol, true) + "}}";
  json += ", \"overlap\": {" + protocolJsonMembers(evaluation.protocol, false) + "}, \"kl_divergence\": {" +
          protocolJsonMembers(evaluation.protocol, true) + "}";
  return json;
}

} // namespace lyrebird::evaluate
