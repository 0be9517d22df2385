#pragma once

namespace lyrebird::train {

/// While one exists, glibc's malloc keeps the memory a training step frees for the next
/// step instead of handing it back to the kernel: a step allocates and frees the same tens of
/// megabytes of activations and gradients, and by default every large block is unmapped on
/// free and faulted in, zeroed page by page, on the next allocation (~14,000 page faults a
/// step for the default network, measured: 7-12 % of the step). The last one to go restores
/// malloc's defaults and returns the kept memory. Process-wide; any thread; nests.
class TrainingHeap {
public:
  TrainingHeap();
  ~TrainingHeap();
  TrainingHeap(const TrainingHeap&) = delete;
  TrainingHeap& operator=(const TrainingHeap&) = delete;
};

} // namespace lyrebird::train
