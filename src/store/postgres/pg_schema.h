// The PostgreSQL schema as ordered migrations, applied at start under an
// advisory lock so several kefud instances can start at once.
#pragma once

#include "common/status.h"
#include "store/postgres/pg_connection.h"

namespace kefu::store::postgres {

Status Migrate(PgConnection& conn);

}  // namespace kefu::store::postgres
