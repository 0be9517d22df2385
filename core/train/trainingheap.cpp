#include "train/trainingheap.h"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace lyrebird::train {

namespace {

std::mutex g_mutex;
int g_holders = 0;

#if defined(__GLIBC__)
// Blocks up to 32 MB (glibc's largest threshold) come from the heap, the heap grows 64 MB at a
// time and is trimmed only past 1 GB free. glibc's defaults are 128 kB for all three (the
// mapping threshold then rises by itself as blocks are freed).
constexpr int kMmapThresholdBytes = 32 * 1024 * 1024;
constexpr int kTopPadBytes = 64 * 1024 * 1024;
constexpr int kTrimThresholdBytes = 1024 * 1024 * 1024;
constexpr int kDefaultBytes = 128 * 1024;
#endif

} // namespace

TrainingHeap::TrainingHeap() {
  const std::lock_guard lock(g_mutex);
  if (g_holders++ > 0) return;
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  mallopt(M_TOP_PAD, kTopPadBytes);
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
#endif
}

TrainingHeap::~TrainingHeap() {
  const std::lock_guard lock(g_mutex);
  if (--g_holders > 0) return;
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, kDefaultBytes);
  mallopt(M_TOP_PAD, kDefaultBytes);
  mallopt(M_TRIM_THRESHOLD, kDefaultBytes);
  malloc_trim(0);
#endif
}

} // namespace lyrebird::train
