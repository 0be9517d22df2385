#pragma once

#include "tokenize/tokenizer.h"

#include <optional>

namespace lyrebird::tokenize {

/// The seed's tokenizer (Mangal et al. 2019; the widely copied Keras composer): one token
/// per onset, a pitch ("60") or a chord, the sorted pitches that start on the same tick
/// ("60.64.67"). With `rhythm`, each token also carries the onset's longest duration and
/// the time to the next onset on a grid of stepsPerQuarter ("60.64.67_d4_s2"), so the
/// rhythm survives; without it, decoding places onsets a fixed step apart, as the
/// originals do. Velocity is not kept (decoded notes have velocity 80).
class NoteChordTokenizer : public Tokenizer {
public:
  explicit NoteChordTokenizer(const TokenizerConfig& config);

  std::string name() const override { return "note-chord"; }
  Vocabulary buildVocabulary(std::span<const midi::Score* const> scores, std::uint64_t minCount) const override;
  std::vector<TokenId> encode(const midi::Score& score, const Vocabulary& vocabulary) const override;
  std::unique_ptr<TokenDecoder> decoder(const Vocabulary& vocabulary) const override;
  bool transpose(std::span<TokenId> ids, int semitones, const Vocabulary& vocabulary) const override;
  std::vector<std::uint8_t> onsetPitches(TokenId id, const Vocabulary& vocabulary) const override;
  double quartersAdvanced(TokenId id, const Vocabulary& vocabulary) const override;

  /// One onset as a token has it.
  struct Onset {
    std::vector<std::uint8_t> pitches; ///< ascending, distinct
    int durationSteps = 0;             ///< only with rhythm
    int stepsToNext = 0;               ///< only with rhythm
  };
  /// The onsets of a piece in order, as tokens describe them.
  std::vector<Onset> onsets(const midi::Score& score) const;
  std::string format(const Onset& onset) const;
  /// Parses format()'s output; nullopt for "<unk>" or malformed text.
  std::optional<Onset> parse(std::string_view token) const;

  static constexpr std::uint8_t kDecodedVelocity = 80;
};

} // namespace lyrebird::tokenize
