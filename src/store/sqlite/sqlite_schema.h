// The SQLite schema as an ordered list of migrations. PRAGMA user_version
// records how many have been applied; each runs once, in its own transaction.
#pragma once

#include "common/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace kefu::store::sqlite {

// Applies every migration the database has not seen yet. Safe when several
// processes start at once on the same file (the write lock serializes them).
Status Migrate(Connection& conn);
// The same, up to migration `version` only (for tests of a migration).
Status MigrateTo(Connection& conn, int64_t version);

}  // namespace kefu::store::sqlite
