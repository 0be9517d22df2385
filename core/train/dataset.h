#pragma once

#include "base/random.h"
#include "base/result.h"
#include "corpus/copyindex.h"
#include "corpus/corpus.h"
#include "corpus/split.h"
#include "tokenize/tokenizer.h"
#include "train/trainingconfig.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lyrebird::train {

/// A window of one piece's token stream: inputs are tokens [start, start + length);
/// the targets follow one token later (all positions) or only after the last one.
struct Window {
  std::uint32_t piece = 0;
  std::uint32_t start = 0;
};

/// Which tokenizer suits the loaded music of `corpus`: grid when at least
/// TrainingConfig::kMetricalShare of its onsets lie on the grid (sequenced or engraved music),
/// event otherwise (recorded performances). `share` receives the measured share.
tokenize::TokenizerConfig::Kind chooseTokenizerKind(const corpus::Corpus& corpus, int gridResolution, double* share);

/// The tokenized corpus, split by file, and the windows training draws from.
/// Built once per run on the caller's thread; read-only afterwards (thread-safe).
class TokenDataset {
public:
  /// Tokenizes the loaded files of `corpus` (each moved to C major or A minor first when
  /// config.normalizeKeys; a piece that would leave the MIDI range by the nearest way goes the
  /// other way, or stays where it is). The vocabulary comes from `vocabulary` when
  /// given (resuming: the checkpoint's) or is built from the training split only, so
  /// validation never leaks into it. Fails with a sentence when there is nothing to
  /// learn from (no loaded file, or no piece as long as one window plus one token).
  static Result<TokenDataset> build(const corpus::Corpus& corpus, const TrainingConfig& config,
                                    const tokenize::Vocabulary* vocabulary = nullptr);

  const tokenize::Tokenizer& tokenizer() const { return *m_tokenizer; }
  const tokenize::Vocabulary& vocabulary() const { return m_vocabulary; }
  const std::vector<std::vector<tokenize::TokenId>>& trainPieces() const { return m_train; }
  const std::vector<std::vector<tokenize::TokenId>>& validPieces() const { return m_valid; }
  const std::vector<std::string>& trainFiles() const { return m_trainFiles; }
  const std::vector<std::string>& validFiles() const { return m_validFiles; }
  std::size_t trainTokens() const;
  /// With ModelConfig::lookback: per piece, each token's lookback (one bar back, two bars back,
  /// its repeating flags) interleaved, model::kLookbackChannels values a token; nullptr without.
  const std::vector<std::vector<tokenize::TokenId>>* trainLookback() const {
    return m_config.model.lookback ? &m_trainLookback : nullptr;
  }
  const std::vector<std::vector<tokenize::TokenId>>* validLookback() const {
    return m_config.model.lookback ? &m_validLookback : nullptr;
  }

  /// Training windows of one epoch, in a shuffled order that depends only on (seed, epoch).
  /// Objective::Last: every start (a sliding window, one target each). Objective::All: each
  /// piece's first window, then consecutive windows from an offset that changes every epoch,
  /// each moved back to the start of its bar where the tokenizer writes bars.
  std::vector<Window> trainWindows(std::uint64_t seed, int epoch) const;
  /// Validation windows: at most config.maxValidWindows, evenly spread, fixed for a run.
  std::vector<Window> validWindows() const;

  /// Training pieces per key (tokenize::Key::index()), as estimated before key normalization.
  const std::array<std::uint32_t, 24>& trainKeys() const { return m_trainKeys; }
  /// The median over the training pieces of each one's mean tempo (quarters over seconds), BPM.
  double trainTempoBpm() const { return m_trainTempoBpm; }
  /// The spread of the training pieces' mean tempos: kTempoQuantiles evenly spaced quantiles
  /// (fewer for fewer pieces), slowest first, BPM.
  const std::vector<double>& trainTempos() const { return m_trainTempos; }
  static constexpr std::size_t kTempoQuantiles = 16;

  /// Every run of 17 pitches of the training files, for the generator's copy guard.
  const corpus::CopyIndex& copyIndex() const { return m_copyIndex; }

  /// Hash of the training and validation files' names, sizes and tokens; a resumed run
  /// checks that it sees the same data.
  const std::string& fingerprint() const { return m_fingerprint; }

private:
  std::vector<Window> windows(const std::vector<std::vector<tokenize::TokenId>>& pieces, std::uint32_t offset) const;

  TrainingConfig m_config;
  std::unique_ptr<tokenize::Tokenizer> m_tokenizer;
  tokenize::Vocabulary m_vocabulary;
  std::vector<std::vector<tokenize::TokenId>> m_train;
  std::vector<std::vector<tokenize::TokenId>> m_valid;
  std::vector<std::vector<tokenize::TokenId>> m_trainLookback;
  std::vector<std::vector<tokenize::TokenId>> m_validLookback;
  std::vector<std::string> m_trainFiles;
  std::vector<std::string> m_validFiles;
  std::string m_fingerprint;
  std::array<std::uint32_t, 24> m_trainKeys{};
  double m_trainTempoBpm = 120.0;
  std::vector<double> m_trainTempos;
  corpus::CopyIndex m_copyIndex;
};

} // namespace lyrebird::train
