// Time zones and the datetime texts of the API (CONTRACT §7). Stored instants
// are UTC; a tenant's zone is a fixed offset written like "UTC+8".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kefu {

// A fixed UTC offset, in seconds east of UTC.
struct TimeZone {
  int offset_seconds = 0;
  bool operator==(const TimeZone&) const = default;
};

// Parses "UTC", "UTC+8", "UTC-5", "UTC+5:30", "UTC+05:45" (offsets within
// ±14:00, minutes 0..59). Returns nullopt for anything else.
std::optional<TimeZone> ParseTimeZone(std::string_view text);

// The canonical name of a zone: "UTC+8", "UTC-3:30", "UTC+0".
std::string TimeZoneName(TimeZone zone);

// "yyyy-MM-dd HH:mm:ss" of a UTC instant, in the given zone.
std::string FormatLocalDateTime(int64_t unix_seconds, TimeZone zone);

// "yyyy-MM-ddTHH:mm:ss.SSS+hhmm" of a UTC instant, in the given zone (role timestamps).
std::string FormatOffsetTimestamp(int64_t unix_millis, TimeZone zone);

// Reads "yyyy-MM-dd HH:mm:ss" as a local time in `zone`; nullopt if malformed.
std::optional<int64_t> ParseLocalDateTime(std::string_view text, TimeZone zone);

// Reads an ISO-8601 instant: "2018-06-16T23:59:59.000Z", with the fraction
// optional and "Z", "+08:00", "+0800" or nothing (UTC) as the zone. Returns
// unix milliseconds, or nullopt if malformed or out of range.
std::optional<int64_t> ParseIso8601(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t& year, unsigned& month, unsigned& day);

}  // namespace kefu
