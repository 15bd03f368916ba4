// Shared helpers for the history-session black-box tests (CONTRACT §6,
// decisions.md "History query" / "History import"): the published item shape,
// an item builder with overridable fields, time conversions between the
// tenant's local datetimes and ISO instants, and a fixture with one tenant.
#pragma once

#include "harness.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bb {
namespace hist {

// The published item keys, in the published order.
const std::vector<std::string>& ItemKeys();

// The published example item (verbatim, pretty-printed as published), with its
// "tenantId": 1 replaced by `tenant`.
std::string PublishedItem(int tenant);
// The published curl example's target, newlines removed (tenant 1).
std::string PublishedQueryTarget();

// A full item in the published key order: defaults (a Terminal session of
// `tenant` with everything else null/false) overridden by raw JSON values.
// An override whose value is the empty string drops the key.
using Fields = std::map<std::string, std::string>;
std::string Item(const std::string& id, int tenant, const Fields& overrides = {});
std::string Array(const std::vector<std::string>& items);
std::string Ndjson(const std::vector<std::string>& items);

// Shape of one item: exact key list and order, value types.
::testing::AssertionResult IsHistoryItem(const rapidjson::Value& v);
// 200, {"status":"OK","entity":{"total_entries":N,"items":[...]}} with items of the shape.
::testing::AssertionResult IsHistoryPage(const Response& r);

// Time. Local datetimes are "yyyy-MM-dd HH:mm:ss" in a zone of offset_hours.
long long LocalToEpoch(const std::string& local, int offset_hours);
std::string EpochToLocal(long long epoch_s, int offset_hours);
// ISO instant of epoch milliseconds. style: 0 ".mmmZ", 1 "Z" without fraction
// (ms must be whole seconds, else the fraction is kept), 2 ".mmm+hh:00" at
// offset_hours, 3 "+hh00" without fraction (whole seconds), 4 ".mmm" without zone (UTC).
std::string Iso(long long epoch_ms, int style = 0, int offset_hours = 8);

struct Page {
  long long total = -1;
  std::vector<std::string> ids;
  std::vector<std::string> items;  // compact JSON of each item
};
// Parses a 200 history response (empty Page with total -1 when malformed).
Page ParsePage(const std::string& body);

std::string Canon(const std::string& json);  // Compact(ParseJson(json))
// The raw JSON texts of every value of `key` in `body` (scalars only), in order.
std::vector<std::string> RawValues(const std::string& body, const std::string& key);

class HistoryTest : public KefuTest {
 protected:
  void SetUp() override;
  virtual std::string Zone() { return "UTC+8"; }

  std::string Base(int tenant = 0, const char* prefix = "/api/tenants/") const;
  // GET serviceSessionHistorys?query on this tenant.
  Response Query(const std::string& query, int tenant = 0, const std::string& token = "");
  // Query and assert a valid page; returns it.
  Page MustQuery(const std::string& query, int tenant = 0, const std::string& token = "");
  std::vector<std::string> Ids(const std::string& query) { return MustQuery(query).ids; }
  long long Total(const std::string& query) { return MustQuery(query).total; }

  Response ImportJson(const std::string& body, int tenant = 0, const std::string& token = "");
  Response ImportNdjson(const std::string& body, int tenant = 0, const std::string& token = "");
  // Imports in chunks (≤1000 items, <900 KB) and asserts {"imported":n} each time.
  void MustImport(const std::vector<std::string>& items, int tenant = 0,
                  const std::string& token = "");

  TenantCreds t_;
  std::string token_;
};

}  // namespace hist
}  // namespace bb
