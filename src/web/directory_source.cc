#include "web/directory_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "common/limits.h"

namespace kefu::web {
namespace {

// realpath(3) as a string; nullopt when the path does not resolve.
std::optional<std::string> RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) return std::nullopt;
  return std::string(buf);
}

}  // namespace

Result<std::unique_ptr<DirectorySource>> DirectorySource::Open(const std::string& dir) {
  auto real = RealPath(dir);
  struct stat st {};
  if (!real || ::stat(real->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(Code::kInvalidParam, "--web-root must name a directory: " + dir);
  }
  if (real->size() > 1 && real->back() == '/') real->pop_back();
  return std::unique_ptr<DirectorySource>(new DirectorySource(std::move(*real)));
}

std::optional<std::string> DirectorySource::Read(std::string_view path) const {
  if (path.empty() || path.find('\0') != std::string_view::npos) return std::nullopt;
  auto real = RealPath(root_ + "/" + std::string(path));
  if (!real) return std::nullopt;
  const std::string prefix = root_ == "/" ? root_ : root_ + "/";
  if (!real->starts_with(prefix)) return std::nullopt;  // a link led out of the root

  // O_NOFOLLOW: the file cannot have become a link since realpath looked.
  int fd = ::open(real->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<size_t>(st.st_size) <= limits::kMaxStaticFileBytes) {
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    size_t got = 0;
    while (got < bytes.size()) {
      ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    if (got == bytes.size()) out = std::move(bytes);
  }
  ::close(fd);
  return out;
}

}  // namespace kefu::web
