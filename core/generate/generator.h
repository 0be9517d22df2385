#pragma once

#include "base/result.h"
#include "generate/sampler.h"
#include "generate/scale.h"
#include "midi/score.h"
#include "model/lstmstepper.h"
#include "tokenize/key.h"
#include "tokenize/tokenizer.h"
#include "tokenize/vocabulary.h"
#include "train/checkpoint.h"

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
  /// The defaults measured best (docs/measurements.md): over 36 takes of 30 s on the demo model and
  /// the default preset after 10 min on jsb-chorales, nottingham and piano-midi-de, with the loop and
  /// copy guards, temperature 0.95, top-p 0.98 and repeat 1.5 passed 30 of the 32 music checks
  /// (against the held-out openings); 0.9 / 0.95 / 1, the previous defaults, 29, with twice
  /// nottingham's rhythm distance. Less truncation keeps the corpus's rarer rhythms; the stronger
  /// repeat steering gives back the repetition the sharper sampling gave. With the bar clock and
  /// truncateNotesOnly, temperature 1 / top-p 1 passed fewer (35 of 40 against 38: wrong notes).
  /// The large bundled model measured the same temperature and top-p best (repeat: see below).
  SamplingOptions sampling{.temperature = 0.95, .topK = 0, .topP = 0.98, .repetitionPenalty = 1.0};
  std::uint64_t seed = 0;
  Length length;
  /// The key to write in, for a model trained in normalized keys (TrainingConfig::normalizeKeys):
  /// none draws one of the corpus's keys (as often as its training pieces use it) from the seed.
  /// A prime decides the key itself (the continuation stays in the prime's). Models that learned
  /// keys as they came write where they like.
  std::optional<tokenize::Key> key;
  std::optional<Scale> scale; ///< a hard constraint: new onsets stay in this scale
  int minPitch = 0;           ///< new onsets stay in [minPitch, maxPitch]
  int maxPitch = 127;
  int repetitionWindow = 32; ///< tokens the repetition penalty looks back on
  int maxPolyphony = 0;      ///< at most this many notes sound at once; 0 = no limit
  /// Repeat <-> vary, for tokens with bars and a lookback network: added to the logit of the
  /// token that would continue the figure of the bar before (what followed this place one bar
  /// back; with repeat labels, to the label "repeat one bar back"), in nats. 0 leaves the
  /// network alone; above 0 it repeats more, below 0 less. None: the model's own
  /// (Generator::defaultRepeat()).
  std::optional<double> repeat;
  /// The measured defaults of `repeat` (docs/measurements.md): a small network trained on a
  /// folder in minutes needs the push to repeat its figures; a large one trained on hours of
  /// music repeats by itself, and the same push makes it loop (distinct 4-gram ratio 0.42
  /// against the held-out music's 0.58, its pitch range narrowed by a third). The bundled model
  /// trained to 24 epochs repeats less than at 12: 1.0 passed 60 checks over it and three models
  /// fine-tuned from it where 0.75 passed 57 (24 takes each).
  /// The large network's default needs a network that learned much music: the 3 x 256 models of
  /// a 10-minute run (~1,200 steps) measured better at 1.5 (piano-midi-de 6 / 7 checks against
  /// 5 / 6 at 1.0, nottingham 7 / 7 against 7 / 6), so it goes to those trained for at least
  /// kWellTrainedSteps steps, or fine-tuned from such a model.
  static constexpr double kRepeatSmallNetwork = 1.5;
  static constexpr double kRepeatLargeNetwork = 1.0;
  static constexpr std::int64_t kWellTrainedSteps = 5000;
  /// Note density, fewer <-> more notes than the model would write: added to the logit of every
  /// token that starts a note, in nats (a repeat label by the token it stands for). 0 leaves the
  /// network alone; above 0 more notes, below 0 fewer.
  double density = 0.0;
  /// Dynamics: the velocities the model writes (1-127) are scaled into [minVelocity, maxVelocity],
  /// so its accents stay and the range is the one asked for. 1 and 127: as learned.
  int minVelocity = 1;
  int maxVelocity = 127;
  /// Repetition, not loops: once the music has repeated the bar before (or the one before
  /// that) token for token through this many bar lines, a note must differ from both, and
  /// `repeat` rests until the music varies. 0 = no limit. Tokens without bars ignore it.
  /// Measured (docs/measurements.md): 4 put the distinct 4-gram ratio inside the held-out
  /// music's range on the demo corpus, nottingham and piano-midi-de; 2 and 3 varied the demo's and
  /// nottingham's takes too much, 6 left piano-midi-de's looping.
  int maxRepeatBars = 4;
  /// No take copies more than 16 notes (in any key) of a training file: a note that would
  /// complete a run of 17 pitches found in the model's index of its training music
  /// (train::Checkpoint::copyIndex) is never drawn. Models saved without the index are not guarded.
  bool avoidCopies = true;
  /// The sampling's sharpening (temperature, top-k, top-p) shapes only which note comes: whether
  /// a note comes next at all, and the rhythm (positions, bar lines, note lengths, velocities,
  /// time shifts), are drawn as the network predicts them (Sampler's `spared` tokens). A cut tail
  /// of pitches is wrong notes; a cut tail of lengths and positions is the corpus's longer notes
  /// and rarer rhythms. Measured (docs/measurements.md): sharpening every token left
  /// final-fantasy-piano's notes 0.72 quarters long on average against its pieces' 0.99, and over
  /// five corpora this passed 38 / 37 music checks against 37 / 35. false: every token sharpened.
  bool truncateNotesOnly = true;
  /// Music to continue (its last window of tokens, at most the model's training window):
  /// a file, a corpus window (see prime.h), the piano roll's selection, a recording. None:
  /// start fresh from the corpus's most frequent token.
  std::optional<midi::Score> prime;
  int program = 0; ///< General MIDI program of the generated track
  /// Tempo written into the result; 0: the model's own (Generator::tempoBpm()). Grid models
  /// place notes on beats, so this sets their speed; event models' timing is in seconds at 120.
  double tempoBpm = 0.0;
  /// Notes the model started but did not release within this long end there, so an
  /// undertrained model leaves no note hanging to the end of the piece. 0 = no limit.
  double maxNoteSeconds = 4.0;
};

/// What a running generation reports, on the generating thread. Both optional.
struct GenerateListener {
  /// Every token as it is drawn, with the number drawn so far.
  std::function<void(tokenize::TokenId, std::size_t)> onToken;
  /// Every note start and end as soon as it is known, in the result's ticks (480 per
  /// quarter at GenerateOptions::tempoBpm), so playback and display can begin before the
  /// piece is finished. An End may lie ahead of the latest Start. The events describe
  /// the returned Score exactly.
  std::function<void(const tokenize::NoteEvent&)> onNote;
};

struct InfillOptions;
struct InfillCandidate;
struct InfillResult;

/// A trained model, ready to write music: carries the LSTM state from token to token, so
/// each new token costs one step of the network, not a pass over the whole window.
/// Load once, generate many times; not thread-safe (one generation at a time).
class Generator {
public:
  /// Loads a `.lyrebird` model file; a missing, damaged or foreign file is an Error.
  static Result<std::unique_ptr<Generator>> load(const std::filesystem::path& path);
  /// The same from a checkpoint in memory (a run in progress, a benchmark's random model).
  /// `precision`: how the LSTM weights are held while generating (see LstmStepper).
  static Result<std::unique_ptr<Generator>>
  fromCheckpoint(train::Checkpoint checkpoint,
                 model::LstmStepper::Precision precision = model::LstmStepper::Precision::Half);
  ~Generator();

  /// Generates one piece, streaming it to `listener`. A stop request ends early with what
  /// was made (a well-formed Score all the same). Same model, options and seed give the
  /// same piece, byte for byte, on a given machine. Fails only for impossible options.
  Result<midi::Score> generate(const GenerateOptions& options, const GenerateListener& listener = {},
                               std::stop_token stop = {});

  /// Regenerates a region of `piece` (infill.h): writes options.candidates fillings of its bars,
  /// each reading the music before the region (in the piece's key), and ranks them by how well
  /// the music after it follows, the model's likelihood of the next bars given each (a forward
  /// network fills a gap joining both sides that way). `onCandidate` hears each one as soon as it
  /// is written, before the ranking. Same piece, options and seed: the same candidates.
  /// InvalidArgument for a range outside the piece or reversed, or a model without bars (grid
  /// tokens); NoMusic for a piece without notes.
  Result<InfillResult> infill(const midi::Score& piece, const InfillOptions& options,
                              const std::function<void(const InfillCandidate&)>& onCandidate = {},
                              std::stop_token stop = {});

  const tokenize::Vocabulary& vocabulary() const;
  /// The model's training window, in tokens (the longest prime it reads).
  int windowTokens() const;
  std::string describe() const; ///< preset, tokenizer, network size, training progress, the model it started from
  /// What `repeat` is when options leave it out: the one measured for this network against its
  /// training music (train::Checkpoint::sampling, evaluate::calibrateRepeat()) when the file has
  /// it. Otherwise GenerateOptions::kRepeatLargeNetwork for a network of 3 x 256 or more that
  /// trained for GenerateOptions::kWellTrainedSteps or more, or started from another model;
  /// kRepeatSmallNetwork for the rest.
  double defaultRepeat() const;
  /// Whether `repeat` and `maxRepeatBars` act on this model: tokens with bars and a network that
  /// reads the lookback.
  bool steersRepeats() const;
  /// The tempo a generation with `options` is written at, BPM: options.tempoBpm, or for 0, for
  /// grid models, one of the corpus's tempos drawn by options.seed (its quantiles, so the takes
  /// spread as its pieces do; the typical tempo for models that did not keep them), and 120 for
  /// the others.
  double tempoBpm(const GenerateOptions& options) const;
  /// The corpus's typical (median) tempo for grid models, 120 for the others, BPM (a recording's
  /// grid when no tempo is given).
  double typicalTempoBpm() const;
  /// The key a generation with `options` and no prime is written in: options.key, or the one
  /// drawn from the corpus's keys by options.seed; nullopt for a model that does not normalize keys.
  std::optional<tokenize::Key> key(const GenerateOptions& options) const;
  /// The Score a generation with `options` fills: 480 ticks a quarter, its tempo, 4/4 (the
  /// meters the tokens name replace it), its key signature (when the key is known before the
  /// first note: no prime) and one empty track named "Lyrebird" with the program.
  midi::Score header(const GenerateOptions& options) const;
  /// The model file's training settings (its split of a corpus, its preset) and history.
  const train::TrainingConfig& trainingConfig() const;
  const std::vector<train::MetricsRecord>& history() const;

private:
  struct Impl;
  class Take;                  // one generation's state
  bool hasCorpusTempo() const; ///< a grid model that recorded its corpus's tempo
  explicit Generator(std::unique_ptr<Impl> impl);
  /// The outputs options allow in every step (pitch range, scale, chord size), for music moved
  /// by `shift` semitones as it is written; an Error for options that allow no note at all.
  Result<std::vector<std::uint8_t>> onsetMask(const GenerateOptions& options, int shift) const;
  /// The prime's last training window of tokens and all of them, in the learned key (moved by
  /// -shift); without a prime, the window is the start token and the whole prime empty.
  std::pair<std::vector<tokenize::TokenId>, std::vector<tokenize::TokenId>>
  primeTokens(const std::optional<midi::Score>& prime, int shift, std::uint64_t seed) const;
  std::unique_ptr<Impl> m_impl;
};

} // namespace lyrebird::generate
