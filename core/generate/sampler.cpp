#include "generate/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace lyrebird::generate {

namespace {

// Sharpens `p` (unnormalized probabilities at temperature 1, zero for excluded ids) over the ids
// with `member` set: temperature, then top-k and top-p within them. The result sums to 1 over
// those ids (all zero if none has mass).
void sharpen(std::vector<double>& p, const std::vector<double>& scores, const SamplingOptions& options,
             const std::vector<std::uint8_t>& member) {
  const std::size_t n = p.size();
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    if (member[i] && p[i] > 0.0) top = std::max(top, scores[i]);
  }
  if (!std::isfinite(top)) {
    for (std::size_t i = 0; i < n; ++i) {
      if (member[i]) p[i] = 0.0;
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (member[i]) p[i] = p[i] > 0.0 ? std::exp((scores[i] - top) / options.temperature) : 0.0;
  }
  // Top-k and top-p keep a prefix of the ids sorted by probability (ties by id: stable).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i) {
    if (member[i]) order.push_back(i);
  }
  const double total =
      std::accumulate(order.begin(), order.end(), 0.0, [&](double a, std::size_t i) { return a + p[i]; });
  if (options.topK > 0 || options.topP < 1.0) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    std::size_t keep = order.size();
    if (options.topK > 0) keep = std::min<std::size_t>(keep, static_cast<std::size_t>(options.topK));
    if (options.topP < 1.0) {
      double cumulative = 0.0;
      for (std::size_t r = 0; r < keep; ++r) {
        cumulative += p[order[r]] / total;
        if (cumulative >= options.topP) {
          keep = r + 1;
          break;
        }
      }
    }
    for (std::size_t r = keep; r < order.size(); ++r)
      p[order[r]] = 0.0;
  }
  const double kept =
      std::accumulate(order.begin(), order.end(), 0.0, [&](double a, std::size_t i) { return a + p[i]; });
  for (std::size_t i : order)
    p[i] /= kept;
}

} // namespace

std::vector<double> Sampler::distribution(std::span<const float> logits, const SamplingOptions& options,
                                          std::span<const std::uint8_t> allowed,
                                          std::span<const tokenize::TokenId> recent,
                                          std::span<const std::uint8_t> spared) const {
  const std::size_t n = logits.size();
  std::vector<double> scores(logits.begin(), logits.end());
  const bool anyAllowed = allowed.size() == n && std::any_of(allowed.begin(), allowed.end(), [](auto a) { return a; });
  constexpr double kExcluded = -std::numeric_limits<double>::infinity();
  if (anyAllowed) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!allowed[i]) scores[i] = kExcluded;
    }
  }
  if (options.repetitionPenalty > 1.0) {
    std::vector<bool> seen(n, false);
    for (tokenize::TokenId id : recent) {
      if (id < n && !seen[id]) {
        seen[id] = true;
        scores[id] = scores[id] > 0 ? scores[id] / options.repetitionPenalty : scores[id] * options.repetitionPenalty;
      }
    }
  }

  std::vector<double> p(n, 0.0);
  const auto best = static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
  if (options.temperature <= 0.0 || !std::isfinite(scores[best])) {
    p[best] = 1.0; // greedy
    return p;
  }
  const double top = scores[best];
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = std::isfinite(scores[i]) ? std::exp(scores[i] - top) : 0.0; // temperature 1
  }
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& v : p)
    v /= total;
  const bool anySpared = spared.size() == n && std::any_of(spared.begin(), spared.end(), [](auto s) { return s; });
  if (!anySpared) {
    // Every token sharpened alike.
    sharpen(p, scores, options, std::vector<std::uint8_t>(n, 1));
    return p;
  }
  // Two stages: whether the next token is a spared one or not is drawn as the network predicts;
  // only the choice among the others is sharpened.
  std::vector<std::uint8_t> others(n);
  double sparedMass = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    others[i] = !spared[i];
    if (spared[i]) sparedMass += p[i];
  }
  sharpen(p, scores, options, others);
  for (std::size_t i = 0; i < n; ++i) {
    if (others[i]) p[i] *= 1.0 - sparedMass;
  }
  const double sum = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& v : p)
    v /= sum; // only rounding (or no mass outside the spared ids) moves it from 1
  return p;
}

tokenize::TokenId Sampler::sample(std::span<const float> logits, const SamplingOptions& options,
                                  std::span<const std::uint8_t> allowed, std::span<const tokenize::TokenId> recent,
                                  std::span<const std::uint8_t> spared) {
  const std::vector<double> p = distribution(logits, options, allowed, recent, spared);
  const double u = m_random.uniform();
  double cumulative = 0.0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] <= 0.0) continue;
    last = i;
    cumulative += p[i];
    if (u < cumulative) return static_cast<tokenize::TokenId>(i);
  }
  return static_cast<tokenize::TokenId>(last); // rounding left u just above the sum
}

} // namespace lyrebird::generate
