#pragma once

#include "base/result.h"
#include "corpus/corpus.h"
#include "evaluate/modelevaluation.h"
#include "generate/generator.h"
#include "train/checkpoint.h"

#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <vector>

namespace lyrebird::evaluate {

/// How calibrateRepeat() measures.
struct CalibrationOptions {
  int takes = 16; ///< takes per probe, the same seeds at every probe (so probes differ by the setting only)
  /// The first take's seed: far from evaluate's and the app's first seeds, so the takes a model
  /// is measured on afterwards are not the ones its setting was chosen on.
  std::uint64_t firstSeed = 900001;
  double lowest = -1.0; ///< the range searched
  double highest = 3.0;
  double step = 0.5;  ///< how far each probe moves while the target is not yet bracketed
  int bisections = 3; ///< halvings of the bracket (0.5 / 8 = 0.0625 apart at the end)
  /// How far the takes' distinct 4-gram ratio may lie from the training music's before the
  /// model's default setting is moved, and where a moved one aims (the nearer edge of the band).
  double tolerance = 0.15;
};

/// One probe: the takes' mean distinct 4-gram ratio at one repeat.
struct RepeatProbe {
  double repeat = 0.0;
  double ratio = 0.0;
};

struct RepeatCalibration {
  train::SamplingCalibration sampling;
  std::vector<RepeatProbe> probes; ///< in the order measured; the last is the interpolated setting's
};

/// The setting of GenerateOptions::repeat (repeat <-> vary) at which `generator`'s takes repeat
/// their figures as the training pieces do: their mean distinct 4-gram ratio meets the mean of
/// `music`'s training openings (real music of the takes' length; never the held-out files). The
/// ratio falls as repeat rises; the search starts at the model's default, steps until the target
/// is bracketed (or a limit of the range is reached, which is then the answer), halves the bracket
/// and interpolates between its ends; should that setting measure outside the band (the ratio
/// is a mean over a few takes), the probe nearest to it that measured inside is the answer.
/// `options` are the rest of the sampling (the app's
/// defaults, as a user hears them); their seed and repeat are set here. InvalidArgument for a
/// model that does not steer repeats (Generator::steersRepeats()), NoMusic without training
/// openings, Cancelled on a stop request.
Result<RepeatCalibration> calibrateRepeat(generate::Generator& generator, const HeldOutMusic& music,
                                          generate::GenerateOptions options, const CalibrationOptions& calibration = {},
                                          std::stop_token stop = {});

/// calibrateRepeat() for the model file at `model`, trained on `corpus` (split as its training
/// split it), at the default sampling and takes of 30 s; the result is written into the file
/// (train::Checkpoint::sampling), so Generate and `generate` use it by default from then on.
Result<RepeatCalibration> calibrateModelFile(const std::filesystem::path& model, const corpus::Corpus& corpus,
                                             const CalibrationOptions& calibration = {}, std::stop_token stop = {});

} // namespace lyrebird::evaluate
