#include "train/systeminfo.h"

#include <torch/version.h>

#include <ATen/Parallel.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace lyrebird::train {

SystemInfo systemInfo() {
  SystemInfo info;
  info.torchVersion = TORCH_VERSION;
  info.intraOpThreads = at::get_num_threads();
  info.hardwareThreads = static_cast<int>(std::thread::hardware_concurrency());
  info.blas = "unknown";
  // LibTorch links libblas.so.3, which Debian's alternatives point at a BLAS; the mapped
  // file tells which one is really in use.
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const std::size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string name = std::filesystem::path(path).filename().string();
    if (name.starts_with("libblas") || name.starts_with("libopenblas") || name.starts_with("libblis") ||
        name.starts_with("libmkl_rt")) {
      std::error_code ec;
      const std::filesystem::path real = std::filesystem::canonical(path, ec);
      info.blas = ec ? path : real.string();
      break;
    }
  }
  info.optimizedBlas = info.blas.find("openblas") != std::string::npos || info.blas.find("blis") != std::string::npos ||
                       info.blas.find("mkl") != std::string::npos;
  return info;
}

} // namespace lyrebird::train
