#include "evaluate/calibration.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace lyrebird::evaluate {

Result<RepeatCalibration> calibrateRepeat(generate::Generator& generator, const HeldOutMusic& music,
                                          generate::GenerateOptions options, const CalibrationOptions& calibration,
                                          std::stop_token stop) {
  if (!generator.steersRepeats()) {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "This model's tokens have no bars, so how much it repeats cannot be steered."};
  }
  if (music.trainingOpenings.empty()) {
    return Error{ErrorKind::NoMusic, {}, -1, "There is no training music to measure the takes against."};
  }
  RepeatCalibration result;
  double target = 0.0;
  for (const MusicMetrics& opening : music.trainingOpenings)
    target += opening.distinct4gramRatio / static_cast<double>(music.trainingOpenings.size());

  auto probe = [&](double repeat) -> Result<double> {
    options.repeat = repeat;
    double ratio = 0.0;
    for (int i = 0; i < calibration.takes; ++i) {
      if (stop.stop_requested()) return Error{ErrorKind::Cancelled, {}, -1, "Stopped."};
      options.seed = calibration.firstSeed + static_cast<std::uint64_t>(i);
      Result<midi::Score> take = generator.generate(options, {}, stop);
      if (!take) return take.error();
      ratio += measure(*take).distinct4gramRatio / static_cast<double>(calibration.takes);
    }
    result.probes.push_back({repeat, ratio});
    return ratio;
  };

  const double start = std::clamp(generator.defaultRepeat(), calibration.lowest, calibration.highest);
  Result<double> first = probe(start);
  if (!first) return first.error();
  result.sampling.repeat = start;
  result.sampling.targetRatio = target;
  result.sampling.achievedRatio = *first;
  result.sampling.takes = calibration.takes;
  result.sampling.seconds = music.openingSeconds;
  if (std::abs(*first - target) <= calibration.tolerance) return result; // the default measured right
  // Toward the nearer edge of the tolerated band. `low` repeats at most as much as that (ratio >=
  // aim), `high` at least.
  const bool raise = *first > target;
  const double aim = raise ? target + calibration.tolerance : target - calibration.tolerance;
  std::pair<double, double> low{start, *first};
  std::pair<double, double> high = low;
  std::pair<double, double>& moving = raise ? high : low;
  std::pair<double, double>& trailing = raise ? low : high;
  bool bracketed = false;
  while (!bracketed) {
    const double next = raise ? std::min(moving.first + calibration.step, calibration.highest)
                              : std::max(moving.first - calibration.step, calibration.lowest);
    if (next == moving.first) break; // at the end of the range: that end is the answer
    trailing = moving;
    Result<double> ratio = probe(next);
    if (!ratio) return ratio.error();
    moving = {next, *ratio};
    bracketed = raise ? *ratio <= aim : *ratio >= aim;
  }
  double chosen = moving.first;
  if (bracketed) {
    for (int i = 0; i < calibration.bisections; ++i) {
      const double middle = (low.first + high.first) / 2.0;
      Result<double> ratio = probe(middle);
      if (!ratio) return ratio.error();
      (*ratio > aim ? low : high) = {middle, *ratio};
    }
    const double span = low.second - high.second;
    const double share = span > 0.0 ? std::clamp((low.second - aim) / span, 0.0, 1.0) : 0.5;
    chosen = low.first + share * (high.first - low.first);
  }
  chosen = std::round(chosen * 100.0) / 100.0;
  Result<double> achieved = probe(chosen);
  if (!achieved) return achieved.error();
  result.sampling.repeat = chosen;
  result.sampling.achievedRatio = *achieved;
  // The ratio is a mean over a few takes, so the setting interpolated to the band's edge can
  // measure just outside it (seen: 0.73 against a band ending at 0.72, where a probe 0.06 away
  // measured 0.65). Then the answer is the probe nearest to it that measured inside the band.
  if (std::abs(*achieved - target) > calibration.tolerance) {
    const RepeatProbe* inside = nullptr;
    for (const RepeatProbe& p : result.probes) {
      if (std::abs(p.ratio - target) > calibration.tolerance) continue;
      if (!inside || std::abs(p.repeat - chosen) < std::abs(inside->repeat - chosen)) inside = &p;
    }
    if (inside) {
      result.sampling.repeat = inside->repeat;
      result.sampling.achievedRatio = inside->ratio;
    }
  }
  return result;
}

Result<RepeatCalibration> calibrateModelFile(const std::filesystem::path& model, const corpus::Corpus& corpus,
                                             const CalibrationOptions& calibration, std::stop_token stop) {
  Result<train::Checkpoint> checkpoint = train::readCheckpoint(model);
  if (!checkpoint) return checkpoint.error();
  Result<std::unique_ptr<generate::Generator>> generator = generate::Generator::fromCheckpoint(*checkpoint);
  if (!generator) return generator.error();
  const generate::GenerateOptions options; // the app's defaults: 30 s takes
  const train::TrainingConfig& config = checkpoint->config;
  const HeldOutMusic music = heldOutMusic(corpus, config.validFraction, config.seed, takeSeconds(options));
  Result<RepeatCalibration> result = calibrateRepeat(**generator, music, options, calibration, stop);
  if (!result) {
    Error error = result.error();
    error.path = model.string();
    return error;
  }
  checkpoint->sampling = result->sampling;
  if (const Status written = train::writeCheckpoint(*checkpoint, model); !written) return written.error();
  return result;
}

} // namespace lyrebird::evaluate
