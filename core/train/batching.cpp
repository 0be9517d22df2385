#include "train/batching.h"

#include <torch/nn/functional/loss.h>

#include <algorithm>

namespace lyrebird::train {

/// `transposeRandom` draws once per window (when transposing), in window order.
Batch makeBatch(const TokenDataset& data, const std::vector<std::vector<tokenize::TokenId>>& pieces,
                const std::vector<std::vector<tokenize::TokenId>>* lookbacks, std::span<const Window> windows,
                const TrainingConfig& config, SplitMix64* transposeRandom) {
  const auto b = static_cast<std::int64_t>(windows.size());
  const std::int64_t t = config.sequenceLength;
  const bool last = config.model.objective == model::ModelConfig::Objective::Last;
  Batch batch{torch::empty({b, t}, torch::kLong),
              last ? torch::empty({b}, torch::kLong) : torch::empty({b, t}, torch::kLong), {}};
  if (lookbacks) batch.lookback = torch::empty({b, t, 2}, torch::kLong);
  std::int64_t* inputs = batch.inputs.data_ptr<std::int64_t>();
  std::int64_t* targets = batch.targets.data_ptr<std::int64_t>();
  std::int64_t* back = lookbacks ? batch.lookback.data_ptr<std::int64_t>() : nullptr;
  std::vector<tokenize::TokenId> span(static_cast<std::size_t>(t + 1));
  std::vector<tokenize::TokenId> backSpan(lookbacks ? static_cast<std::size_t>(2 * t) : 0);
  for (std::int64_t i = 0; i < b; ++i) {
    const Window& w = windows[static_cast<std::size_t>(i)];
    const auto& piece = pieces[w.piece];
    std::copy_n(piece.begin() + w.start, t + 1, span.begin());
    if (lookbacks) std::copy_n((*lookbacks)[w.piece].begin() + 2 * w.start, 2 * t, backSpan.begin());
    if (transposeRandom && config.transpose > 0) {
      const int k = static_cast<int>(transposeRandom->below(static_cast<std::uint64_t>(2 * config.transpose + 1))) -
                    config.transpose;
      // Unchanged when out of range; the lookbacks move with the window they belong to.
      if (k != 0 && data.tokenizer().transpose(span, k, data.vocabulary()) && lookbacks) {
        data.tokenizer().transpose(backSpan, k, data.vocabulary());
      }
    }
    for (std::int64_t j = 0; j < t; ++j)
      inputs[i * t + j] = span[static_cast<std::size_t>(j)];
    for (std::size_t j = 0; j < backSpan.size(); ++j)
      back[static_cast<std::size_t>(i * 2 * t) + j] = backSpan[j];
    if (last) {
      targets[i] = span[static_cast<std::size_t>(t)];
    } else {
      for (std::int64_t j = 0; j < t; ++j)
        targets[i * t + j] = span[static_cast<std::size_t>(j + 1)];
    }
  }
  return batch;
}

/// [begin, end) of `count` items that rank `rank` of `world` takes: contiguous, sizes differ by one at most.
std::pair<std::size_t, std::size_t> shardOf(std::size_t count, int rank, int world) {
  const auto n = static_cast<std::size_t>(world);
  const auto r = static_cast<std::size_t>(rank);
  return {count * r / n, count * (r + 1) / n};
}

/// Validation; with a process group, each rank measures its shard and the sums are shared.
Tally evaluate(model::LstmNetwork& network, const TokenDataset& data, const std::vector<Window>& allWindows,
               const TrainingConfig& config, distributed::ProcessGroup* group) {
  Tally tally;
  const auto [first, last] = group ? shardOf(allWindows.size(), group->rank(), group->worldSize())
                                   : std::pair<std::size_t, std::size_t>{0, allWindows.size()};
  const std::span<const Window> windows = std::span(allWindows).subspan(first, last - first);
  torch::NoGradGuard noGrad;
  network->eval();
  const std::int64_t vocabulary = config.model.vocabularySize;
  for (std::size_t begin = 0; begin < windows.size(); begin += static_cast<std::size_t>(config.batch)) {
    const std::size_t end = std::min(windows.size(), begin + static_cast<std::size_t>(config.batch));
    const Batch batch = makeBatch(data, data.validPieces(), data.validLookback(), windows.subspan(begin, end - begin),
                                  config, nullptr);
    const torch::Tensor logits = network->forward(batch.inputs, batch.lookback).reshape({-1, vocabulary});
    const torch::Tensor targets = batch.targets.reshape({-1});
    tally.add(logits, targets, torch::nn::functional::cross_entropy(logits, targets).item<double>());
  }
  network->train();
  if (group) {
    std::vector<double> sums = tally.sums();
    group->allReduceSum(sums);
    tally = Tally::fromSums(sums);
  }
  return tally;
}

} // namespace lyrebird::train
