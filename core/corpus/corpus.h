#pragma once

#include "base/result.h"
#include "corpus/piecestats.h"
#include "midi/score.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace lyrebird::corpus {

/// One MIDI file of a corpus: loaded (score + stats) or failed (error).
struct CorpusFile {
  std::filesystem::path path; ///< as found under the root
  std::string relativePath;   ///< relative to the root, '/' separated (stable across machines)
  std::uintmax_t bytes = 0;
  std::optional<midi::Score> score; ///< set when loaded and LoadOptions::keepScores
  PieceStats stats;                 ///< of the score as kept (drum tracks removed unless included)
  std::size_t notesInFile = 0;      ///< notes in the file, drum tracks included
  std::vector<Error> warnings;      ///< recoverable problems of a loaded file
  std::optional<Error> error;       ///< why the file could not be loaded

  bool loaded() const { return !error.has_value(); }
};

/// Totals over a corpus. Durations, pitch range and polyphony cover loaded files only.
struct CorpusStats {
  std::size_t files = 0;
  std::size_t loaded = 0;
  std::size_t failed = 0;
  std::size_t withWarnings = 0;
  std::uintmax_t bytes = 0;
  std::size_t tracks = 0;
  std::size_t notes = 0;     ///< notes kept (drum notes only when included)
  std::size_t drumNotes = 0; ///< drum notes found in the files
  std::size_t notesInFiles = 0;
  double seconds = 0.0;
  int minPitch = -1;
  int maxPitch = -1;
  double meanPolyphony = 0.0; ///< time-weighted over all loaded pieces
  /// Share of the files' notes that are drum notes (0..1).
  double drumShare() const {
    return notesInFiles ? static_cast<double>(drumNotes) / static_cast<double>(notesInFiles) : 0.0;
  }
};

struct Corpus {
  std::filesystem::path root;
  std::vector<CorpusFile> files; ///< sorted by relativePath
  CorpusStats stats;
  bool includesDrums = false;
};

/// Progress of a load: files finished so far out of the total found.
struct LoadProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t failed = 0;
};

struct LoadOptions {
  /// Keep drum tracks (channel 10) in the scores; excluded by default since the
  /// pitched models do not learn percussion.
  bool includeDrums = false;
  /// Keep each Score in memory (false: statistics only, for `info` on huge folders).
  bool keepScores = true;
  /// Loader threads; 0 means one per hardware thread.
  unsigned threads = 0;
  /// Called on the thread that called loadCorpus(), at most ~20 times a second and once
  /// at the end. May be empty.
  std::function<void(const LoadProgress&)> progress;
};

/// True for names ending in .mid, .midi, .kar or .rmi in any letter case.
bool isMidiFileName(const std::filesystem::path& path);

/// Lists the MIDI files under `folder` recursively (not following folder symlinks),
/// sorted by relative path. Unreadable sub-folders are skipped.
Result<std::vector<std::filesystem::path>> findMidiFiles(const std::filesystem::path& folder);

/// Loads every MIDI file under `folder` on a pool of threads. One bad file never stops
/// the rest: it ends in CorpusFile::error. Fails only when the folder itself cannot be
/// read (ErrorKind::NotFound / Io) or when `stop` is requested (ErrorKind::Cancelled);
/// cancellation is checked between files.
Result<Corpus> loadCorpus(const std::filesystem::path& folder, const LoadOptions& options = {},
                          std::stop_token stop = {});

/// Recomputes corpus.stats from its files.
CorpusStats summarize(const std::vector<CorpusFile>& files);

} // namespace lyrebird::corpus
