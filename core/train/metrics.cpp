#include "train/metrics.h"

#include <cstdio>
#include <cstdlib>

namespace lyrebird::train {

namespace {

constexpr int kColumns = 14;

std::string cell(double v) {
  if (std::isnan(v)) return {};
  char text[40];
  std::snprintf(text, sizeof text, "%.9g", v);
  return text;
}

} // namespace

std::string metricsCsvHeader() {
  return "epoch,step,kind,train_loss,train_acc,train_top5,valid_loss,valid_acc,valid_top5,perplexity,"
         "tokens_per_s,learning_rate,elapsed_s,eta_s";
}

std::string metricsCsvRow(const MetricsRecord& r) {
  std::string s = std::to_string(r.epoch) + ',' + std::to_string(r.step) + ',' +
                  (r.kind == MetricsRecord::Kind::Epoch ? "epoch" : "batches");
  for (double v : {r.trainLoss, r.trainAccuracy, r.trainTop5, r.validLoss, r.validAccuracy, r.validTop5, r.perplexity(),
                   r.tokensPerSecond, r.learningRate, r.elapsedSeconds, r.etaSeconds}) {
    s += ',';
    s += cell(v);
  }
  return s;
}

std::string metricsToCsv(const std::vector<MetricsRecord>& history) {
  std::string s = metricsCsvHeader() + '\n';
  for (const MetricsRecord& r : history) {
    s += metricsCsvRow(r);
    s += '\n';
  }
  return s;
}

Result<std::vector<MetricsRecord>> metricsFromCsv(std::string_view csv) {
  auto bad = [](const std::string& why) {
    return Error{ErrorKind::Corrupt, {}, -1, "The metrics history is damaged: " + why + "."};
  };
  std::vector<MetricsRecord> out;
  std::size_t pos = csv.find('\n');
  if (pos == std::string_view::npos || csv.substr(0, pos) != metricsCsvHeader()) return bad("unexpected header");
  ++pos;
  while (pos < csv.size()) {
    std::size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    const std::string row(csv.substr(pos, end - pos));
    pos = end + 1;
    if (row.empty()) continue;
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = row.find(',', start);
      cells.push_back(row.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (cells.size() != kColumns) return bad("a row with " + std::to_string(cells.size()) + " cells");
    auto value = [&](std::size_t i) {
      if (cells[i].empty()) return static_cast<double>(NAN);
      char* endPtr = nullptr;
      const double v = std::strtod(cells[i].c_str(), &endPtr);
      return endPtr == cells[i].c_str() ? static_cast<double>(NAN) : v;
    };
    MetricsRecord r;
    r.epoch = std::atoi(cells[0].c_str());
    r.step = std::atoll(cells[1].c_str());
    r.kind = cells[2] == "epoch" ? MetricsRecord::Kind::Epoch : MetricsRecord::Kind::Batches;
    r.trainLoss = value(3);
    r.trainAccuracy = value(4);
    r.trainTop5 = value(5);
    r.validLoss = value(6);
    r.validAccuracy = value(7);
    r.validTop5 = value(8);
    r.tokensPerSecond = std::isnan(value(10)) ? 0.0 : value(10);
    r.learningRate = std::isnan(value(11)) ? 0.0 : value(11);
    r.elapsedSeconds = std::isnan(value(12)) ? 0.0 : value(12);
    r.etaSeconds = std::isnan(value(13)) ? 0.0 : value(13);
    out.push_back(r);
  }
  return out;
}

} // namespace lyrebird::train
