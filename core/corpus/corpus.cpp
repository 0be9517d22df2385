#include "corpus/corpus.h"

#include "midi/smfreader.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lyrebird::corpus {

namespace fs = std::filesystem;

bool isMidiFileName(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".mid" || extension == ".midi" || extension == ".kar" || extension == ".rmi";
}

Result<std::vector<fs::path>> findMidiFiles(const fs::path& folder) {
  std::error_code ec;
  const fs::file_status status = fs::status(folder, ec);
  if (ec || !fs::exists(status)) {
    return Error{ErrorKind::NotFound, folder.string(), -1, "The folder does not exist."};
  }
  if (!fs::is_directory(status)) {
    return Error{ErrorKind::Io, folder.string(), -1, "This is a file, not a folder of MIDI files."};
  }
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    return Error{ErrorKind::Io, folder.string(), -1, "The folder cannot be read: " + ec.message() + "."};
  }
  std::vector<fs::path> found;
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      break; // an unreadable entry ends this walk; what was found so far is kept
    }
    std::error_code typeError;
    if (it->is_regular_file(typeError) && isMidiFileName(it->path())) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

namespace {

void loadOne(CorpusFile& file, const LoadOptions& options) {
  Result<midi::SmfFile> read = midi::readSmfFile(file.path);
  if (!read) {
    file.error = read.error();
    std::error_code ec;
    file.bytes = fs::file_size(file.path, ec);
    if (ec) file.bytes = 0;
    return;
  }
  midi::SmfFile& smf = read.value();
  file.bytes = smf.bytes;
  file.warnings = std::move(smf.warnings);
  midi::Score& score = smf.score;
  file.notesInFile = score.noteCount();
  std::size_t drumNotes = 0;
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) drumNotes += track.notes.size();
  }
  if (!options.includeDrums) {
    std::erase_if(score.tracks, [](const midi::Track& t) { return t.isDrum; });
  }
  file.stats = measurePiece(score);
  file.stats.drumNotes = drumNotes;
  if (options.keepScores) {
    file.score = std::move(score);
  }
}

} // namespace

CorpusStats summarize(const std::vector<CorpusFile>& files) {
  CorpusStats s;
  double noteSeconds = 0.0;
  double soundingSeconds = 0.0;
  for (const CorpusFile& f : files) {
    ++s.files;
    s.bytes += f.bytes;
    if (!f.loaded()) {
      ++s.failed;
      continue;
    }
    ++s.loaded;
    if (!f.warnings.empty()) ++s.withWarnings;
    s.tracks += f.stats.tracks;
    s.notes += f.stats.notes;
    s.drumNotes += f.stats.drumNotes;
    s.notesInFiles += f.notesInFile;
    s.seconds += f.stats.seconds;
    if (f.stats.minPitch >= 0) {
      s.minPitch = s.minPitch < 0 ? f.stats.minPitch : std::min(s.minPitch, f.stats.minPitch);
      s.maxPitch = std::max(s.maxPitch, f.stats.maxPitch);
    }
    noteSeconds += f.stats.noteSeconds;
    soundingSeconds += f.stats.soundingSeconds;
  }
  s.meanPolyphony = soundingSeconds > 0.0 ? noteSeconds / soundingSeconds : 0.0;
  return s;
}

Result<Corpus> loadCorpus(const fs::path& folder, const LoadOptions& options, std::stop_token stop) {
  Result<std::vector<fs::path>> listing = findMidiFiles(folder);
  if (!listing) {
    return listing.error();
  }
  Corpus corpus;
  corpus.root = folder;
  corpus.includesDrums = options.includeDrums;
  corpus.files.resize(listing->size());
  for (std::size_t i = 0; i < listing->size(); ++i) {
    CorpusFile& file = corpus.files[i];
    file.path = (*listing)[i];
    file.relativePath = file.path.lexically_relative(folder).generic_string();
  }

  const std::size_t total = corpus.files.size();
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> failed{0};
  std::mutex mutex;
  std::condition_variable finished;
  std::size_t workersLeft = 0;

  auto work = [&] {
    while (!stop.stop_requested()) {
      const std::size_t index = next.fetch_add(1, std::memory_order_relaxed);
      if (index >= total) break;
      loadOne(corpus.files[index], options);
      if (!corpus.files[index].loaded()) failed.fetch_add(1, std::memory_order_relaxed);
      done.fetch_add(1, std::memory_order_release);
    }
    std::lock_guard lock(mutex);
    if (--workersLeft == 0) finished.notify_all();
  };

  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(total, 1)));
  {
    std::vector<std::jthread> pool;
    workersLeft = threads;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back(work);
    // Report progress from this thread while the pool works.
    std::unique_lock lock(mutex);
    while (workersLeft > 0) {
      finished.wait_for(lock, std::chrono::milliseconds(50));
      if (options.progress && workersLeft > 0) {
        lock.unlock();
        options.progress({done.load(std::memory_order_acquire), total, failed.load(std::memory_order_relaxed)});
        lock.lock();
      }
    }
  }
  if (stop.stop_requested() && done.load() < total) {
    return Error{ErrorKind::Cancelled, folder.string(), -1, "Loading was cancelled."};
  }
  if (options.progress) {
    options.progress({total, total, failed.load()});
  }
  corpus.stats = summarize(corpus.files);
  return corpus;
}

} // namespace lyrebird::corpus
