#pragma once

#include "base/result.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lyrebird::train {

/// One point of the training curves. Valid fields are NaN when not measured.
struct MetricsRecord {
  enum class Kind { Batches, Epoch };
  Kind kind = Kind::Batches;
  int epoch = 0;              ///< 1-based epoch this point belongs to
  std::int64_t step = 0;      ///< optimizer steps (batches) since the run began
  double trainLoss = NAN;     ///< mean cross-entropy (nats per target) since the last point
  double trainAccuracy = NAN; ///< top-1, 0..1
  double trainTop5 = NAN;     ///< top-5, 0..1
  double validLoss = NAN;
  double validAccuracy = NAN;
  double validTop5 = NAN;
  double tokensPerSecond = 0.0; ///< training targets per second since the last point
  double learningRate = 0.0;
  double elapsedSeconds = 0.0;     ///< training time of the run (resumed runs continue it)
  double etaSeconds = 0.0;         ///< to the end of the planned epochs
  std::int64_t batchInEpoch = 0;   ///< batches done in this epoch (not stored in CSV)
  std::int64_t batchesInEpoch = 0; ///< batches in this epoch (not stored in CSV)

  /// exp(validLoss) when measured, else exp(trainLoss).
  double perplexity() const { return std::exp(std::isnan(validLoss) ? trainLoss : validLoss); }
};

/// The CSV header: epoch,step,kind,train_loss,train_acc,train_top5,valid_loss,valid_acc,
/// valid_top5,perplexity,tokens_per_s,learning_rate,elapsed_s,eta_s
std::string metricsCsvHeader();
/// One CSV line (no newline); unmeasured values are empty cells.
std::string metricsCsvRow(const MetricsRecord& record);
/// The whole history as CSV (header + rows).
std::string metricsToCsv(const std::vector<MetricsRecord>& history);
/// Parses metricsToCsv()'s output; ErrorKind::Corrupt on anything else.
Result<std::vector<MetricsRecord>> metricsFromCsv(std::string_view csv);

} // namespace lyrebird::train
