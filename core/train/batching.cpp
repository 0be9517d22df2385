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
  constexpr std::int64_t channels = model::kLookbackChannels;
  Batch batch{torch::empty({b, t}, torch::kLong),
              last ? torch::empty({b}, torch::kLong) : torch::empty({b, t}, torch::kLong),
              {}};
  if (lookbacks) batch.lookback = torch::empty({b, t, channels}, torch::kLong);
  std::int64_t* inputs = batch.inputs.data_ptr<std::int64_t>();
  std::int64_t* targets = batch.targets.data_ptr<std::int64_t>();
  std::int64_t* back = lookbacks ? batch.lookback.data_ptr<std::int64_t>() : nullptr;
  std::vector<tokenize::TokenId> span(static_cast<std::size_t>(t + 1));
  // The tokens one and two bars back, [t x 2], transposed with the window; the flags apart.
  std::vector<tokenize::TokenId> backSpan(lookbacks ? static_cast<std::size_t>(2 * t) : 0);
  std::vector<int> repeating(lookbacks ? static_cast<std::size_t>(t) : 0);
  std::vector<int> clock(lookbacks ? static_cast<std::size_t>(2 * t) : 0); // the bar clock, [t x 2]
  // Magenta's labels: a target that is what followed its place one (or two) bars back is
  // learned as "repeat one (two) bars back", the outputs after the vocabulary.
  const bool labels = lookbacks && config.model.repeatLabels;
  const auto repeatOne = static_cast<std::int64_t>(config.model.vocabularySize);
  auto target = [&](std::int64_t j) -> std::int64_t { // the target after input j
    const tokenize::TokenId next = span[static_cast<std::size_t>(j + 1)];
    if (labels) {
      const tokenize::TokenId one = backSpan[static_cast<std::size_t>(2 * j)];
      const tokenize::TokenId two = backSpan[static_cast<std::size_t>(2 * j + 1)];
      if (one != tokenize::Vocabulary::kUnknown && next == one) return repeatOne;
      if (two != tokenize::Vocabulary::kUnknown && next == two) return repeatOne + 1;
    }
    return next;
  };
  for (std::int64_t i = 0; i < b; ++i) {
    const Window& w = windows[static_cast<std::size_t>(i)];
    const auto& piece = pieces[w.piece];
    std::copy_n(piece.begin() + w.start, t + 1, span.begin());
    if (lookbacks) {
      const tokenize::TokenId* values = (*lookbacks)[w.piece].data() + static_cast<std::size_t>(channels) * w.start;
      for (std::int64_t j = 0; j < t; ++j) {
        backSpan[static_cast<std::size_t>(2 * j)] = values[channels * j];
        backSpan[static_cast<std::size_t>(2 * j + 1)] = values[channels * j + 1];
        repeating[static_cast<std::size_t>(j)] = values[channels * j + 2];
        clock[static_cast<std::size_t>(2 * j)] = values[channels * j + 3];
        clock[static_cast<std::size_t>(2 * j + 1)] = values[channels * j + 4];
      }
    }
    if (transposeRandom && config.transpose > 0) {
      const int k = static_cast<int>(transposeRandom->below(static_cast<std::uint64_t>(2 * config.transpose + 1))) -
                    config.transpose;
      // Unchanged when out of range; the lookbacks move with the window they belong to (and
      // what repeats still repeats).
      if (k != 0 && data.tokenizer().transpose(span, k, data.vocabulary()) && lookbacks) {
        data.tokenizer().transpose(backSpan, k, data.vocabulary());
      }
    }
    for (std::int64_t j = 0; j < t; ++j)
      inputs[i * t + j] = span[static_cast<std::size_t>(j)];
    if (lookbacks) {
      for (std::int64_t j = 0; j < t; ++j) {
        std::int64_t* out = back + (i * t + j) * channels;
        out[0] = backSpan[static_cast<std::size_t>(2 * j)];
        out[1] = backSpan[static_cast<std::size_t>(2 * j + 1)];
        out[2] = repeating[static_cast<std::size_t>(j)];
        out[3] = clock[static_cast<std::size_t>(2 * j)];
        out[4] = clock[static_cast<std::size_t>(2 * j + 1)];
      }
    }
    if (last) {
      targets[i] = target(t - 1);
    } else {
      for (std::int64_t j = 0; j < t; ++j)
        targets[i * t + j] = target(j);
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
               const TrainingConfig& config, distributed::ProcessGroup* group, bool onTraining) {
  Tally tally;
  const auto [first, last] = group ? shardOf(allWindows.size(), group->rank(), group->worldSize())
                                   : std::pair<std::size_t, std::size_t>{0, allWindows.size()};
  const std::span<const Window> windows = std::span(allWindows).subspan(first, last - first);
  torch::NoGradGuard noGrad;
  network->eval();
  const std::int64_t vocabulary = config.model.outputSize();
  for (std::size_t begin = 0; begin < windows.size(); begin += static_cast<std::size_t>(config.batch)) {
    const std::size_t end = std::min(windows.size(), begin + static_cast<std::size_t>(config.batch));
    const Batch batch = makeBatch(data, onTraining ? data.trainPieces() : data.validPieces(),
                                  onTraining ? data.trainLookback() : data.validLookback(),
                                  windows.subspan(begin, end - begin), config, nullptr);
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
