#pragma once

#include <cstdint>

namespace lyrebird {

/// splitmix64 (Steele, Lea & Flood 2014): a tiny, seedable generator whose sequence is the
/// same on every platform and standard library, so seeded shuffles, splits and samples
/// are reproducible everywhere (std:: distributions are not).
class SplitMix64 {
public:
  explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}

  std::uint64_t next() { return mix(m_state += 0x9E3779B97F4A7C15ull); }
  /// Uniform in [0, bound), bound > 0 (the modulo bias is below 2^-40 for our sizes).
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// The splitmix64 output function, also a good 64-bit hash finalizer.
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

private:
  std::uint64_t m_state;
};

} // namespace lyrebird
