#pragma once

#include "train/trainer.h"

#include <stop_token>

namespace lyrebird::train::detail {

/// The training loop of one run (internal to lyrebird_train): set up or resume, the epochs, the
/// end. runTraining() calls it and turns what LibTorch and c10d throw into Errors.
Result<TrainingOutcome> runOnce(const corpus::Corpus& corpus, const TrainingJob& job, TrainingControl& control,
                                std::stop_token stop, const TrainingCallbacks& callbacks);

} // namespace lyrebird::train::detail
