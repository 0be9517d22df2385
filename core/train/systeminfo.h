#pragma once

#include <string>

namespace lyrebird::train {

/// What the learning engine runs on, for `lyrebird-cli --version` and the About box.
struct SystemInfo {
  std::string torchVersion; ///< e.g. "1.13.1"
  int intraOpThreads = 0;   ///< torch's current intra-op thread count
  int hardwareThreads = 0;
  std::string blas;           ///< the BLAS library actually loaded (path), or "unknown"
  bool optimizedBlas = false; ///< OpenBLAS, BLIS or MKL rather than the reference BLAS
};

SystemInfo systemInfo();

} // namespace lyrebird::train
