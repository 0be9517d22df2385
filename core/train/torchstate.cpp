#include "train/torchstate.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Generator.h>

#include <cstring>
#include <mutex>
#include <sstream>

namespace lyrebird::train {

namespace {

Error damaged(const std::string& what, const c10::Error& e) {
  return Error{ErrorKind::Corrupt,
               {},
               -1,
               "The model file's " + what + " cannot be loaded (" + e.what_without_backtrace() + ")."};
}

/// torch's archives <-> bytes, for anything with save(OutputArchive&)/load(InputArchive&).
template <typename T> std::string archiveBytes(const T& object) {
  torch::serialize::OutputArchive archive;
  object.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

template <typename T> Status loadArchiveBytes(T& object, const std::string& bytes, const std::string& what) {
  try {
    std::istringstream in(bytes);
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    object.load(archive);
  } catch (const c10::Error& e) {
    return damaged(what, e);
  }
  return Done{};
}

} // namespace

std::string saveModuleState(const torch::nn::Module& module) {
  return archiveBytes(module);
}

Status loadModuleState(torch::nn::Module& module, const std::string& bytes) {
  // torch replaces each tensor with what the archive holds, whatever its shape; the
  // shapes are checked here so a mismatched file is an error, not a broken network.
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> shapes;
  for (const auto& item : module.named_parameters())
    shapes.emplace_back(item.key(), item.value().sizes().vec());
  if (Status s = loadArchiveBytes(module, bytes, "network weights"); !s) return s;
  const auto loaded = module.named_parameters();
  for (const auto& [name, shape] : shapes) {
    const torch::Tensor* tensor = loaded.find(name);
    if (!tensor || tensor->sizes().vec() != shape) {
      return Error{ErrorKind::Corrupt,
                   {},
                   -1,
                   "The model file's weights do not fit its network (parameter '" + name + "' has another shape)."};
    }
  }
  return Done{};
}

std::string saveOptimizerState(const torch::optim::Optimizer& optimizer) {
  return archiveBytes(optimizer);
}

Status loadOptimizerState(torch::optim::Optimizer& optimizer, const std::string& bytes) {
  return loadArchiveBytes(optimizer, bytes, "optimizer state");
}

Result<model::LstmNetwork> networkFromCheckpoint(const Checkpoint& checkpoint) {
  try {
    model::LstmNetwork network(checkpoint.config.model);
    if (Status s = loadModuleState(*network, checkpoint.modelState); !s) return s.error();
    network->eval();
    return network;
  } catch (const c10::Error& e) {
    return damaged("network", e);
  }
}

std::string saveRandomState() {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  const at::Tensor state = generator.get_state();
  return std::string(reinterpret_cast<const char*>(state.data_ptr<std::uint8_t>()),
                     static_cast<std::size_t>(state.numel()));
}

Status loadRandomState(const std::string& bytes) {
  try {
    at::Tensor state = at::empty({static_cast<std::int64_t>(bytes.size())}, at::kByte);
    std::memcpy(state.data_ptr<std::uint8_t>(), bytes.data(), bytes.size());
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(state);
  } catch (const c10::Error& e) {
    return damaged("random state", e);
  }
  return Done{};
}

} // namespace lyrebird::train
