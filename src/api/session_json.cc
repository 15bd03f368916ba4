#include "api/session_json.h"

#include <array>
#include <cstring>
#include <string>

#include "domain/session_item_fields.h"

namespace kefu::api {
namespace {

// The '"' that ends the string whose contents start at `p` (a quote after an
// odd number of backslashes is escaped), or nullptr if the text ends first.
const char* StringEnd(const char* p, const char* end) {
  for (const char* q = p; q < end;) {
    q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
    if (!q) return nullptr;
    size_t backslashes = 0;
    while (q - backslashes > p && q[-1 - static_cast<ptrdiff_t>(backslashes)] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return q;
    ++q;
  }
  return nullptr;
}

// Where the JSON value that starts at `p` ends: at the ',' or ']' after it
// in the item array; nullptr if the text ends first. It only finds
// boundaries: the text is ours, written by RapidJSON at import, so a value's
// bytes go out as they are, without being decoded and escaped again (that
// took a third of a history query's time).
const char* SkipValue(const char* p, const char* end) {
  int depth = 0;
  for (; p < end; ++p) {
    switch (*p) {
      case '"':
        p = StringEnd(p + 1, end);
        if (!p) return nullptr;
        break;
      case '[':
      case '{':
        ++depth;
        break;
      case ']':
      case '}':
        if (depth == 0) return p;  // the end of the item array
        --depth;
        break;
      case ',':
        if (depth == 0) return p;
        break;
      case '\0':
        return nullptr;
      default:
        break;
    }
  }
  return nullptr;  // an item array always ends with ']'
}

// `"serviceSessionId":`, then `,"tenantId":` and so on: what goes before
// each value, in the order of the stored values.
const std::array<std::string, domain::kItemFields.size()>& KeyPrefixes() {
  static const auto prefixes = [] {
    std::array<std::string, domain::kItemFields.size()> out;
    for (const auto& field : domain::kItemFields) {
      const size_t i = domain::IndexOf(field.field);
      out[i] = (i == 0 ? "\"" : ",\"") + std::string(field.key) + "\":";
    }
    return out;
  }();
  return prefixes;
}

}  // namespace

bool WriteSessionItem(JsonOut& out, std::string_view values) {
  const char* p = values.data();
  const char* end = p + values.size();
  if (p == end || *p != '[') return false;
  ++p;
  const auto& prefixes = KeyPrefixes();
  out.BeginRawValue().Append("{");
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (i > 0) {
      if (p == end || *p != ',') return false;
      ++p;
    }
    const char* value_end = SkipValue(p, end);
    if (!value_end || value_end == p) return false;
    out.Append(prefixes[i]).Append(std::string_view(p, static_cast<size_t>(value_end - p)));
    p = value_end;
  }
  if (p == end || *p != ']' || p + 1 != end) return false;
  out.Append("}");
  return true;
}

}  // namespace kefu::api
