#pragma once

#include "base/result.h"

#include <functional>
#include <optional>
#include <string>

namespace lyrebird::distributed {

/// Who this process is in a data-parallel training run and where the others meet: N
/// processes (ranks 0..N-1) on one or many hosts, rendezvous at rank 0's TCPStore on
/// HOST:PORT. A world of one is plain single-process training.
struct DistributedConfig {
  int worldSize = 1;
  int rank = 0;
  std::string masterHost = "127.0.0.1"; ///< where rank 0 listens (rank 0 listens on all interfaces)
  int masterPort = 29500;               ///< PyTorch's default
  double timeoutSeconds = 120.0;        ///< to connect, and for any one collective

  bool enabled() const { return worldSize > 1; }
  bool isMain() const { return rank == 0; }
  /// Range checks with a sentence (ErrorKind::Io is never used: Corrupt for a bad value).
  Status validate() const;
};

/// What the command line says; unset fields fall back to the environment variables that
/// PyTorch's launchers set (WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT), so a run started
/// by torchrun, SLURM wrappers or a hand-written script needs no flags.
struct DistributedOptions {
  std::optional<int> worldSize;
  std::optional<int> rank;
  std::optional<std::string> master; ///< "HOST:PORT" (or "[v6addr]:PORT")
  std::optional<double> timeoutSeconds;
};

/// Reads environment variables; tests give their own.
using Environment = std::function<std::optional<std::string>(const char* name)>;
/// The process environment (std::getenv).
Environment processEnvironment();

/// Merges the options over the environment and validates the result. An unparsable value
/// (a rank that is not a number, a port out of range) is an Error naming where it came from.
Result<DistributedConfig> resolveDistributedConfig(const DistributedOptions& options,
                                                   const Environment& environment = processEnvironment());

} // namespace lyrebird::distributed
