#include "distributed/distributedconfig.h"

#include <charconv>
#include <cstdlib>

namespace lyrebird::distributed {

namespace {

Error bad(const std::string& message) {
  return Error{ErrorKind::InvalidArgument, {}, -1, message};
}

std::optional<long long> parseInteger(const std::string& text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

} // namespace

Status DistributedConfig::validate() const {
  if (worldSize < 1 || worldSize > 4096) return bad("The world size must be between 1 and 4096 processes.");
  if (rank < 0 || rank >= worldSize) {
    return bad("The rank must be between 0 and the world size minus one (rank " + std::to_string(rank) +
               ", world size " + std::to_string(worldSize) + ").");
  }
  if (masterPort < 1 || masterPort > 65535) return bad("The master port must be between 1 and 65535.");
  if (masterHost.empty()) return bad("The master host is empty.");
  if (!(timeoutSeconds > 0)) return bad("The timeout must be more than 0 seconds.");
  return Done{};
}

Environment processEnvironment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

Result<DistributedConfig> resolveDistributedConfig(const DistributedOptions& options, const Environment& environment) {
  DistributedConfig config;
  auto integer = [&](const std::optional<int>& given, const char* variable, int& target) -> Status {
    if (given) {
      target = *given;
      return Done{};
    }
    const std::optional<std::string> text = environment(variable);
    if (!text) return Done{};
    const std::optional<long long> value = parseInteger(*text);
    if (!value || *value < 0 || *value > 1'000'000)
      return bad(std::string(variable) + " is not a number: \"" + *text + "\".");
    target = static_cast<int>(*value);
    return Done{};
  };
  if (Status s = integer(options.worldSize, "WORLD_SIZE", config.worldSize); !s) return s.error();
  if (Status s = integer(options.rank, "RANK", config.rank); !s) return s.error();

  if (options.master) {
    // HOST:PORT, the port after the last colon; [v6]:PORT keeps its brackets off.
    const std::string& master = *options.master;
    const std::size_t colon = master.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == master.size()) {
      return bad("--master needs HOST:PORT, for example 10.0.0.1:29500 (got \"" + master + "\").");
    }
    std::string host = master.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::optional<long long> port = parseInteger(master.substr(colon + 1));
    if (!port || *port < 1 || *port > 65535)
      return bad("The port in --master is not a port number: \"" + master + "\".");
    config.masterHost = host;
    config.masterPort = static_cast<int>(*port);
  } else {
    if (const auto host = environment("MASTER_ADDR")) config.masterHost = *host;
    if (const auto port = environment("MASTER_PORT")) {
      const std::optional<long long> value = parseInteger(*port);
      if (!value || *value < 1 || *value > 65535) return bad("MASTER_PORT is not a port number: \"" + *port + "\".");
      config.masterPort = static_cast<int>(*value);
    }
  }
  if (options.timeoutSeconds) config.timeoutSeconds = *options.timeoutSeconds;
  if (Status valid = config.validate(); !valid) return valid.error();
  return config;
}

} // namespace lyrebird::distributed
