#pragma once

#include "base/result.h"
#include "model/modelconfig.h"
#include "tokenize/tokenizer.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lyrebird::train {

/// Everything that defines a training run; stored in its checkpoints.
struct TrainingConfig {
  enum class Optimizer { Adam, RmsProp };

  std::string preset = "default";
  tokenize::TokenizerConfig tokenizer;
  model::ModelConfig model; ///< vocabularySize is set from the vocabulary when training starts
  Optimizer optimizer = Optimizer::Adam;
  double learningRate = 1e-3;
  double gradientClip = 1.0; ///< max global gradient norm; 0 turns clipping off
  int batch = 32;            ///< windows per step
  int sequenceLength = 128;  ///< window length in tokens
  int epochs = 10;
  std::uint64_t seed = 1;
  int threads = 1; ///< torch intra-op threads (see trainer.h for why 1)
  double validFraction = 0.1;
  int patience = 3;        ///< epochs without a better valid loss before stopping; 0 = never
  int plateauPatience = 1; ///< epochs without a better valid loss before lowering the rate
  double plateauFactor = 0.5;
  double minLearningRate = 1e-5;
  int metricsEveryBatches = 20;
  /// Random transposition of each window by up to +-k semitones; kTransposeAuto: the trainer
  /// chooses from the size of the training music (autoTranspose()) and records its choice.
  int transpose = 0;
  std::uint64_t minTokenCount = 1; ///< rarer tokens become "<unk>" (note-chord)
  int maxValidWindows = 2048;      ///< validation uses at most this many windows, evenly spread
  double maxMinutes = 0.0;         ///< stop (and save) after this long; 0 = no limit
  /// The trainer chooses the tokenizer from the corpus (chooseTokenizerKind()): grid for
  /// metrical music, event for recorded performances; it logs and records its choice in
  /// `tokenizer.kind` (the flag stays, so a model says the choice was automatic).
  bool autoTokenizer = false;
  /// The trainer sizes the network (LSTM layers and units) and its learning rate from the number
  /// of training tokens (applyAutoSize()), logs and records the choice; the flag stays.
  bool autoSize = false;
  /// Every piece is moved to C major or A minor (by its Krumhansl–Schmuckler key) before it is
  /// learned; generation moves the music to the key asked for, or to one of corpusKeys.
  bool normalizeKeys = false;
  /// With lookback inputs and tokens that know bars, the network also reads the bar clock (the
  /// trainer sizes model.clockMeters and model.clockSteps from the tokenizer when training starts).
  bool barClock = false;
  /// What the training music is like, recorded when training starts: how many training pieces
  /// are in each key (tokenize::Key::index()), their typical (median) tempo and the spread of
  /// their tempos (evenly spaced quantiles, slowest first; empty in models from before it was kept).
  std::array<std::uint32_t, 24> corpusKeys{};
  double corpusTempoBpm = 0.0;
  std::vector<double> corpusTemposBpm;
  double checkpointEveryMinutes = 10.0; ///< also save mid-epoch this often
  /// A run started from another model's network (train --from): that model's name (its file
  /// name without the extension) and fingerprint (train::modelFingerprint()); both empty for a
  /// network learned from scratch.
  std::string baseModel;
  std::string baseFingerprint;

  /// The presets: "seed-single" and "seed-stacked" (faithful to the poster: note-chord
  /// tokens, scalar input, last-step loss, window 100, RMSprop 1e-3, batch 64) and
  /// "default" (event tokens, embedding, a loss at every position, Adam, clipping).
  static Result<TrainingConfig> fromPreset(std::string_view name);

  static constexpr int kTransposeAuto = -1;
  /// Training music under this many tokens is transposed by up to +-3 semitones, larger
  /// music not at all. Measured with the default preset: on the 48-piece demo corpus (~135k
  /// tokens) +-3 reached a held-out loss of 3.27 where none plateaued at 3.76 (same steps);
  /// on piano-midi-de (2.5M) and nottingham (1.9M) none was better at every step and kept
  /// the corpus's keys (README, "Judging the music").
  /// Music learned in normalized keys is never transposed: that would move it out of the one key
  /// it is learned in (measured: a 2x32 grid model on six major scales, asked for D major, put
  /// 57-70% of its notes in D major with +-3 and 100% without).
  static constexpr std::size_t kAutoTransposeTokens = 500000;
  static int autoTranspose(std::size_t trainingTokens, bool normalizedKeys = false);
  /// The network for `trainingTokens` of music: under kSmallMusicTokens, 2 LSTM layers of 192 at
  /// a learning rate of 3e-3; at or above it, the preset's 3 x 256 at 2e-3. Measured on the demo
  /// corpus (139k tokens), 10 minutes, repeat labels, two runs side by side: 2x192 at 3e-3
  /// reached a held-out loss of 1.914 in 654 steps (early stopping), 2x256 at 2e-3 1.959 in 563,
  /// 3x256 at 2e-3 2.235 in 366; its takes passed 8 of 8 checks against 6 of 8 (README, "Judging the music").
  static constexpr std::size_t kSmallMusicTokens = 1000000;
  void applyAutoSize(std::size_t trainingTokens);
  /// Onsets of the training music on the grid (tokenize::gridOnsetShare()) at or above this
  /// share make it metrical: the grid tokenizer learns it; below, the event tokenizer.
  static constexpr double kMetricalShare = 0.9;
  static std::vector<std::string> presetNames();

  /// The settings of a run that starts from a model trained with `base` (fine-tuning): its
  /// network, tokens, keys and inputs; a fresh run's seed, epochs, patience and time limit
  /// (TrainingConfig{}'s); the learning rate kFineTuneRateFactor times the base's; the base
  /// recorded by `name` and `fingerprint`. What the new music is like (corpus keys, tempos) is
  /// measured again when the run starts.
  static TrainingConfig fineTuning(const TrainingConfig& base, std::string_view name, std::string_view fingerprint);
  static constexpr double kFineTuneRateFactor = 0.25;
  /// Whether a model trained with these settings can be the start of another run: grid and event
  /// models (a fixed vocabulary); InvalidArgument with a sentence for note-chord ones.
  Status usableAsBase() const;
  /// Whether a run with these settings can start from weights trained with `base`: the same
  /// tokens, network shape (dropout may differ), inputs and key handling. InvalidArgument with a
  /// sentence naming the first difference otherwise.
  Status canStartFrom(const TrainingConfig& base) const;

  /// "key=value" lines (tokenizer and model included, prefixed); parse() reads them back.
  std::string serialize() const;
  static Result<TrainingConfig> parse(std::string_view text);
  /// Range checks with a sentence for the first bad value (ErrorKind::InvalidArgument).
  Status validate() const;
};

} // namespace lyrebird::train
