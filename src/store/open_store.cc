#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace kefu::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& spec) {
  std::string path = spec;
  if (spec.starts_with("postgresql://") || spec.starts_with("postgres://")) {
    return Error(Code::kStoreUnavailable,
                 "the PostgreSQL backend is not available in this build; use a SQLite file");
  }
  if (spec.starts_with("sqlite:")) path = spec.substr(7);
  if (path.empty()) return Error(Code::kInvalidParam, "empty database path");
  auto store = sqlite::SqliteStore::Open(path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace kefu::store
