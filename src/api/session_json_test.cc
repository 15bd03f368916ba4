#include "api/session_json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "domain/session_item.h"

namespace kefu::api {
namespace {

constexpr size_t kKeys = domain::kSessionItemKeys.size();

// One value as import's writer writes it.
std::string Canonical(const std::string& json) {
  rapidjson::Document v;
  v.Parse(json.c_str());
  EXPECT_FALSE(v.HasParseError()) << json;
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

std::vector<std::string> AllValues(std::vector<std::string> values) {
  values.resize(kKeys, "null");
  for (auto& v : values) v = Canonical(v);
  return values;
}

// A stored item array: values[i] is the JSON of key i.
std::string StoredItem(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const auto& v : AllValues(values)) out += (out.size() > 1 ? "," : "") + v;
  return out + "]";
}

// The published item the same values make.
std::string ExpectedItem(const std::vector<std::string>& values) {
  std::string out = "{";
  auto all = AllValues(values);
  for (size_t i = 0; i < kKeys; ++i) {
    out += (i > 0 ? ",\"" : "\"") + std::string(domain::kSessionItemKeys[i]) + "\":" + all[i];
  }
  return out + "}";
}

std::string Written(std::string_view stored, bool* ok = nullptr) {
  JsonOut out;
  out.BeginArray();
  bool written = WriteSessionItem(out, stored);
  if (ok) *ok = written;
  out.EndArray();
  return out.Ok().body;
}

TEST(WriteSessionItemTest, SplicesStoredValuesUnderTheirKeys) {
  const std::vector<std::string> values = {
      R"("a \"quoted\", [bracketed] {braced} value")",
      "1",
      "5",
      "3",
      R"("Terminal")",
      "1493629167277781054",  // above 2^53: must stay exact
      "-1.5e3",
      R"("ends with a backslash \\")",
      R"("\\\"")",
      R"("王小明 \u0001 tab\t")",
      "true",
      R"({"nested":{"deeper":["],[", "}{", "\\", {"x":null}]},"empty":{}})",
      R"([[], [[]], "", ",", "]"])",
  };
  EXPECT_EQ(Written(StoredItem(values)), "[" + ExpectedItem(values) + "]");
}

TEST(WriteSessionItemTest, SeparatesItemsInAnArray) {
  const std::vector<std::string> values = {R"("one")"};
  const std::string stored = StoredItem(values);
  JsonOut out;
  out.BeginArray();
  ASSERT_TRUE(WriteSessionItem(out, stored));
  ASSERT_TRUE(WriteSessionItem(out, stored));
  out.EndArray();
  EXPECT_EQ(out.Ok().body, "[" + ExpectedItem(values) + "," + ExpectedItem(values) + "]");
}

TEST(WriteSessionItemTest, RefusesWhatIsNotAStoredItem) {
  const std::string good = StoredItem({});
  std::vector<std::string> bad = {
      "",
      "[]",
      "{}",
      good.substr(0, good.size() - 1),            // no closing bracket
      good + " ",                                 // trailing bytes
      "[" + good.substr(6),                       // one value too few
      good.substr(0, good.size() - 1) + ",null]",  // one value too many
      R"(["unterminated)",
      R"(["escaped quote at the end\"])",
      std::string("[nu\0ll", 6),
  };
  for (const auto& text : bad) {
    bool ok = true;
    Written(text, &ok);
    EXPECT_FALSE(ok) << text;
  }
}

}  // namespace
}  // namespace kefu::api
