#include "base/atomicfile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <string>
#include <unistd.h>

namespace lyrebird {

Status writeFileAtomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  const std::string target = path.string();
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    return Error{ErrorKind::Io, target, -1, "The folder to save into does not exist."};
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Error{ErrorKind::Io, target, -1, "A folder with this name already exists."};
  }
  std::random_device entropy;
  const std::string temporary =
      (folder / ("." + path.filename().string() + ".part-" + std::to_string(entropy() % 1000000))).string();
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error{ErrorKind::Io, target, -1, std::string("The file cannot be written: ") + std::strerror(errno) + "."};
  }
  std::size_t written = 0;
  int failure = 0;
  while (written < bytes.size()) {
    const ::ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      failure = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (failure == 0 && ::fsync(fd) != 0) failure = errno;
  if (::close(fd) != 0 && failure == 0) failure = errno;
  if (failure == 0 && std::rename(temporary.c_str(), target.c_str()) != 0) failure = errno;
  if (failure != 0) {
    std::remove(temporary.c_str());
    return Error{ErrorKind::Io, target, -1,
                 std::string("The file could not be saved: ") + std::strerror(failure) + "."};
  }
  return Done{};
}

} // namespace lyrebird
