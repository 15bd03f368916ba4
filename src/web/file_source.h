// Where static files come from: a directory today (DirectorySource), files
// embedded in the binary later. The API layer reads them only through this.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kefu::web {

class FileSource {
 public:
  virtual ~FileSource() = default;
  // The bytes of the regular file at `path`, relative to the source's root:
  // segments joined by '/', none empty, "." or "..", no backslash or NUL
  // (api/static_files.h's CleanStaticPath makes such paths). nullopt when no
  // such file is served: missing, not a regular file, outside the root, or
  // too large. Thread-safe.
  virtual std::optional<std::string> Read(std::string_view path) const = 0;
};

}  // namespace kefu::web
