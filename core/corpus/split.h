#pragma once

#include "corpus/corpus.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lyrebird::corpus {

struct SplitOptions {
  double validFraction = 0.1; ///< share of files for validation, 0..1
  double testFraction = 0.0;  ///< share of files held out for testing, 0..1
  std::uint64_t seed = 0;
  /// When the files sit under top-level folders named train/ and valid/ (or
  /// validation/), plus optionally test/, use that split instead (as the
  /// JSB Chorales and other published corpora ship). Files elsewhere go to train.
  bool useFolderSplit = true;
};

/// Indices into the list given to splitByFile(), each list ascending.
struct Split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> valid;
  std::vector<std::size_t> test;
  bool fromFolders = false; ///< the corpus's own train/valid/test folders were used
};

/// Splits files (never windows: windows of one piece overlap and would leak) into
/// train/valid/test. Deterministic for a seed and independent of the list's order:
/// each file is ranked by a hash of (seed, relative path), so adding files to a folder
/// moves few existing files between the sets. With at least two files and a non-zero
/// validFraction, valid gets at least one file and train keeps at least one.
Split splitByFile(const std::vector<std::string>& relativePaths, const SplitOptions& options = {});

/// A corpus's files split by file: the one rule the trainer, `evaluate` and `info` share, so the
/// music held out of training is exactly the music judged against. Every file that loaded takes
/// part (in the folder's order; splitByFile() over their relative paths); a file that failed
/// never does. Loaded with LoadOptions::keepScores, every file here has its score.
struct FileSplit {
  std::vector<const CorpusFile*> train;
  std::vector<const CorpusFile*> valid;
  std::vector<const CorpusFile*> test;
  bool fromFolders = false;
  bool empty() const { return train.empty() && valid.empty() && test.empty(); }
};
FileSplit splitCorpus(const Corpus& corpus, const SplitOptions& options);

} // namespace lyrebird::corpus
