#include "distributed/processgroup.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

namespace lyrebird::distributed {

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

namespace {

using Clock = std::chrono::steady_clock;

bool isLoopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

std::string where(const DistributedConfig& c) {
  return c.masterHost + ":" + std::to_string(c.masterPort);
}

// Waits for one collective; c10d throws when a peer is gone or the timeout passes.
void finish(const c10::intrusive_ptr<c10d::Work>& work) {
  work->wait();
}

} // namespace

std::string rankName(const DistributedConfig& config) {
  return "rank " + std::to_string(config.rank) + " of " + std::to_string(config.worldSize);
}

ProcessGroup::ProcessGroup(DistributedConfig config, std::unique_ptr<Impl> impl)
    : m_config(std::move(config)), m_impl(std::move(impl)) {}

ProcessGroup::~ProcessGroup() = default;

Result<std::unique_ptr<ProcessGroup>> ProcessGroup::connect(const DistributedConfig& config) {
  if (Status valid = config.validate(); !valid) return valid.error();
  const auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(config.timeoutSeconds * 1000.0));
  auto impl = std::make_unique<Impl>();
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(config.masterPort);
    options.isServer = config.isMain();
    options.numWorkers = static_cast<std::size_t>(config.worldSize);
    options.waitWorkers = true;
    options.timeout = timeout;
    impl->store = c10::make_intrusive<c10d::TCPStore>(config.masterHost, options);
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    return Error{ErrorKind::Io,
                 {},
                 -1,
                 config.isMain()
                     ? "Rank 0 could not listen on port " + std::to_string(config.masterPort) +
                           ", or not every rank (" + std::to_string(config.worldSize) + ") connected within " +
                           std::to_string(static_cast<int>(config.timeoutSeconds)) + " s: " + what
                     : rankName(config) + " could not reach rank 0 at " + where(config) + " within " +
                           std::to_string(static_cast<int>(config.timeoutSeconds)) + " s: " + what};
  }
  try {
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    } else if (isLoopback(config.masterHost)) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    options->threads = 1;
    impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, config.rank, config.worldSize, options);
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    return Error{ErrorKind::Io,
                 {},
                 -1,
                 "The ranks met at " + where(config) + " but could not connect to each other (" + rankName(config) +
                     "): " + what + ". On several hosts, set GLOO_SOCKET_IFNAME to the network interface to use."};
  }
  return std::unique_ptr<ProcessGroup>(new ProcessGroup(config, std::move(impl)));
}

void ProcessGroup::broadcast(std::vector<at::Tensor>& tensors) {
  const auto start = Clock::now();
  torch::NoGradGuard noGrad;
  for (at::Tensor& t : tensors) {
    at::Tensor contiguous = t.contiguous();
    std::vector<at::Tensor> one{contiguous};
    finish(m_impl->group->broadcast(one));
    if (!contiguous.is_same(t)) t.copy_(contiguous);
  }
  m_collectiveSeconds += std::chrono::duration<double>(Clock::now() - start).count();
}

void ProcessGroup::broadcast(std::string& bytes) {
  const auto start = Clock::now();
  std::vector<at::Tensor> size{torch::tensor({static_cast<std::int64_t>(bytes.size())}, torch::kLong)};
  finish(m_impl->group->broadcast(size));
  const std::int64_t length = size[0].item<std::int64_t>();
  std::vector<at::Tensor> data{torch::empty({length}, torch::kUInt8)};
  if (m_config.isMain()) std::memcpy(data[0].data_ptr<std::uint8_t>(), bytes.data(), bytes.size());
  if (length > 0) finish(m_impl->group->broadcast(data));
  if (!m_config.isMain())
    bytes.assign(reinterpret_cast<const char*>(data[0].data_ptr<std::uint8_t>()), static_cast<std::size_t>(length));
  m_collectiveSeconds += std::chrono::duration<double>(Clock::now() - start).count();
}

void ProcessGroup::allReduceSum(std::vector<at::Tensor>& tensors, std::int64_t bucketBytes) {
  const auto start = Clock::now();
  torch::NoGradGuard noGrad;
  std::size_t first = 0;
  while (first < tensors.size()) {
    // One bucket: consecutive tensors up to bucketBytes (at least one).
    std::size_t last = first;
    std::int64_t bytes = tensors[first].numel() * static_cast<std::int64_t>(tensors[first].element_size());
    while (last + 1 < tensors.size() &&
           bytes + tensors[last + 1].numel() * static_cast<std::int64_t>(tensors[last + 1].element_size()) <=
               bucketBytes) {
      ++last;
      bytes += tensors[last].numel() * static_cast<std::int64_t>(tensors[last].element_size());
    }
    if (first == last && tensors[first].is_contiguous()) {
      std::vector<at::Tensor> one{tensors[first]};
      finish(m_impl->group->allreduce(one));
    } else {
      std::vector<at::Tensor> flat;
      for (std::size_t i = first; i <= last; ++i)
        flat.push_back(tensors[i].reshape({-1}));
      std::vector<at::Tensor> bucket{torch::cat(flat)};
      finish(m_impl->group->allreduce(bucket));
      std::int64_t offset = 0;
      for (std::size_t i = first; i <= last; ++i) {
        const std::int64_t n = tensors[i].numel();
        tensors[i].copy_(bucket[0].narrow(0, offset, n).view_as(tensors[i]));
        offset += n;
      }
    }
    m_reducedBytes += bytes;
    first = last + 1;
  }
  m_collectiveSeconds += std::chrono::duration<double>(Clock::now() - start).count();
}

void ProcessGroup::allReduceSum(std::vector<double>& values) {
  if (values.empty()) return;
  const auto start = Clock::now();
  std::vector<at::Tensor> one{
      torch::from_blob(values.data(), {static_cast<std::int64_t>(values.size())}, torch::kDouble).clone()};
  finish(m_impl->group->allreduce(one));
  std::memcpy(values.data(), one[0].data_ptr<double>(), values.size() * sizeof(double));
  m_reducedBytes += static_cast<std::int64_t>(values.size() * sizeof(double));
  m_collectiveSeconds += std::chrono::duration<double>(Clock::now() - start).count();
}

void ProcessGroup::resetCounters() {
  m_collectiveSeconds = 0.0;
  m_reducedBytes = 0;
}

} // namespace lyrebird::distributed
