#include "common/time_format.h"

#include <fmt/format.h>

#include <cstdlib>

namespace kefu {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int kMaxOffsetSeconds = 14 * 3600;

// Reads exactly `width` decimal digits at `pos`.
bool ReadDigits(std::string_view s, size_t& pos, size_t width, int64_t& out) {
  if (pos + width > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += width;
  out = v;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads "yyyy-MM-dd?HH:mm:ss" with `sep` between date and time into seconds
// since the epoch, treating the fields as UTC.
bool ReadDateTime(std::string_view s, size_t& pos, char sep, int64_t& out) {
  int64_t y, mo, d, h, mi, se;
  if (!ReadDigits(s, pos, 4, y) || !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, mo) ||
      !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, d) || !Expect(s, pos, sep) ||
      !ReadDigits(s, pos, 2, h) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, mi) ||
      !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, se)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, static_cast<unsigned>(mo)) || h > 23 ||
      mi > 59 || se > 59) {
    return false;
  }
  out = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kSecondsPerDay +
        h * 3600 + mi * 60 + se;
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
}

std::optional<TimeZone> ParseTimeZone(std::string_view text) {
  if (text.substr(0, 3) != "UTC") return std::nullopt;
  std::string_view rest = text.substr(3);
  if (rest.empty()) return TimeZone{0};
  int sign = rest[0] == '+' ? 1 : rest[0] == '-' ? -1 : 0;
  if (sign == 0) return std::nullopt;
  rest.remove_prefix(1);
  size_t colon = rest.find(':');
  std::string_view hours = rest.substr(0, colon);
  std::string_view minutes = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
  if (hours.empty() || hours.size() > 2) return std::nullopt;
  if (colon != std::string_view::npos && minutes.size() != 2) return std::nullopt;
  int h = 0, m = 0;
  for (char c : hours) {
    if (c < '0' || c > '9') return std::nullopt;
    h = h * 10 + (c - '0');
  }
  for (char c : minutes) {
    if (c < '0' || c > '9') return std::nullopt;
    m = m * 10 + (c - '0');
  }
  int offset = h * 3600 + m * 60;
  if (m > 59 || offset > kMaxOffsetSeconds) return std::nullopt;
  return TimeZone{sign * offset};
}

std::string TimeZoneName(TimeZone zone) {
  int abs = std::abs(zone.offset_seconds);
  char sign = zone.offset_seconds < 0 ? '-' : '+';
  int h = abs / 3600, m = abs % 3600 / 60;
  return m == 0 ? fmt::format("UTC{}{}", sign, h) : fmt::format("UTC{}{}:{:02}", sign, h, m);
}

namespace {

struct Fields {
  int64_t year;
  unsigned month, day, hour, minute, second;
};

Fields Split(int64_t local_seconds) {
  int64_t days = local_seconds / kSecondsPerDay;
  int64_t secs = local_seconds % kSecondsPerDay;
  if (secs < 0) {
    secs += kSecondsPerDay;
    --days;
  }
  Fields f{};
  CivilFromDays(days, f.year, f.month, f.day);
  f.hour = static_cast<unsigned>(secs / 3600);
  f.minute = static_cast<unsigned>(secs % 3600 / 60);
  f.second = static_cast<unsigned>(secs % 60);
  return f;
}

}  // namespace

std::string FormatLocalDateTime(int64_t unix_seconds, TimeZone zone) {
  Fields f = Split(unix_seconds + zone.offset_seconds);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", f.year, f.month, f.day, f.hour,
                     f.minute, f.second);
}

std::string FormatOffsetTimestamp(int64_t unix_millis, TimeZone zone) {
  int64_t seconds = unix_millis / 1000, millis = unix_millis % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  Fields f = Split(seconds + zone.offset_seconds);
  int abs = std::abs(zone.offset_seconds);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}{:02}{:02}", f.year, f.month,
                     f.day, f.hour, f.minute, f.second, millis,
                     zone.offset_seconds < 0 ? '-' : '+', abs / 3600, abs % 3600 / 60);
}

std::optional<int64_t> ParseLocalDateTime(std::string_view text, TimeZone zone) {
  size_t pos = 0;
  int64_t seconds;
  if (!ReadDateTime(text, pos, ' ', seconds) || pos != text.size()) return std::nullopt;
  return seconds - zone.offset_seconds;
}

std::optional<int64_t> ParseIso8601(std::string_view text) {
  size_t pos = 0;
  int64_t seconds;
  if (!ReadDateTime(text, pos, 'T', seconds)) return std::nullopt;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t frac = 0, scale = 1000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start < 3) {
        frac = frac * 10 + (text[pos] - '0');
        scale /= 10;
      }
      ++pos;
    }
    if (pos == start || pos - start > 9) return std::nullopt;
    millis = frac * scale;
  }
  int offset = 0;
  if (pos < text.size()) {
    char c = text[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      ++pos;
      int64_t h, m;
      if (!ReadDigits(text, pos, 2, h)) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') ++pos;
      // The same range as a tenant's zone (ParseTimeZone): ±14:00 at most.
      if (!ReadDigits(text, pos, 2, m) || m > 59 || h * 3600 + m * 60 > kMaxOffsetSeconds) {
        return std::nullopt;
      }
      offset = static_cast<int>((h * 3600 + m * 60) * (c == '-' ? -1 : 1));
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return (seconds - offset) * 1000 + millis;
}

}  // namespace kefu
