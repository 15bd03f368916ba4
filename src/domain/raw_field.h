// A request-body field as it arrived, before the domain validates it. The API
// layer turns JSON into RawFields; the domain never sees JSON.
#pragma once

#include <cstdint>
#include <string>

namespace kefu::domain {

struct RawField {
  enum class Kind { kAbsent, kNull, kText, kInteger, kBoolean, kOther };
  Kind kind = Kind::kAbsent;
  std::string text;     // when kText
  int64_t integer = 0;  // when kInteger; 0 or 1 when kBoolean

  static RawField Text(std::string s) { return {Kind::kText, std::move(s), 0}; }
  static RawField Integer(int64_t v) { return {Kind::kInteger, {}, v}; }
  static RawField Boolean(bool v) { return {Kind::kBoolean, {}, v ? 1 : 0}; }
  static RawField Null() { return {Kind::kNull, {}, 0}; }
  static RawField Other() { return {Kind::kOther, {}, 0}; }

  // Absent and null mean the same: "not given".
  bool given() const { return kind != Kind::kAbsent && kind != Kind::kNull; }
};

}  // namespace kefu::domain
