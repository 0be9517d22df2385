#pragma once

#include "base/result.h"
#include "distributed/distributedconfig.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lyrebird::distributed {

/// The ranks of a data-parallel run, connected through PyTorch's own c10d engine: a
/// TCPStore rendezvous at rank 0 and a Gloo process group for the collectives. Only the
/// training thread uses it. Every collective must be called by all ranks in the same
/// order; a rank that died or hangs makes the call fail (an exception from c10d, turned
/// into an Error by the trainer) instead of blocking for ever.
class ProcessGroup {
public:
  /// Meets the other ranks (rank 0 listens, the others connect), within config.timeoutSeconds.
  /// Gloo's own sockets use GLOO_SOCKET_IFNAME when set, loopback when the master is on
  /// this host, else this host's name.
  static Result<std::unique_ptr<ProcessGroup>> connect(const DistributedConfig& config);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return m_config.rank; }
  int worldSize() const { return m_config.worldSize; }
  const DistributedConfig& config() const { return m_config; }

  /// Rank 0's values of `tensors` (same shapes on every rank) are copied into everyone's.
  void broadcast(std::vector<at::Tensor>& tensors);
  /// Rank 0's bytes; on other ranks `bytes` is replaced.
  void broadcast(std::string& bytes);
  /// Sums float tensors over the ranks in place. They travel flattened in buckets of at
  /// most `bucketBytes` (one collective per bucket, as DistributedDataParallel does).
  void allReduceSum(std::vector<at::Tensor>& tensors, std::int64_t bucketBytes = 25 << 20);
  /// Sums a few numbers (double precision) over the ranks in place.
  void allReduceSum(std::vector<double>& values);

  /// Seconds spent inside collectives and the bytes reduced, since the last reset.
  double collectiveSeconds() const { return m_collectiveSeconds; }
  std::int64_t reducedBytes() const { return m_reducedBytes; }
  void resetCounters();

private:
  struct Impl;
  ProcessGroup(DistributedConfig config, std::unique_ptr<Impl> impl);

  DistributedConfig m_config;
  std::unique_ptr<Impl> m_impl;
  double m_collectiveSeconds = 0.0;
  std::int64_t m_reducedBytes = 0;
};

/// "rank R of N" for messages.
std::string rankName(const DistributedConfig& config);

} // namespace lyrebird::distributed
