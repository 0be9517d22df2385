#pragma once

#include "base/random.h"
#include "tokenize/vocabulary.h"

#include <cstdint>
#include <span>
#include <vector>

namespace lyrebird::generate {

/// How the next token is drawn from the network's logits.
struct SamplingOptions {
  double temperature = 1.0;       ///< 0 = greedy (argmax); < 1 sharper, > 1 flatter
  int topK = 0;                   ///< keep the k most likely tokens; 0 = all
  double topP = 1.0;              ///< keep the smallest set whose probability reaches p; 1 = all
  double repetitionPenalty = 1.0; ///< > 1 makes recently drawn tokens less likely (CTRL-style)
};

/// Draws token ids from logits with temperature, top-k, top-p, a repetition penalty and an
/// allowed-token mask. Seeded and platform-independent: the same seed, logits and options
/// give the same draws everywhere. One per generation thread (not thread-safe).
class Sampler {
public:
  explicit Sampler(std::uint64_t seed) : m_random(seed) {}

  /// `logits`: one per token id. `allowed`: one flag per id (empty: all allowed); when it
  /// allows nothing, it is ignored rather than failing. `recent`: tokens the repetition
  /// penalty applies to. `spared`: one flag per id (empty: none) for tokens drawn as the network
  /// predicts them: the draw is in two stages, a spared token or not at the network's own odds,
  /// and the temperature, top-k and top-p shape only the choice among the others.
  /// Returns an id in [0, logits.size()).
  tokenize::TokenId sample(std::span<const float> logits, const SamplingOptions& options,
                           std::span<const std::uint8_t> allowed = {}, std::span<const tokenize::TokenId> recent = {},
                           std::span<const std::uint8_t> spared = {});

  /// The probabilities sample() draws from (after every option), for tests and displays.
  std::vector<double> distribution(std::span<const float> logits, const SamplingOptions& options,
                                   std::span<const std::uint8_t> allowed = {},
                                   std::span<const tokenize::TokenId> recent = {},
                                   std::span<const std::uint8_t> spared = {}) const;

private:
  SplitMix64 m_random;
};

} // namespace lyrebird::generate
