#pragma once

#include "base/result.h"
#include "midi/score.h"
#include "tokenize/vocabulary.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lyrebird::tokenize {

/// Every setting of a tokenizer; stored in checkpoints so a model always decodes its
/// own tokens, whatever the current corpus.
struct TokenizerConfig {
  enum class Kind { NoteChord, Event, Grid };
  Kind kind = Kind::Event;

  // note-chord
  bool rhythm = false;                ///< add quantized duration and time to the next onset to each token
  int stepsPerQuarter = 4;            ///< rhythm grid: 4 = sixteenth notes
  int maxSteps = 32;                  ///< longest duration / gap on the grid (32 sixteenths = two 4/4 bars)
  double fixedStepQuarters = 0.5;     ///< faithful decoding: onsets this far apart, as the originals do
  double fixedDurationQuarters = 1.0; ///< faithful decoding: every note a quarter long

  // event
  int timeShiftMs = 10;    ///< TIME_SHIFT resolution
  int timeShiftBins = 100; ///< TIME_SHIFT tokens: 10 ms .. 1 s
  int velocityBins = 32;   ///< VELOCITY tokens (event and grid)

  // grid
  int gridResolution = 12; ///< steps per quarter note: 12 holds sixteenths and eighth-note triplets

  /// "note-chord", "event", "grid"; kindFromName() reads them back (nullopt for others).
  static std::string_view kindName(Kind kind);
  static std::optional<Kind> kindFromName(std::string_view name);

  /// "key=value" lines; parse() reads them back (unknown keys are an error).
  std::string serialize() const;
  static Result<TokenizerConfig> parse(std::string_view text);
  friend bool operator==(const TokenizerConfig&, const TokenizerConfig&) = default;
};

/// A note starting or ending, as a decoder meets it token by token.
struct NoteEvent {
  enum class Kind : std::uint8_t { Start, End };
  Kind kind = Kind::Start;
  std::uint32_t note = 0; ///< which note: the n-th started, from 0; an End names its Start
  std::int64_t ticks = 0; ///< in a decoded Score (kDecodedTicksPerQuarter, 120 BPM)
  std::uint8_t pitch = 0;
  std::uint8_t velocity = 0; ///< of the Start
  friend bool operator==(const NoteEvent&, const NoteEvent&) = default;
};

/// Decodes tokens one at a time, for streaming generation: each token's note starts and
/// ends come out as soon as the token is known. Tokenizer::decode is built on it, so a
/// streamed piece and a decoded one never disagree.
class TokenDecoder {
public:
  virtual ~TokenDecoder() = default;
  /// Appends the events `id` causes. Starts come in time order; an End may lie ahead of
  /// the current time (note-chord tokens carry their own length). Unknown ids do nothing.
  virtual void push(TokenId id, std::vector<NoteEvent>& out) = 0;
  /// Ends every note still sounding, at the current time.
  virtual void finish(std::vector<NoteEvent>& out) = 0;
  /// The current time (where the next onset would start), decoded ticks.
  virtual std::int64_t nowTicks() const = 0;
  /// Sets the state that tokens before this stream leave (a prime: its meter, dynamics, the
  /// place in its bar) without making notes. The default keeps nothing (event tokens carry no
  /// state a continuation needs that the network does not already have).
  virtual void prime(std::span<const TokenId> ids) { (void)ids; }
  /// The meters the stream has named so far, in decoded ticks (empty: the tokens name none).
  virtual std::vector<midi::TimeSignature> timeSignatures() const { return {}; }
  /// Clears the flag (one per token id) of every token that cannot come next in a well-formed
  /// stream from the current state; the default allows all (event tokens are always well-formed).
  virtual void restrictNext(std::vector<std::uint8_t>& allowed) const { (void)allowed; }
  /// Whether restrictNext() ever clears anything.
  virtual bool hasGrammar() const { return false; }
};

/// Follows a token stream and says, for each token pushed, what came next at the same place of
/// the bar one and two bars before: the inputs of Magenta's Lookback RNN (Waite et al. 2016),
/// for bar-structured tokens. A network that reads them beside each token repeats a figure by
/// copying it and varies it by not copying. The place of a token is its onset position in the bar
/// and its rank among the tokens since that position; kUnknown where the earlier bar had none.
/// It also says where in its bar the stream is (Lookback RNN's other input, the bar clock): the
/// bar's meter and the steps left to the bar line, so a network need not remember from the
/// bar token, many tokens back, how long the bar is.
class LookbackTracker {
public:
  virtual ~LookbackTracker() = default;
  struct Lookback {
    TokenId oneBar = 0;  ///< what followed this place one bar back: a candidate for the next token
    TokenId twoBars = 0; ///< ... two bars back
    /// Whether the token pushed was the previous push's oneBar (bit 0) or twoBars (bit 1),
    /// i.e. whether the music is repeating now (0-3, Magenta's "repeating" inputs).
    int repeating = 0;
    /// The bar clock: the current bar's meter, 1 + its index (0 before the first bar), and the
    /// steps from the current onset position to the bar line, 1 to clockSteps() (0: none).
    int meter = 0;
    int toBarLine = 0;
  };
  static constexpr int kRepeatingValues = 4;
  /// Rows the bar clock's values need: meters + 1 and steps + 1 (0, 0 for a tracker without one).
  virtual int clockMeters() const { return 0; }
  virtual int clockSteps() const { return 0; }
  /// The lookback after `id`, with `repeating` said of `id` itself.
  Lookback push(TokenId id) {
    int repeating = 0;
    if (m_last.oneBar != 0 && id == m_last.oneBar) repeating |= 1;
    if (m_last.twoBars != 0 && id == m_last.twoBars) repeating |= 2;
    m_last = next(id);
    m_last.repeating = repeating;
    return m_last;
  }

protected:
  /// oneBar and twoBars after `id`.
  virtual Lookback next(TokenId id) = 0;

private:
  Lookback m_last;
};

/// The one-track decoded Score (480 ticks per quarter, 120 BPM, notes sorted by start then
/// pitch) that a complete list of events describes.
midi::Score decodedScore(std::span<const NoteEvent> events);

/// Turns Scores into token ids and back. Implementations are immutable and thread-safe.
class Tokenizer {
public:
  virtual ~Tokenizer() = default;

  /// "note-chord", "event" or "grid".
  virtual std::string name() const = 0;
  const TokenizerConfig& config() const { return m_config; }

  /// The vocabulary for `scores` (counts filled). Event tokenizers have a fixed one;
  /// note-chord ones collect the tokens seen, keeping those seen at least minCount times.
  virtual Vocabulary buildVocabulary(std::span<const midi::Score* const> scores, std::uint64_t minCount) const = 0;

  /// The piece as token ids; tokens the vocabulary lacks become Vocabulary::kUnknown.
  /// All non-drum tracks are merged into one stream (drum tracks are skipped).
  virtual std::vector<TokenId> encode(const midi::Score& score, const Vocabulary& vocabulary) const = 0;

  /// A well-formed Score (one piano track, 480 ticks per quarter, 120 BPM) from ids;
  /// unknown or malformed ids are skipped.
  midi::Score decode(std::span<const TokenId> ids, const Vocabulary& vocabulary) const;

  /// A fresh streaming decoder (see TokenDecoder); `vocabulary` must outlive it.
  virtual std::unique_ptr<TokenDecoder> decoder(const Vocabulary& vocabulary) const = 0;

  /// Transposes encoded ids in place by `semitones`; returns false (leaving them
  /// unchanged) when a pitch would leave 0..127 or the tokenizer cannot transpose.
  virtual bool transpose(std::span<TokenId> ids, int semitones, const Vocabulary& vocabulary) const = 0;

  /// Pitches a token starts (a NOTE_ON's pitch, a chord's pitches); empty for others.
  virtual std::vector<std::uint8_t> onsetPitches(TokenId id, const Vocabulary& vocabulary) const = 0;

  /// How far a token moves time on, in quarter notes of a decoded Score.
  virtual double quartersAdvanced(TokenId id, const Vocabulary& vocabulary) const = 0;

  /// The pitch a token releases (an event NOTE_OFF), or -1 for tokens that release none
  /// (the default: note-chord tokens carry their own lengths).
  virtual int releasedPitch(TokenId id, const Vocabulary& vocabulary) const;
  /// The token that releases `pitch`, or Vocabulary::kUnknown when there is none.
  virtual TokenId releaseToken(int pitch, const Vocabulary& vocabulary) const;

  /// The meter a token starts a bar in (an index the tokenizer defines), or -1 for tokens that
  /// start no bar (the default: tokens without bars).
  virtual int barMeter(TokenId id) const;

  /// A fresh LookbackTracker for this tokenizer's streams, or nullptr when its tokens know no
  /// bars (the default: event and note-chord tokens).
  virtual std::unique_ptr<LookbackTracker> lookbackTracker() const;
  /// The lookback after every token of `ids` (see LookbackTracker), one per token (all kUnknown
  /// without a tracker).
  std::vector<LookbackTracker::Lookback> lookback(std::span<const TokenId> ids) const;

  /// The token a generation without a prime starts from (it may depend on the generation's
  /// `seed`); Vocabulary::kUnknown (the default): the corpus's most frequent token.
  virtual TokenId startToken(const Vocabulary& vocabulary, std::uint64_t seed) const;

  /// The tokenizer a config describes.
  static std::unique_ptr<Tokenizer> create(const TokenizerConfig& config);

protected:
  explicit Tokenizer(TokenizerConfig config) : m_config(config) {}
  /// `fixed` with each token's count in the encoded `scores` filled in (for fixed vocabularies:
  /// the app shows how the corpus uses them).
  Vocabulary counted(Vocabulary fixed, std::span<const midi::Score* const> scores) const;

private:
  TokenizerConfig m_config;
};

/// Ticks per quarter and tempo of decoded Scores.
inline constexpr int kDecodedTicksPerQuarter = 480;
inline constexpr std::uint32_t kDecodedMicrosecondsPerQuarter = 500000;

} // namespace lyrebird::tokenize
