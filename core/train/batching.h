#pragma once

// Internal to core/train (torch inside): how the trainer cuts windows into batches, tallies
// loss and accuracy, shards work between ranks and validates.

#include "distributed/processgroup.h"
#include "model/lstmnetwork.h"
#include "train/dataset.h"

#include <torch/types.h>

#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace lyrebird::train {

struct Batch {
  torch::Tensor inputs;   // int64 [B, T]
  torch::Tensor targets;  // int64 [B] (last) or [B, T] (all); repeat labels where the model has them
  torch::Tensor lookback; // int64 [B, T, model::kLookbackChannels] with ModelConfig::lookback, else undefined
};

/// `lookbacks`: the pieces' lookback streams (TokenDataset::trainLookback()), or nullptr.
/// `transposeRandom` draws once per window (when transposing), in window order.
Batch makeBatch(const TokenDataset& data, const std::vector<std::vector<tokenize::TokenId>>& pieces,
                const std::vector<std::vector<tokenize::TokenId>>* lookbacks, std::span<const Window> windows,
                const TrainingConfig& config, SplitMix64* transposeRandom);

/// Sums of loss and hits over targets, for means over any stretch of batches.
struct Tally {
  double lossSum = 0.0;
  std::int64_t targets = 0;
  std::int64_t top1 = 0;
  std::int64_t top5 = 0;

  void add(const torch::Tensor& logits2d, const torch::Tensor& targets1d, double meanLoss) {
    torch::NoGradGuard noGrad;
    const std::int64_t n = targets1d.size(0);
    if (n == 0) return;
    lossSum += meanLoss * static_cast<double>(n);
    targets += n;
    top1 += logits2d.argmax(1).eq(targets1d).sum().item<std::int64_t>();
    const std::int64_t k = std::min<std::int64_t>(5, logits2d.size(1));
    top5 += std::get<1>(logits2d.topk(k, 1)).eq(targets1d.unsqueeze(1)).any(1).sum().item<std::int64_t>();
  }
  void add(const Tally& other) {
    lossSum += other.lossSum;
    targets += other.targets;
    top1 += other.top1;
    top5 += other.top5;
  }
  std::vector<double> sums() const {
    return {lossSum, static_cast<double>(targets), static_cast<double>(top1), static_cast<double>(top5)};
  }
  static Tally fromSums(const std::vector<double>& v) {
    Tally t;
    t.lossSum = v[0];
    t.targets = static_cast<std::int64_t>(std::llround(v[1]));
    t.top1 = static_cast<std::int64_t>(std::llround(v[2]));
    t.top5 = static_cast<std::int64_t>(std::llround(v[3]));
    return t;
  }
  double loss() const { return targets ? lossSum / static_cast<double>(targets) : NAN; }
  double accuracy() const { return targets ? static_cast<double>(top1) / static_cast<double>(targets) : NAN; }
  double top5Accuracy() const { return targets ? static_cast<double>(top5) / static_cast<double>(targets) : NAN; }
};

/// [begin, end) of `count` items that rank `rank` of `world` takes: contiguous, sizes differ by one at most.
std::pair<std::size_t, std::size_t> shardOf(std::size_t count, int rank, int world);

/// Validation (windows of the validation pieces; `onTraining`: of the training pieces, as drawn,
/// untransposed); with a process group, each rank measures its shard and the sums are shared.
Tally evaluate(model::LstmNetwork& network, const TokenDataset& data, const std::vector<Window>& allWindows,
               const TrainingConfig& config, distributed::ProcessGroup* group, bool onTraining = false);

} // namespace lyrebird::train
