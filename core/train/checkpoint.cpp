#include "train/checkpoint.h"

#include "base/atomicfile.h"
#include "base/settingstext.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace lyrebird::train {

namespace {

// "LYREBIRD" + format version. Layout after it: u32 section count, then per section
// u32 name length, name, u64 data length, u32 CRC-32 of the data, data. Little endian.
constexpr std::string_view kMagic = "LYREBIRD-MODEL\n";
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kMaxSections = 64;

void putU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void putU64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string progressText(const TrainingProgress& p) {
  char text[512];
  std::snprintf(text, sizeof text,
                "epochs_done=%d\nstep=%lld\nbatch_in_epoch=%lld\nbest_valid_loss=%.17g\n"
                "epochs_without_improvement=%d\nlearning_rate=%.17g\nelapsed_seconds=%.17g\n",
                p.epochsDone, static_cast<long long>(p.step), static_cast<long long>(p.batchInEpoch), p.bestValidLoss,
                p.epochsWithoutImprovement, p.learningRate, p.elapsedSeconds);
  return text;
}

bool parseProgress(std::string_view text, TrainingProgress& p) {
  std::istringstream in{std::string(text)};
  std::string line;
  int seen = 0;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) return false;
    const std::string key = line.substr(0, eq);
    const char* value = line.c_str() + eq + 1;
    char* end = nullptr;
    if (key == "epochs_done")
      p.epochsDone = static_cast<int>(std::strtol(value, &end, 10));
    else if (key == "step")
      p.step = std::strtoll(value, &end, 10);
    else if (key == "batch_in_epoch")
      p.batchInEpoch = std::strtoll(value, &end, 10);
    else if (key == "best_valid_loss")
      p.bestValidLoss = std::strtod(value, &end);
    else if (key == "epochs_without_improvement")
      p.epochsWithoutImprovement = static_cast<int>(std::strtol(value, &end, 10));
    else if (key == "learning_rate")
      p.learningRate = std::strtod(value, &end);
    else if (key == "elapsed_seconds")
      p.elapsedSeconds = std::strtod(value, &end);
    else
      return false;
    if (end == value) return false;
    ++seen;
  }
  return seen == 7 && p.epochsDone >= 0 && p.step >= 0 && p.batchInEpoch >= 0;
}

std::string samplingText(const SamplingCalibration& s) {
  std::string text;
  appendSetting(text, "repeat", exactNumber(s.repeat));
  appendSetting(text, "target_4gram_ratio", exactNumber(s.targetRatio));
  appendSetting(text, "achieved_4gram_ratio", exactNumber(s.achievedRatio));
  appendSetting(text, "takes", std::to_string(s.takes));
  appendSetting(text, "seconds", exactNumber(s.seconds));
  return text;
}

bool parseSampling(std::string_view text, SamplingCalibration& s) {
  bool hasRepeat = false;
  const std::optional<std::string> problem = forEachSetting(text, [&](std::string_view key, const std::string& value) {
    if (key == "repeat") return hasRepeat = parseNumber(value, s.repeat);
    if (key == "target_4gram_ratio") return parseNumber(value, s.targetRatio);
    if (key == "achieved_4gram_ratio") return parseNumber(value, s.achievedRatio);
    if (key == "takes") return parseNumber(value, s.takes);
    if (key == "seconds") return parseNumber(value, s.seconds);
    return true; // a later version's addition
  });
  return !problem && hasRepeat && std::isfinite(s.repeat) && std::abs(s.repeat) <= 10.0;
}

} // namespace

std::string modelFingerprint(const Checkpoint& checkpoint) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view bytes) {
    for (unsigned char byte : bytes) {
      hash ^= byte;
      hash *= 0x100000001b3ULL;
    }
  };
  mix(checkpoint.modelState);
  for (std::size_t id = 0; id < checkpoint.vocabulary.size(); ++id) {
    mix(checkpoint.vocabulary.token(static_cast<tokenize::TokenId>(id)));
    mix(std::string_view("\0", 1));
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::uint32_t crc32(std::string_view bytes) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char ch : bytes)
    crc = table[(crc ^ static_cast<std::uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::string encodeCheckpoint(const Checkpoint& c) {
  std::vector<std::pair<std::string, std::string>> sections = {
      {"config", c.config.serialize()},       {"vocabulary", c.vocabulary.serialize()},
      {"history", metricsToCsv(c.history)},   {"fingerprint", c.corpusFingerprint},
      {"progress", progressText(c.progress)}, {"model", c.modelState},
      {"optimizer", c.optimizerState},        {"rng", c.rngState},
  };
  if (c.copyIndex.notes() > 0) sections.emplace_back("copy-index", c.copyIndex.serialize());
  if (c.sampling) sections.emplace_back("sampling", samplingText(*c.sampling));
  std::string out(kMagic);
  putU32(out, kVersion);
  putU32(out, static_cast<std::uint32_t>(sections.size()));
  for (const auto& [name, data] : sections) {
    putU32(out, static_cast<std::uint32_t>(name.size()));
    out += name;
    putU64(out, data.size());
    putU32(out, crc32(data));
    out += data;
  }
  return out;
}

Result<Checkpoint> decodeCheckpoint(std::string_view bytes, const std::string& path) {
  std::size_t pos = 0;
  auto fail = [&](ErrorKind kind, const std::string& message) {
    return Error{kind, path, static_cast<std::int64_t>(pos), message};
  };
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    pos = 0;
    return fail(ErrorKind::Corrupt, "This is not a Lyrebird model file.");
  }
  pos = kMagic.size();
  auto take = [&](std::size_t n, std::string_view& out) {
    if (bytes.size() - pos < n) return false;
    out = bytes.substr(pos, n);
    pos += n;
    return true;
  };
  auto u32 = [&](std::uint32_t& v) {
    std::string_view b;
    if (!take(4, b)) return false;
    v = 0;
    for (int i = 3; i >= 0; --i)
      v = (v << 8) | static_cast<std::uint8_t>(b[static_cast<std::size_t>(i)]);
    return true;
  };
  auto u64 = [&](std::uint64_t& v) {
    std::string_view b;
    if (!take(8, b)) return false;
    v = 0;
    for (int i = 7; i >= 0; --i)
      v = (v << 8) | static_cast<std::uint8_t>(b[static_cast<std::size_t>(i)]);
    return true;
  };
  const std::string cut = "The model file is incomplete (cut off while being written or copied).";
  std::uint32_t version = 0;
  std::uint32_t count = 0;
  if (!u32(version) || !u32(count)) return fail(ErrorKind::Truncated, cut);
  if (version != kVersion) {
    return fail(ErrorKind::Corrupt, "This model file has format version " + std::to_string(version) +
                                        "; this Lyrebird reads version " + std::to_string(kVersion) + ".");
  }
  if (count > kMaxSections) return fail(ErrorKind::Corrupt, "The model file is damaged (impossible section count).");
  std::map<std::string, std::string_view> sections;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t nameLength = 0;
    std::string_view name;
    std::uint64_t length = 0;
    std::uint32_t crc = 0;
    std::string_view data;
    if (!u32(nameLength)) return fail(ErrorKind::Truncated, cut);
    if (nameLength > 64) return fail(ErrorKind::Corrupt, "The model file is damaged (impossible section name).");
    if (!take(nameLength, name) || !u64(length) || !u32(crc)) return fail(ErrorKind::Truncated, cut);
    if (length > bytes.size() - pos) return fail(ErrorKind::Truncated, cut);
    const std::size_t sectionStart = pos;
    take(static_cast<std::size_t>(length), data);
    if (crc32(data) != crc) {
      pos = sectionStart;
      return fail(ErrorKind::Corrupt,
                  "The model file is damaged: its '" + std::string(name) + "' section does not match its checksum.");
    }
    sections[std::string(name)] = data;
  }
  for (const char* required :
       {"config", "vocabulary", "history", "fingerprint", "progress", "model", "optimizer", "rng"}) {
    if (!sections.count(required)) {
      return fail(ErrorKind::Corrupt, std::string("The model file lacks its '") + required + "' section.");
    }
  }
  Checkpoint c;
  auto annotate = [&](Error e) {
    e.path = path;
    return e;
  };
  Result<TrainingConfig> config = TrainingConfig::parse(sections["config"]);
  if (!config) return annotate(config.error());
  c.config = std::move(*config);
  Result<tokenize::Vocabulary> vocabulary = tokenize::Vocabulary::deserialize(sections["vocabulary"]);
  if (!vocabulary) return annotate(vocabulary.error());
  c.vocabulary = std::move(*vocabulary);
  if (static_cast<std::size_t>(c.config.model.vocabularySize) != c.vocabulary.size()) {
    return fail(ErrorKind::Corrupt, "The model file is damaged: the network and the vocabulary disagree in size.");
  }
  Result<std::vector<MetricsRecord>> history = metricsFromCsv(sections["history"]);
  if (!history) return annotate(history.error());
  c.history = std::move(*history);
  c.corpusFingerprint = std::string(sections["fingerprint"]);
  if (!parseProgress(sections["progress"], c.progress)) {
    return fail(ErrorKind::Corrupt, "The model file is damaged: its training progress cannot be read.");
  }
  c.modelState = std::string(sections["model"]);
  c.optimizerState = std::string(sections["optimizer"]);
  c.rngState = std::string(sections["rng"]);
  if (const auto it = sections.find("copy-index"); it != sections.end()) {
    Result<corpus::CopyIndex> index = corpus::CopyIndex::deserialize(it->second);
    if (!index) return annotate(index.error());
    c.copyIndex = std::move(*index);
  }
  if (const auto it = sections.find("sampling"); it != sections.end()) {
    SamplingCalibration sampling;
    if (!parseSampling(it->second, sampling)) {
      return fail(ErrorKind::Corrupt, "The model file is damaged: its sampling settings cannot be read.");
    }
    c.sampling = sampling;
  }
  return c;
}

Status writeCheckpoint(const Checkpoint& checkpoint, const std::filesystem::path& path) {
  const std::string bytes = encodeCheckpoint(checkpoint);
  return writeFileAtomically(path, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

Result<Checkpoint> readCheckpoint(const std::filesystem::path& path) {
  const std::string pathText = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Error{ErrorKind::NotFound, pathText, -1, "The model file does not exist."};
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Error{ErrorKind::Io, pathText, -1, "This is a folder, not a Lyrebird model file."};
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > (std::uintmax_t{4} << 30)) {
    return Error{ErrorKind::TooLarge, pathText, -1, "The file is larger than 4 GB; it is not a Lyrebird model file."};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorKind::Io, pathText, -1, "The model file cannot be opened."};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{ErrorKind::Io, pathText, -1, "Reading the model file failed."};
  return decodeCheckpoint(buffer.str(), pathText);
}

} // namespace lyrebird::train
