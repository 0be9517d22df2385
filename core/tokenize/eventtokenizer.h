#pragma once

#include "tokenize/tokenizer.h"

namespace lyrebird::tokenize {

/// Performance-RNN style events (Oore et al. 2018): NOTE_ON x128, NOTE_OFF x128,
/// TIME_SHIFT x timeShiftBins (timeShiftMs each, so 10 ms .. 1 s by default) and
/// VELOCITY x velocityBins, after "<unk>" at id 0: 389 ids by default. Times come from
/// the tempo map, so rhythm, dynamics and polyphony survive. Absolute times are
/// quantized (no drift): a round trip keeps every onset and release within
/// timeShiftMs / 2 (a note keeps at least one step of length) and every velocity in its bin.
class EventTokenizer : public Tokenizer {
public:
  explicit EventTokenizer(const TokenizerConfig& config);

  std::string name() const override { return "event"; }
  Vocabulary buildVocabulary(std::span<const midi::Score* const> scores, std::uint64_t minCount) const override;
  std::vector<TokenId> encode(const midi::Score& score, const Vocabulary& vocabulary) const override;
  std::unique_ptr<TokenDecoder> decoder(const Vocabulary& vocabulary) const override;
  bool transpose(std::span<TokenId> ids, int semitones, const Vocabulary& vocabulary) const override;
  std::vector<std::uint8_t> onsetPitches(TokenId id, const Vocabulary& vocabulary) const override;
  double quartersAdvanced(TokenId id, const Vocabulary& vocabulary) const override;
  int releasedPitch(TokenId id, const Vocabulary& vocabulary) const override;
  TokenId releaseToken(int pitch, const Vocabulary& vocabulary) const override;

  /// The fixed vocabulary ("on60", "off60", "wait1".."wait100", "vel0".."vel31").
  Vocabulary fixedVocabulary() const;

  TokenId noteOn(int pitch) const { return static_cast<TokenId>(kNoteOnBase + pitch); }
  TokenId noteOff(int pitch) const { return static_cast<TokenId>(kNoteOffBase + pitch); }
  TokenId timeShift(int steps) const { return static_cast<TokenId>(kTimeShiftBase + steps - 1); }
  TokenId velocity(int bin) const { return static_cast<TokenId>(velocityBase() + bin); }
  std::size_t vocabularySize() const { return static_cast<std::size_t>(velocityBase() + config().velocityBins); }

private:
  static constexpr int kNoteOnBase = 1;
  static constexpr int kNoteOffBase = 129;
  static constexpr int kTimeShiftBase = 257;
  int velocityBase() const { return kTimeShiftBase + config().timeShiftBins; }
};

} // namespace lyrebird::tokenize
