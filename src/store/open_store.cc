#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace kefu::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& spec, const StoreOptions& options) {
  std::string path = spec;
  if (spec.starts_with("postgresql://") || spec.starts_with("postgres://")) {
    auto store = postgres::PgStore::Open(spec, options.pool_size, options.query_timeout);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  if (spec.starts_with("sqlite:")) path = spec.substr(7);
  if (path.empty()) return Error(Code::kInvalidParam, "empty database path");
  // The default var/kefu.db should work from a fresh checkout.
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto store = sqlite::SqliteStore::Open(path, options.query_timeout);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace kefu::store
