// How PostgreSQL spells a history query (history_query_sql.h).
#pragma once

#include "store/history_query_sql.h"

namespace kefu::store::postgres {

inline constexpr HistorySqlDialect kPgHistoryDialect = {
    .parameters = HistorySqlDialect::Parameters::kPostgres,
    .booleans = HistorySqlDialect::Booleans::kText,
    .times = HistorySqlDialect::Times::kTimestamp,
    .name_search = HistorySqlDialect::NameSearch::kLike,
    .agents_first = false,
};

}  // namespace kefu::store::postgres
