// How SQLite spells a history query (history_query_sql.h).
#pragma once

#include "store/history_query_sql.h"

namespace kefu::store::sqlite {

inline constexpr HistorySqlDialect kSqliteHistoryDialect = {
    .parameters = HistorySqlDialect::Parameters::kSqlite,
    .booleans = HistorySqlDialect::Booleans::kInteger,
    .times = HistorySqlDialect::Times::kSeconds,
    .name_search = HistorySqlDialect::NameSearch::kTrigramOrInstr,
    .agents_first = true,
};

}  // namespace kefu::store::sqlite
