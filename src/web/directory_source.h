// A FileSource over a directory of the disk (kefud serve --web-root).
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "web/file_source.h"

namespace kefu::web {

class DirectorySource : public FileSource {
 public:
  // The source of `dir`, or kInvalidParam when it is not a directory.
  static Result<std::unique_ptr<DirectorySource>> Open(const std::string& dir);

  // A file is served only when its real path (symlinks resolved) lies under
  // the root's real path, and the final open does not follow a symlink, so
  // no link can lead out of the root.
  std::optional<std::string> Read(std::string_view path) const override;

  const std::string& root() const { return root_; }

 private:
  explicit DirectorySource(std::string real_root) : root_(std::move(real_root)) {}
  std::string root_;  // realpath of the directory, without a trailing '/'
};

}  // namespace kefu::web
