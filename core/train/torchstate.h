#pragma once

// Torch state <-> bytes for checkpoints. Internal to core/train and core/generate.

#include "base/result.h"
#include "model/lstmnetwork.h"
#include "train/checkpoint.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <string>

namespace lyrebird::train {

std::string saveModuleState(const torch::nn::Module& module);
/// For a model exported for generating: the LSTM matrices (weight_ih, weight_hh) in half
/// precision, as model::LstmStepper keeps them (the same takes, half their bytes), the rest
/// in float. Converts `module`'s own LSTM matrices: a network to throw away afterwards.
std::string saveModuleStateForGenerating(torch::nn::Module& module);
/// Reads either form into the module's float tensors.
/// Fails (ErrorKind::Corrupt) when the bytes do not hold this module's parameters.
Status loadModuleState(torch::nn::Module& module, const std::string& bytes);

std::string saveOptimizerState(const torch::optim::Optimizer& optimizer);
Status loadOptimizerState(torch::optim::Optimizer& optimizer, const std::string& bytes);

/// The network a checkpoint holds, weights loaded, in eval() mode.
Result<model::LstmNetwork> networkFromCheckpoint(const Checkpoint& checkpoint);

/// torch's default CPU generator (dropout masks), so a resumed run draws the same.
std::string saveRandomState();
Status loadRandomState(const std::string& bytes);

} // namespace lyrebird::train
