#include "corpus/split.h"

#include "base/random.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

namespace lyrebird::corpus {

namespace {

std::uint64_t mix(std::uint64_t x) {
  return SplitMix64::mix(x + 0x9E3779B97F4A7C15ull);
}

std::uint64_t rank(std::uint64_t seed, std::string_view path) {
  std::uint64_t h = 0xCBF29CE484222325ull ^ mix(seed); // FNV-1a, seeded
  for (char c : path) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  return mix(h);
}

enum class Part { None, Train, Valid, Test };

Part folderPart(std::string_view path) {
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos) return Part::None;
  std::string top(path.substr(0, slash));
  std::transform(top.begin(), top.end(), top.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (top == "train" || top == "training") return Part::Train;
  if (top == "valid" || top == "validation" || top == "val") return Part::Valid;
  if (top == "test" || top == "testing") return Part::Test;
  return Part::None;
}

} // namespace

Split splitByFile(const std::vector<std::string>& relativePaths, const SplitOptions& options) {
  Split split;
  const std::size_t n = relativePaths.size();

  if (options.useFolderSplit) {
    bool hasTrain = false;
    bool hasValid = false;
    for (const std::string& p : relativePaths) {
      const Part part = folderPart(p);
      hasTrain = hasTrain || part == Part::Train;
      hasValid = hasValid || part == Part::Valid;
    }
    if (hasTrain && hasValid) {
      split.fromFolders = true;
      for (std::size_t i = 0; i < n; ++i) {
        switch (folderPart(relativePaths[i])) {
        case Part::Valid: split.valid.push_back(i); break;
        case Part::Test: split.test.push_back(i); break;
        default: split.train.push_back(i); break;
        }
      }
      return split;
    }
  }

  std::vector<std::pair<std::uint64_t, std::size_t>> ranked(n);
  for (std::size_t i = 0; i < n; ++i) {
    ranked[i] = {rank(options.seed, relativePaths[i]), i};
  }
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : relativePaths[a.second] < relativePaths[b.second];
  });

  const double validFraction = std::clamp(options.validFraction, 0.0, 1.0);
  const double testFraction = std::clamp(options.testFraction, 0.0, 1.0 - validFraction);
  auto count = [n](double fraction) {
    std::size_t c = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
    if (fraction > 0.0 && c == 0 && n >= 2) c = 1;
    return c;
  };
  std::size_t validCount = count(validFraction);
  std::size_t testCount = count(testFraction);
  // Leave at least one file to learn from.
  while (n > 0 && validCount + testCount >= n) {
    if (testCount > 0)
      --testCount;
    else if (validCount > 0)
      --validCount;
    else
      break;
  }
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t index = ranked[r].second;
    if (r < validCount)
      split.valid.push_back(index);
    else if (r < validCount + testCount)
      split.test.push_back(index);
    else
      split.train.push_back(index);
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.valid.begin(), split.valid.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

FileSplit splitCorpus(const Corpus& corpus, const SplitOptions& options) {
  std::vector<const CorpusFile*> loaded;
  std::vector<std::string> paths;
  for (const CorpusFile& file : corpus.files) {
    if (!file.loaded()) continue;
    loaded.push_back(&file);
    paths.push_back(file.relativePath);
  }
  const Split split = splitByFile(paths, options);
  FileSplit files;
  files.fromFolders = split.fromFolders;
  for (std::size_t i : split.train)
    files.train.push_back(loaded[i]);
  for (std::size_t i : split.valid)
    files.valid.push_back(loaded[i]);
  for (std::size_t i : split.test)
    files.test.push_back(loaded[i]);
  return files;
}

} // namespace lyrebird::corpus
