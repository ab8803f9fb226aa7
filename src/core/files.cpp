#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/ids.h"

namespace balai::core {
namespace {

Error os_error(const std::string& path, std::string_view doing, int err) {
  return make_error(ErrorCode::internal,
                    "file " + path + " " + std::string(doing) + ": " + std::strerror(err));
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string folder_of(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  return folder.empty() ? std::string(".") : folder;
}

Status write_file_atomically(const std::string& path, std::string_view text, mode_t mode) {
  const std::string temp = path + ".tmp-" + random_hex_id();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return os_error(path, "cannot be written (temporary file)", errno);
  int err = 0;
  // fchmod: open()'s mode is narrowed by the umask.
  if (::fchmod(fd, mode) != 0 || !write_all(fd, text) || ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(temp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(temp.c_str());
    return os_error(path, "cannot be written", err);
  }
  const int dir = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = dir >= 0 && ::fsync(dir) == 0;
  err = errno;
  if (dir >= 0) ::close(dir);
  if (!synced) return os_error(path, "was written but its folder could not be synced", err);
  return {};
}

}  // namespace balai::core
