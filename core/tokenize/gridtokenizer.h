#pragma once

#include "tokenize/tokenizer.h"

#include <array>
#include <vector>

namespace lyrebird::tokenize {

/// Metrical tokens in the spirit of REMI (Huang & Yang 2020) and MidiTok's TSD: time lives on
/// the beat grid of the file's own ticks per quarter and time signatures (gridResolution steps a
/// quarter, 12 by default, so sixteenths and eighth-note triplets are exact), and every note is
/// written whole at its onset, so nothing has to be remembered to be released:
///
///     bar3/4 pos0 [vel20] p60 d12 p64 d12 pos12 p62 d6 ... bar3/4 ...
///
/// "barN/D" starts the next bar and names its meter (every bar: a window that starts anywhere
/// knows how long its bars are; bars longer than kMaxBarQuarters, or meters it cannot name, are
/// read as 4/4); "posK" is the onset's step in the bar; "velB" precedes a note whose velocity bin
/// differs from the previous note's; "pP" the pitch and "dK" the length in steps (exact up to a 4/4
/// bar, then by eighths up to two bars, by quarters up to four; longer notes end there). Empty bars
/// are written too. Tempo is not a token: decoded music is at 120 BPM and the generator writes the
/// tempo asked for (by default the corpus's typical one). Fixed vocabulary; transposable.
class GridTokenizer : public Tokenizer {
public:
  explicit GridTokenizer(const TokenizerConfig& config);

  std::string name() const override { return "grid"; }
  Vocabulary buildVocabulary(std::span<const midi::Score* const> scores, std::uint64_t minCount) const override;
  std::vector<TokenId> encode(const midi::Score& score, const Vocabulary& vocabulary) const override;
  std::unique_ptr<TokenDecoder> decoder(const Vocabulary& vocabulary) const override;
  bool transpose(std::span<TokenId> ids, int semitones, const Vocabulary& vocabulary) const override;
  std::vector<std::uint8_t> onsetPitches(TokenId id, const Vocabulary& vocabulary) const override;
  /// "posK" tokens and "bar" cannot know how far they move time without the stream before
  /// them; this is a duration token's length (the time a note takes), 0 for the rest.
  double quartersAdvanced(TokenId id, const Vocabulary& vocabulary) const override;
  /// A bar token, drawn by `seed` as often as the corpus's bars have its meter (the counts of
  /// `vocabulary`), so takes come in the corpus's meters; 4/4 for a vocabulary without counts.
  TokenId startToken(const Vocabulary& vocabulary, std::uint64_t seed) const override;
  std::unique_ptr<LookbackTracker> lookbackTracker() const override;
  int barMeter(TokenId id) const override { return isBar(id) ? id - kBarBase : -1; }

  static constexpr int kMaxBarQuarters = 8;
  /// The meters a bar token names: n/2 (n 1..4), n/4 (1..8), n/8 (1..16).
  struct Meter {
    std::uint8_t numerator;
    std::uint8_t denominator;
  };
  static constexpr std::size_t kMeters = 28;
  static std::array<Meter, kMeters> meters();
  /// The index of n/d in meters(), or of a meter of the same length in eighths, else of 4/4.
  static std::size_t meterIndex(int numerator, int denominator);
  /// Note lengths the "d" tokens stand for, in steps, ascending: every step up to a 4/4 bar,
  /// then eighths (or the nearest step) up to two bars, quarters up to four.
  const std::vector<int>& durationSteps() const { return m_durations; }
  /// The duration token index nearest `steps` (ties: the shorter).
  std::size_t durationBin(int steps) const;

  Vocabulary fixedVocabulary() const;

  /// Where the bars encode() writes start, in the score's ticks, through the bar its last note
  /// ends in, and one more: where that bar ends. Bar k (from 1) is the k-th bar token's.
  std::vector<std::int64_t> barStartTicks(const midi::Score& score) const;

  /// The bar token of meter `index` (into meters()).
  TokenId barToken(std::size_t meterIndex) const { return static_cast<TokenId>(kBarBase + meterIndex); }
  bool isBar(TokenId id) const { return id >= kBarBase && id < kBarBase + static_cast<int>(kMeters); }
  TokenId positionToken(int step) const { return static_cast<TokenId>(kPositionBase + step); }
  TokenId pitchToken(int pitch) const { return static_cast<TokenId>(pitchBase() + pitch); }
  TokenId durationToken(std::size_t bin) const { return static_cast<TokenId>(durationBase() + bin); }
  TokenId velocityToken(int bin) const { return static_cast<TokenId>(velocityBase() + bin); }
  int positions() const { return kMaxBarQuarters * config().gridResolution; }
  std::size_t vocabularySize() const { return static_cast<std::size_t>(velocityBase() + config().velocityBins); }

private:
  static constexpr int kBarBase = 1;
  static constexpr int kPositionBase = kBarBase + static_cast<int>(kMeters);
  int pitchBase() const { return kPositionBase + positions(); }
  int durationBase() const { return pitchBase() + 128; }
  int velocityBase() const { return durationBase() + static_cast<int>(m_durations.size()); }

  std::vector<int> m_durations;
};

/// How metrical a piece is: its non-drum notes' onsets and `total`, and how many of them lie
/// on the grid of `stepsPerQuarter` (within a tenth of a step): sequenced and engraved files
/// score near 1, recorded performances about 0.2.
struct GridFit {
  std::size_t onGrid = 0;
  std::size_t total = 0;
};
GridFit gridFit(const midi::Score& score, int stepsPerQuarter);

} // namespace lyrebird::tokenize
