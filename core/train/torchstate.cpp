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

std::string saveModuleStateForGenerating(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (auto& item : module.named_parameters()) {
    const std::string& name = item.key();
    if (name.find("weight_ih") != std::string::npos || name.find("weight_hh") != std::string::npos)
      item.value().set_data(item.value().to(torch::kHalf));
  }
  return archiveBytes(module);
}

namespace {

/// Each stored tensor into the module's own (the same shape; its own precision), child modules
/// from their archives, as Module::load but keeping the module's dtype: an export stores the LSTM
/// matrices in half precision (saveModuleStateForGenerating) and the network computes in float.
void copyStoredTensors(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& prefix) {
  torch::NoGradGuard noGrad;
  auto fill = [&](const std::string& name, torch::Tensor& target, bool isBuffer) {
    torch::Tensor stored;
    archive.read(name, stored, isBuffer);
    if (stored.sizes() != target.sizes()) {
      throw std::runtime_error("The model file's weights do not fit its network (parameter '" + prefix + name +
                               "' has another shape).");
    }
    target.copy_(stored);
  };
  for (auto& item : module.named_parameters(/*recurse=*/false))
    fill(item.key(), item.value(), false);
  for (auto& item : module.named_buffers(/*recurse=*/false))
    fill(item.key(), item.value(), true);
  for (const auto& child : module.named_children()) {
    torch::serialize::InputArchive childArchive;
    archive.read(child.key(), childArchive);
    copyStoredTensors(*child.value(), childArchive, prefix + child.key() + ".");
  }
}

} // namespace

Status loadModuleState(torch::nn::Module& module, const std::string& bytes) {
  try {
    std::istringstream in(bytes);
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    copyStoredTensors(module, archive, {});
  } catch (const c10::Error& e) {
    return damaged("network weights", e);
  } catch (const std::runtime_error& e) {
    return Error{ErrorKind::Corrupt, {}, -1, e.what()};
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
