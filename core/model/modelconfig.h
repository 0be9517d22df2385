#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace lyrebird::model {

/// The shape of a network; stored in every checkpoint. No torch types: the UI and the
/// CLI can read and edit it without torch headers.
struct ModelConfig {
  /// `single`: LSTM -> Dropout -> Dense(V) (model 1, after Mangal et al. 2019).
  /// `stacked`: LSTM x layers -> Dropout -> Dense(denseSize) -> ReLU -> Dropout -> Dense(V)
  /// (model 2 of the poster).
  enum class Arch { Single, Stacked };
  /// `scalar`: the token id divided by the vocabulary size, one float per step (as the
  /// originals); `embedding`: a learned vector per token.
  enum class Input { Scalar, Embedding };
  /// `last`: one target per window, after its last step (sliding windows, the originals);
  /// `all`: a target at every position (same network, far more learning per step).
  enum class Objective { Last, All };

  Arch arch = Arch::Stacked;
  Input input = Input::Embedding;
  Objective objective = Objective::All;
  int vocabularySize = 389;
  int hidden = 512;
  int layers = 3;         ///< LSTM layers (the `single` architecture of the poster has 1)
  double dropout = 0.3;   ///< between LSTM layers and in the head
  int denseSize = 256;    ///< hidden dense layer of the stacked head
  int embeddingSize = 64; ///< with Input::Embedding
  /// Beside each token the network reads what came next at the same place one and two bars
  /// before (tokenize::LookbackTracker), each through an embedding of its own added to the
  /// token's: Magenta's Lookback RNN inputs, so a figure is repeated by copying it. Needs an
  /// embedding input and a tokenizer that knows bars (grid).
  bool lookback = false;
  /// With lookback: two more outputs, "what followed here one bar back" and "... two bars back",
  /// which training uses in place of the token they name, and an input that says whether the
  /// present token repeated one of them: the labels of Magenta's Lookback RNN. A figure is then
  /// repeated by one likely choice instead of by relearning each of its tokens.
  bool repeatLabels = false;
  /// With lookback: the bar clock beside each token, where in its bar the music is (the bar's
  /// meter and the steps left to the bar line, tokenize::LookbackTracker::Lookback), each through
  /// an embedding of these many rows (0: no clock). Lookback RNN reads the step in the bar too; an
  /// LSTM otherwise has to remember a bar's length from its bar token, and measured it did not
  /// (takes of the 10-minute models ended 4/4 bars after two beats and 6/8 bars after three eighths).
  int clockMeters = 0;
  int clockSteps = 0;
  bool hasBarClock() const { return clockMeters > 0; }

  /// The network's outputs: the vocabulary, then the two repeat labels when it has them.
  int outputSize() const { return vocabularySize + (repeatLabels ? 2 : 0); }

  /// "key=value" lines; parse() reads them back and checks every value's range.
  std::string serialize() const;
  static Result<ModelConfig> parse(std::string_view text);
  /// Checks ranges; Error (ErrorKind::InvalidArgument) with a sentence for the first bad value.
  Status validate() const;
  friend bool operator==(const ModelConfig&, const ModelConfig&) = default;
};

/// A lookback network's input beside each token has these channels: the token one bar back,
/// the token two bars back, whether the token repeats one of the previous step's (0-3), and the
/// bar clock's meter and steps to the bar line (tokenize::LookbackTracker::Lookback).
inline constexpr int kLookbackChannels = 5;
inline constexpr int kRepeatingValues = 4;

std::string_view archName(ModelConfig::Arch arch);
std::string_view inputName(ModelConfig::Input input);
std::string_view objectiveName(ModelConfig::Objective objective);

} // namespace lyrebird::model
