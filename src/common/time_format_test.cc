#include "common/time_format.h"

#include <gtest/gtest.h>

namespace kefu {
namespace {

TEST(TimeZoneTest, ParsesFixedOffsets) {
  EXPECT_EQ(ParseTimeZone("UTC+8")->offset_seconds, 8 * 3600);
  EXPECT_EQ(ParseTimeZone("UTC-5")->offset_seconds, -5 * 3600);
  EXPECT_EQ(ParseTimeZone("UTC+5:30")->offset_seconds, 5 * 3600 + 1800);
  EXPECT_EQ(ParseTimeZone("UTC+05:45")->offset_seconds, 5 * 3600 + 45 * 60);
  EXPECT_EQ(ParseTimeZone("UTC")->offset_seconds, 0);
}

TEST(TimeZoneTest, RejectsOthers) {
  for (const char* bad : {"", "GMT+8", "UTC8", "UTC+", "UTC+15", "UTC+8:60", "UTC+8:3", "UTC+123",
                          "Asia/Shanghai", "UTC+8 "}) {
    EXPECT_FALSE(ParseTimeZone(bad)) << bad;
  }
}

TEST(TimeZoneTest, NamesRoundTrip) {
  for (const char* name : {"UTC+8", "UTC-5", "UTC+5:30", "UTC+0"}) {
    EXPECT_EQ(TimeZoneName(*ParseTimeZone(name)), name);
  }
}

TEST(FormatTest, LocalDateTimeInTenantZone) {
  // 2018-06-10 06:19:41 UTC is 14:19:41 in UTC+8.
  int64_t t = *ParseIso8601("2018-06-10T06:19:41Z") / 1000;
  EXPECT_EQ(FormatLocalDateTime(t, TimeZone{8 * 3600}), "2018-06-10 14:19:41");
  EXPECT_EQ(FormatLocalDateTime(t, TimeZone{-7 * 3600}), "2018-06-09 23:19:41");
  EXPECT_EQ(FormatLocalDateTime(0, TimeZone{0}), "1970-01-01 00:00:00");
  EXPECT_EQ(FormatLocalDateTime(-1, TimeZone{0}), "1969-12-31 23:59:59");
}

TEST(FormatTest, OffsetTimestampLikeRoles) {
  int64_t ms = *ParseIso8601("2018-03-23T16:02:02.000+08:00");
  EXPECT_EQ(FormatOffsetTimestamp(ms, TimeZone{8 * 3600}), "2018-03-23T16:02:02.000+0800");
  EXPECT_EQ(FormatOffsetTimestamp(ms + 7, TimeZone{-(3 * 3600 + 1800)}),
            "2018-03-23T04:32:02.007-0330");
}

TEST(ParseTest, LocalDateTimeIsInverseOfFormat) {
  TimeZone z{8 * 3600};
  auto t = ParseLocalDateTime("2018-06-10 14:19:41", z);
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatLocalDateTime(*t, z), "2018-06-10 14:19:41");
  EXPECT_FALSE(ParseLocalDateTime("2018-06-10T14:19:41", z));
  EXPECT_FALSE(ParseLocalDateTime("2018-02-30 00:00:00", z));
  EXPECT_FALSE(ParseLocalDateTime("2018-06-10 24:00:00", z));
}

TEST(ParseTest, Iso8601Forms) {
  const int64_t base = 1529193599000;  // 2018-06-16T23:59:59Z
  EXPECT_EQ(ParseIso8601("2018-06-16T23:59:59.000Z"), base);
  EXPECT_EQ(ParseIso8601("2018-06-16T23:59:59Z"), base);
  EXPECT_EQ(ParseIso8601("2018-06-16T23:59:59"), base);
  EXPECT_EQ(ParseIso8601("2018-06-16T23:59:59.5Z"), base + 500);
  EXPECT_EQ(ParseIso8601("2018-06-17T07:59:59+08:00"), base);
  EXPECT_EQ(ParseIso8601("2018-06-17T07:59:59.000+0800"), base);
  EXPECT_EQ(ParseIso8601("2016-02-29T00:00:00Z"), 1456704000000);
  EXPECT_EQ(ParseIso8601("2018-06-17T13:59:59+14:00"), base);
  EXPECT_EQ(ParseIso8601("2018-06-16T09:59:59-14:00"), base);
}

TEST(ParseTest, Iso8601Rejects) {
  for (const char* bad : {"", "2018-06-16", "2018-06-16 23:59:59Z", "2018-13-01T00:00:00Z",
                          "2017-02-29T00:00:00Z", "2018-06-16T23:59:59.Z", "2018-06-16T23:59:59+8",
                          "2018-06-16T23:59:59Zjunk", "2018-06-16T23:59:60Z", "x",
                          // Past ±14:00, the range of a tenant's zone too.
                          "2018-06-16T23:59:59+14:01", "2018-06-16T23:59:59-14:59"}) {
    EXPECT_FALSE(ParseIso8601(bad)) << bad;
  }
}

TEST(CivilTest, RoundTripsAcrossCenturies) {
  for (int64_t days : {-719468LL, -1LL, 0LL, 10957LL, 17692LL, 2932896LL}) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, y, m, d);
    EXPECT_EQ(DaysFromCivil(y, m, d), days);
  }
}

}  // namespace
}  // namespace kefu
