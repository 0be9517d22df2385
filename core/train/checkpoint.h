#pragma once

#include "base/result.h"
#include "corpus/copyindex.h"
#include "tokenize/vocabulary.h"
#include "train/metrics.h"
#include "train/trainingconfig.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lyrebird::train {

/// Where a run stands; enough to continue it exactly.
struct TrainingProgress {
  int epochsDone = 0;            ///< completed epochs
  std::int64_t step = 0;         ///< optimizer steps since the run began
  std::int64_t batchInEpoch = 0; ///< batches done of the epoch in progress
  double bestValidLoss = INFINITY;
  int epochsWithoutImprovement = 0;
  double learningRate = 0.0;
  double elapsedSeconds = 0.0;
};

/// Sampling defaults measured for one network against its own training music
/// (evaluate::calibrateRepeat()): what makes its takes repeat their figures as that music does.
struct SamplingCalibration {
  /// GenerateOptions::repeat at which its takes' distinct 4-gram ratio meets `targetRatio`.
  double repeat = 0.0;
  double targetRatio = 0.0;   ///< the training pieces' openings, mean distinct 4-gram ratio
  double achievedRatio = 0.0; ///< the calibration takes' at `repeat` (interpolated between probes)
  int takes = 0;              ///< takes per probe
  double seconds = 0.0;       ///< each take's length, and the openings'
};

/// A `.lyrebird` model file: everything needed to continue training or to generate,
/// independent of the corpus it came from. Torch state travels as opaque bytes, so this
/// header (and the UI) stays free of torch.
struct Checkpoint {
  TrainingConfig config;
  tokenize::Vocabulary vocabulary;
  std::vector<MetricsRecord> history;
  std::string corpusFingerprint; ///< of the training files; resuming checks it
  TrainingProgress progress;
  std::string modelState;     ///< torch::serialize::OutputArchive bytes
  std::string optimizerState; ///< same, for the optimizer
  std::string rngState;       ///< torch's CPU generator state, for exact resumption
  /// The training files' runs of 17 pitches, so generation copies none of them (files
  /// written before it was kept have none, and their takes are not guarded).
  corpus::CopyIndex copyIndex;
  /// Measured after training (absent in files written before, and in a run's checkpoints until
  /// then). Training writes a fresh checkpoint after every step, so new weights never carry the
  /// old network's calibration.
  std::optional<SamplingCalibration> sampling;
};

/// Writes `checkpoint` atomically (temporary file, then rename). Each section carries a
/// CRC-32, so damage is found on reading.
Status writeCheckpoint(const Checkpoint& checkpoint, const std::filesystem::path& path);

/// Reads a file written by writeCheckpoint(). A missing, truncated, damaged or foreign
/// file gives an Error with a sentence saying which (NotFound, NotMidi is never used:
/// Truncated, Corrupt, or Io); no allocation is sized by an unchecked number.
Result<Checkpoint> readCheckpoint(const std::filesystem::path& path);

/// Serialized form, for tests and in-memory use.
std::string encodeCheckpoint(const Checkpoint& checkpoint);
Result<Checkpoint> decodeCheckpoint(std::string_view bytes, const std::string& path = {});

/// What identifies a model's network: 16 hex digits of a 64-bit FNV-1a hash of its weights and
/// its vocabulary's tokens (another after any training step, and for its export, whose LSTM
/// matrices are stored in half precision).
std::string modelFingerprint(const Checkpoint& checkpoint);

/// CRC-32 (IEEE 802.3), as zlib computes it.
std::uint32_t crc32(std::string_view bytes);

} // namespace lyrebird::train
