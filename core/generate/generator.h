#pragma once

#include "generate/sampler.h"
#include "generate/scale.h"
#include "midi/result.h"
#include "midi/score.h"
#include "tokenize/vocabulary.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

namespace lyrebird::generate {

/// How long a generated piece is.
struct Length {
  enum class Unit { Tokens, Seconds, Bars };
  Unit unit = Unit::Seconds;
  double amount = 30.0;

  /// Parses "500tokens", "30s", "16bars" (also "500 tokens", "30 seconds", "16 bars").
  static Result<Length> parse(std::string_view text);
};

struct GenerateOptions {
  SamplingOptions sampling;
  std::uint64_t seed = 0;
  Length length;
  std::optional<Scale> scale;      ///< new onsets stay in this key
  int minPitch = 0;                ///< new onsets stay in [minPitch, maxPitch]
  int maxPitch = 127;
  int repetitionWindow = 32;       ///< tokens the repetition penalty looks back on
  std::optional<midi::Score> prime; ///< music to continue (its last window of tokens); none: start fresh
  int program = 0;                 ///< General MIDI program of the generated track
  double tempoBpm = 120.0;         ///< tempo written into the result (bars are counted in 4/4 at it)
  /// Notes the model started but did not release within this long end there, so an
  /// undertrained model leaves no note hanging to the end of the piece. 0 = no limit.
  double maxNoteSeconds = 4.0;
};

/// A trained model, ready to write music: carries the LSTM state from token to token, so
/// each new token costs one step of the network, not a pass over the whole window.
/// Load once, generate many times; not thread-safe (one generation at a time).
class Generator {
public:
  /// Loads a `.lyrebird` model file; a missing, damaged or foreign file is an Error.
  static Result<std::unique_ptr<Generator>> load(const std::filesystem::path& path);
  ~Generator();

  /// Generates one piece. `onToken` (optional) sees every token as it is drawn, with the
  /// number drawn so far. A stop request ends early with what was made. Same model, options
  /// and seed give the same piece, byte for byte.
  Result<midi::Score> generate(const GenerateOptions& options,
                               const std::function<void(tokenize::TokenId, std::size_t)>& onToken = {},
                               std::stop_token stop = {});

  const tokenize::Vocabulary& vocabulary() const;
  std::string describe() const; ///< preset, tokenizer, network size and training progress

private:
  struct Impl;
  explicit Generator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

} // namespace lyrebird::generate
