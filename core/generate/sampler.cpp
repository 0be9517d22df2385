#include "generate/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace lyrebird::generate {

std::vector<double> Sampler::distribution(std::span<const float> logits, const SamplingOptions& options,
                                          std::span<const std::uint8_t> allowed,
                                          std::span<const tokenize::TokenId> recent) const {
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
    p[i] = std::isfinite(scores[i]) ? std::exp((scores[i] - top) / options.temperature) : 0.0;
  }

  if (options.topK <= 0 && options.topP >= 1.0) {
    const double sum = std::accumulate(p.begin(), p.end(), 0.0);
    for (double& v : p) v /= sum;
    return p;
  }
  // Top-k and top-p keep a prefix of the ids sorted by probability (ties by id: stable).
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  std::size_t keep = n;
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
  for (std::size_t r = keep; r < n; ++r) p[order[r]] = 0.0;
  const double kept = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& v : p) v /= kept;
  return p;
}

tokenize::TokenId Sampler::sample(std::span<const float> logits, const SamplingOptions& options,
                                  std::span<const std::uint8_t> allowed, std::span<const tokenize::TokenId> recent) {
  const std::vector<double> p = distribution(logits, options, allowed, recent);
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
