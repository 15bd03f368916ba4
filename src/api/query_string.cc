#include "api/query_string.h"

#include <fmt/format.h>

#include "common/text.h"

namespace kefu::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

QueryString::QueryString(std::string_view query) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    std::string_view pair =
        query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view name = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      params_.emplace_back(PercentDecode(name, true), PercentDecode(value, true));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
}

std::optional<std::string_view> QueryString::Get(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string> QueryString::GetList(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : params_) {
    if (k != name) continue;
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string item =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(std::move(item));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

namespace {

// Why `text` cannot reach a store, or nullptr if it can.
const char* TextProblem(const std::string& text) {
  if (!Utf8Length(text)) return "is not UTF-8 text";
  if (text.find('\0') != std::string::npos) return "holds a NUL character";
  return nullptr;
}

}  // namespace

Status QueryString::CheckText() const {
  for (const auto& [k, v] : params_) {
    // error_mapping makes the quoted name valid UTF-8 in the answer.
    if (const char* problem = TextProblem(k)) {
      return Error(Code::kInvalidParam, fmt::format("a parameter name {}: '{}'", problem, k));
    }
    if (const char* problem = TextProblem(v)) {
      return Error(Code::kInvalidParam, fmt::format("parameter '{}' {}", k, problem));
    }
  }
  return Status::Ok();
}

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

}  // namespace kefu::api
