// Every parser of common/time_format.h on the input as text, with the
// properties that tie them to their formatters:
//   - ParseIso8601 (history date bounds): its date and time fields read the
//     same as ParseLocalDateTime's, the zone moves the instant by at most
//     14 h, and format -> parse gives the instant back in any zone, for every
//     instant of the years 0000..9999 (and fails outside them);
//   - ParseLocalDateTime (imported datetimes): format gives the text back;
//   - ParseTimeZone (tenant zones): the canonical name parses to the same zone;
//   - DaysFromCivil / CivilFromDays: inverse of each other.
// When the input has 8 bytes or more, its first 8 also drive the numeric
// properties as an integer.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/time_format.h"
#include "support/checks.h"

namespace {

using namespace kefu;

std::string_view g_input;

[[noreturn]] void Fail(std::string_view what, const std::string& detail = {}) {
  fuzz::Fail(what, "input: " + fuzz::Printable(g_input) + (detail.empty() ? "" : "\n" + detail));
}

constexpr int64_t kMaxOffset = 14 * 3600;

// Zones to format in: UTC, the demo's, a western half-hour one, and the extremes.
constexpr TimeZone kZones[] = {{0}, {8 * 3600}, {-(5 * 3600 + 1800)}, {kMaxOffset}, {-kMaxOffset}};

// The year a UTC instant (seconds) shows in `zone`.
int64_t YearOf(int64_t unix_seconds, TimeZone zone) {
  int64_t local = unix_seconds + zone.offset_seconds;
  int64_t days = local / 86400 - (local % 86400 < 0 ? 1 : 0);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  return y;
}

bool FourDigitYear(int64_t y) { return y >= 0 && y <= 9999; }

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0); }

// Format in `zone`, parse back: the instant again for years 0000..9999, else
// no instant at all (the text is not yyyy-…).
void CheckMillisRoundTrip(int64_t millis, TimeZone zone) {
  std::string text = FormatOffsetTimestamp(millis, zone);
  auto back = ParseIso8601(text);
  int64_t year = YearOf(FloorDiv(millis, 1000), zone);
  if (FourDigitYear(year)) {
    if (back != millis) Fail("ParseIso8601(FormatOffsetTimestamp(t)) != t", text);
  } else if (back) {
    Fail("ParseIso8601 read a year outside 0000..9999", text);
  }
}

void CheckSecondsRoundTrip(int64_t seconds, TimeZone zone) {
  std::string text = FormatLocalDateTime(seconds, zone);
  auto back = ParseLocalDateTime(text, zone);
  if (FourDigitYear(YearOf(seconds, zone))) {
    if (back != seconds) Fail("ParseLocalDateTime(FormatLocalDateTime(t)) != t", text);
  } else if (back) {
    Fail("ParseLocalDateTime read a year outside 0000..9999", text);
  }
}

void CheckIso(std::string_view text) {
  auto ms = ParseIso8601(text);
  if (!ms) return;
  // The fields: "yyyy-MM-ddTHH:mm:ss" read as a UTC local time.
  if (text.size() < 19 || (text[10] != 'T')) Fail("ParseIso8601 accepted text without yyyy-MM-ddTHH:mm:ss");
  std::string local(text.substr(0, 19));
  local[10] = ' ';
  auto fields = ParseLocalDateTime(local, TimeZone{0});
  if (!fields) Fail("ParseIso8601 accepted fields ParseLocalDateTime refuses");
  // Fraction minus offset. ParseIso8601 takes offsets up to ±14:59 (hours
  // 0..14, minutes 0..59), wider than ParseTimeZone's ±14:00.
  int64_t shift = *ms - *fields * 1000;
  constexpr int64_t kMaxIsoOffset = 14 * 3600 + 59 * 60;
  if (shift < -kMaxIsoOffset * 1000 || shift > kMaxIsoOffset * 1000 + 999) Fail("ParseIso8601 zone beyond 14:59");
  if (text.size() == 19 && shift != 0) Fail("ParseIso8601 without a zone is not UTC");
  for (TimeZone z : kZones) CheckMillisRoundTrip(*ms, z);
}

void CheckLocal(std::string_view text) {
  for (TimeZone z : kZones) {
    auto t = ParseLocalDateTime(text, z);
    if (!t) continue;
    std::string again = FormatLocalDateTime(*t, z);
    if (again != text) Fail("FormatLocalDateTime(ParseLocalDateTime(s)) != s", again);
    if (ParseLocalDateTime(text, TimeZone{0}).value() - *t != z.offset_seconds) {
      Fail("ParseLocalDateTime does not subtract the zone offset");
    }
  }
}

void CheckZone(std::string_view text) {
  auto zone = ParseTimeZone(text);
  if (!zone) return;
  int off = zone->offset_seconds;
  if (off < -kMaxOffset || off > kMaxOffset || off % 60 != 0) Fail("ParseTimeZone offset out of range");
  std::string name = TimeZoneName(*zone);
  if (ParseTimeZone(name) != zone) Fail("ParseTimeZone(TimeZoneName(z)) != z", name);
  CheckSecondsRoundTrip(0, *zone);
}

void CheckNumbers(int64_t raw) {
  // Days across ±2^40 (years beyond ±3 billion), as the calendar functions
  // promise proleptic Gregorian dates far outside what the API stores.
  int64_t days = raw % (int64_t{1} << 40);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  if (m < 1 || m > 12 || d < 1 || d > 31) Fail("CivilFromDays gave an impossible date");
  if (DaysFromCivil(y, m, d) != days) Fail("DaysFromCivil(CivilFromDays(n)) != n");

  // Instants around the years the API can name (±2^38 s is ±8,700 years
  // around 1970), so both in-range and out-of-range years are seen.
  int64_t seconds = raw % (int64_t{1} << 38);
  int64_t millis = raw % (int64_t{1} << 48);
  for (TimeZone z : kZones) {
    CheckSecondsRoundTrip(seconds, z);
    CheckMillisRoundTrip(millis, z);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_input = std::string_view(reinterpret_cast<const char*>(data), size);
  CheckIso(g_input);
  CheckLocal(g_input);
  CheckZone(g_input);
  if (size >= 8) {
    int64_t raw;
    std::memcpy(&raw, data, sizeof raw);
    CheckNumbers(raw);
  }
  return 0;
}
