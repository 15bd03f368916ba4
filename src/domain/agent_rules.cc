#include "domain/agent_rules.h"

#include <fmt/format.h>

#include "common/limits.h"
#include "common/text.h"

namespace kefu::domain {
namespace {

bool TooLong(const std::string& s) {
  auto n = Utf8Length(s);
  return !n || *n > limits::kTextFieldMaxChars;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

std::optional<std::string> CoerceText(const RawField& f) {
  if (f.kind == RawField::Kind::kText) return f.text;
  if (f.kind == RawField::Kind::kInteger) return std::to_string(f.integer);
  return std::nullopt;
}

std::optional<int64_t> CoerceInteger(const RawField& f) {
  if (f.kind == RawField::Kind::kInteger) return f.integer;
  if (f.kind == RawField::Kind::kText) {
    return ParseInteger(f.text, INT64_MIN, INT64_MAX);
  }
  return std::nullopt;
}

bool IsValidEmail(std::string_view s) {
  if (s.size() > limits::kUsernameMaxChars) return false;
  size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : s.substr(0, at)) {
    if (c <= ' ' || c >= 0x7f || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' ||
        c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
      return false;
    }
  }
  std::string_view domain = s.substr(at + 1);
  int labels = 0;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsLabelChar(c)) return false;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2;
}

Result<std::string> CheckNicename(const RawField& f) {
  if (!f.given() || (f.kind == RawField::Kind::kText && f.text.empty())) {
    return Error(Code::kEmptyNicename, "nicename must not be empty");
  }
  auto text = CoerceText(f);
  if (!text) return Error(Code::kInvalidParam, "nicename must be a string");
  if (TooLong(*text)) {
    return Error(Code::kInvalidParam,
                 fmt::format("nicename must be at most {} characters", limits::kTextFieldMaxChars));
  }
  return *text;
}

Result<std::string> CheckUsername(const RawField& f) {
  if (!f.given()) return Error(Code::kInvalidParam, "username is required");
  auto text = CoerceText(f);
  if (!text || !IsValidEmail(*text)) {
    return Error(Code::kInvalidParam, "username must be an e-mail address");
  }
  return *text;
}

Result<std::string> CheckPassword(const RawField& f) {
  auto text = f.given() ? CoerceText(f) : std::nullopt;
  if (!text) return Error(Code::kBadPassword, "password is required");
  auto n = Utf8Length(*text);
  if (!n) return Error(Code::kBadPassword, "password must be valid UTF-8");
  if (*n < static_cast<size_t>(limits::kPasswordMinChars) ||
      *n > static_cast<size_t>(limits::kPasswordMaxChars)) {
    return Error(Code::kBadPassword, fmt::format("password must be {} to {} characters",
                                                 limits::kPasswordMinChars,
                                                 limits::kPasswordMaxChars));
  }
  return *text;
}

Result<int64_t> CheckRoleId(const RawField& f) {
  if (!f.given()) return Error(Code::kRoleMissing, "roleId is required");
  auto id = CoerceInteger(f);
  if (!id || *id < 1) return Error(Code::kBadRole, "roleId does not name a role of this tenant");
  return *id;
}

Result<int> CheckMaxServiceSessions(const RawField& f, int fallback) {
  if (!f.given()) return fallback;
  auto v = CoerceInteger(f);
  if (!v || *v < 0 || *v > limits::kMaxServiceSessionMax) {
    return Error(Code::kInvalidParam,
                 fmt::format("maxServiceSessionCount must be an integer from 0 to {}",
                             limits::kMaxServiceSessionMax));
  }
  return static_cast<int>(*v);
}

Result<std::string> CheckOptionalText(const RawField& f, std::string_view name,
                                      const std::string& fallback) {
  if (!f.given()) return fallback;
  auto text = CoerceText(f);
  if (!text) return Error(Code::kInvalidParam, fmt::format("{} must be a string", name));
  if (TooLong(*text)) {
    return Error(Code::kInvalidParam,
                 fmt::format("{} must be at most {} characters", name, limits::kTextFieldMaxChars));
  }
  return *text;
}

}  // namespace kefu::domain
