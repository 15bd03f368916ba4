#include "store/bound_lists.h"

#include <fmt/format.h>

namespace kefu::store {
namespace {

// Joins `values` between `open` and `close`, each written by `write`.
template <typename T, typename Write>
std::string Join(const std::vector<T>& values, char open, char close, Write write) {
  std::string out(1, open);
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    write(out, values[i]);
  }
  return out + close;
}

void AppendJsonString(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  out += '"';
}

void AppendPgText(std::string& out, const std::optional<std::string>& s) {
  if (!s) {
    out += "NULL";
    return;
  }
  out += '"';
  for (char c : *s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void AppendPgInt(std::string& out, const std::optional<int64_t>& v) {
  out += v ? std::to_string(*v) : "NULL";
}

}  // namespace

std::string JsonList(const std::vector<std::string>& values) {
  return Join(values, '[', ']', AppendJsonString);
}

std::string JsonList(const std::vector<int64_t>& values) {
  return Join(values, '[', ']', [](std::string& out, int64_t v) { out += std::to_string(v); });
}

std::string PgTextArray(const std::vector<std::optional<std::string>>& values) {
  return Join(values, '{', '}', AppendPgText);
}

std::string PgTextArray(const std::vector<std::string>& values) {
  return Join(values, '{', '}',
              [](std::string& out, const std::string& s) { AppendPgText(out, s); });
}

std::string PgIntArray(const std::vector<std::optional<int64_t>>& values) {
  return Join(values, '{', '}', AppendPgInt);
}

std::string PgIntArray(const std::vector<int64_t>& values) {
  return Join(values, '{', '}', [](std::string& out, int64_t v) { out += std::to_string(v); });
}

}  // namespace kefu::store
