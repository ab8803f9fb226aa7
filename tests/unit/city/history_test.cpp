#include "modules/city/history.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

namespace balai::city {
namespace {

int64_t at(std::string_view iso) {
  auto t = core::parse_iso8601(iso);
  if (!t) throw std::runtime_error("bad time in test: " + std::string(iso));
  return t->ms;
}

// --- Buckets ---

TEST(HistoryBuckets, StartAtTheUtcMinuteAndHourThatHoldTheMoment) {
  const int64_t t = at("2026-11-28T09:59:59.999Z");
  EXPECT_EQ(bucket_start(t, Resolution::minute), at("2026-11-28T09:59:00Z"));
  EXPECT_EQ(bucket_start(t, Resolution::hour), at("2026-11-28T09:00:00Z"));
  EXPECT_EQ(bucket_start(t, Resolution::raw), t);
}

TEST(HistoryBuckets, AMomentOnABoundaryOpensTheNextBucket) {
  const int64_t t = at("2026-11-28T10:00:00Z");
  EXPECT_EQ(bucket_start(t, Resolution::minute), t);
  EXPECT_EQ(bucket_start(t, Resolution::hour), t);
  EXPECT_EQ(bucket_start(t - 1, Resolution::hour), at("2026-11-28T09:00:00Z"));
  EXPECT_EQ(bucket_start(t - 1, Resolution::minute), at("2026-11-28T09:59:00Z"));
}

TEST(HistoryBuckets, FloorBeforeTheEpochToo) {
  EXPECT_EQ(bucket_start(-1, Resolution::minute), -kMinuteMs);
  EXPECT_EQ(bucket_start(-1, Resolution::hour), -kHourMs);
  EXPECT_EQ(bucket_start(-kHourMs, Resolution::hour), -kHourMs);
}

TEST(HistoryBuckets, DoNotDependOnTheZoneATimeWasWrittenIn) {
  // One moment written in WIB, WITA, WIT and UTC falls in one bucket, which starts on a UTC
  // minute/hour; because the zones are whole hours, that is also a local hour's start.
  const std::vector<std::string_view> same_moment = {
      "2026-11-28T16:42:10+07:00", "2026-11-28T17:42:10+08:00", "2026-11-28T18:42:10+09:00",
      "2026-11-28T09:42:10Z"};
  for (auto text : same_moment) {
    EXPECT_EQ(bucket_start(at(text), Resolution::hour), at("2026-11-28T09:00:00Z")) << text;
    EXPECT_EQ(bucket_start(at(text), Resolution::minute), at("2026-11-28T09:42:00Z")) << text;
  }
  for (auto zone : {core::Zone::wib, core::Zone::wita, core::Zone::wit}) {
    const auto midnight = core::start_of_local_day({2026, 11, 28}, zone);
    EXPECT_EQ(bucket_start(midnight.ms, Resolution::hour), midnight.ms);
  }
}

TEST(HistoryBuckets, ResolutionsHaveStableNames) {
  for (auto r : {Resolution::raw, Resolution::minute, Resolution::hour})
    EXPECT_EQ(parse_resolution(to_string(r)), r);
  EXPECT_FALSE(parse_resolution("day"));
  EXPECT_FALSE(parse_resolution("Minute"));
  EXPECT_FALSE(parse_resolution(""));
  EXPECT_EQ(bucket_width_ms(Resolution::minute), 60'000);
  EXPECT_EQ(bucket_width_ms(Resolution::hour), 3'600'000);
  EXPECT_EQ(bucket_width_ms(Resolution::raw), 0);
}

// --- Aggregates ---

TEST(HistoryAggregate, MergeAddsCountsAndSumsAndWidensTheRange) {
  Aggregate a{2, 10, 20, 30};
  merge(a, Aggregate{3, 5, 15, 30});
  EXPECT_EQ(a, (Aggregate{5, 5, 20, 60}));
  EXPECT_DOUBLE_EQ(a.average(), 12);
}

TEST(HistoryAggregate, AnEmptySideChangesNothing) {
  Aggregate empty;
  merge(empty, Aggregate::of(-4.5));
  EXPECT_EQ(empty, (Aggregate{1, -4.5, -4.5, -4.5}));
  Aggregate kept{1, 7, 7, 7};
  merge(kept, Aggregate{});
  EXPECT_EQ(kept, (Aggregate{1, 7, 7, 7}));
  EXPECT_EQ(Aggregate{}.average(), 0);
}

TEST(HistoryRollup, MergeBucketsCombinesPartsOfOneBucketAndSortsThem) {
  const int64_t nine = at("2026-11-28T09:00:00Z"), ten = at("2026-11-28T10:00:00Z");
  const std::vector<Bucket> parts = {{ten, {1, 5, 5, 5}},
                                     {nine, {2, 1, 3, 4}},
                                     {ten, {2, 2, 9, 11}},
                                     {nine + 1, {0, 0, 0, 0}}};  // empty parts vanish
  EXPECT_EQ(merge_buckets(parts),
            (std::vector<Bucket>{{nine, {2, 1, 3, 4}}, {ten, {3, 2, 9, 16}}}));
  EXPECT_TRUE(merge_buckets({}).empty());
}

// --- The window ---

constexpr core::Timestamp kNow{1'795'856'400'000};  // 2026-11-28T09:00:00Z

core::Result<HistoryWindow> window(std::optional<std::string_view> from,
                                   std::optional<std::string_view> to,
                                   std::optional<std::string_view> resolution = std::nullopt) {
  return parse_window(from, to, resolution, kNow);
}

std::string refused_field(const core::Result<HistoryWindow>& w) {
  if (w.ok()) return "accepted";
  EXPECT_EQ(w.error().code, core::ErrorCode::validation_failed);
  return w.error().fields.empty() ? "no field" : w.error().fields.begin()->first;
}

TEST(HistoryWindowTest, DefaultsToTheLastDayByTheMinute) {
  auto w = window(std::nullopt, std::nullopt);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->to, kNow);
  EXPECT_EQ(w->from.ms, kNow.ms - core::kDayMs);
  EXPECT_EQ(w->resolution, Resolution::minute);
}

TEST(HistoryWindowTest, TheSpanChoosesTheResolutionWhenNoneIsAsked) {
  auto resolution_for = [](std::string_view from, std::string_view to) {
    auto w = window(from, to);
    return w.ok() ? std::string(to_string(w->resolution)) : w.error().message;
  };
  EXPECT_EQ(resolution_for("2026-11-28T03:00:00Z", "2026-11-28T09:00:00Z"), "raw");  // 6 h
  EXPECT_EQ(resolution_for("2026-11-28T02:59:59.999Z", "2026-11-28T09:00:00Z"), "minute");
  EXPECT_EQ(resolution_for("2026-11-25T09:00:00Z", "2026-11-28T09:00:00Z"), "minute");  // 3 d
  EXPECT_EQ(resolution_for("2026-11-25T08:59:59Z", "2026-11-28T09:00:00Z"), "hour");
  // `from` alone counts back from now; `to` alone goes a day back from it.
  auto w = window("2026-11-28T08:00:00+07:00", std::nullopt);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from.ms, at("2026-11-28T01:00:00Z"));
  EXPECT_EQ(w->to, kNow);
  w = window(std::nullopt, "2026-11-20T00:00:00Z", "hour");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from.ms, at("2026-11-19T00:00:00Z"));
  EXPECT_EQ(w->resolution, Resolution::hour);
}

TEST(HistoryWindowTest, RefusesTimesThatDoNotParseOrHaveNoZone) {
  EXPECT_EQ(refused_field(window("kemarin", std::nullopt)), "from");
  EXPECT_EQ(refused_field(window(std::nullopt, "2026-11-28T09:00:00")), "to");  // no zone
  EXPECT_EQ(refused_field(window("", std::nullopt)), "from");
  EXPECT_EQ(refused_field(window("2026-02-30T00:00:00Z", std::nullopt)), "from");
}

TEST(HistoryWindowTest, ReadsAPlusDecodedAsASpaceFromAQueryString) {
  auto w = window("2026-11-28T08:00:00 07:00", "2026-11-28T09:00:00.5 07:00");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from.ms, at("2026-11-28T01:00:00Z"));
  EXPECT_EQ(w->to.ms, at("2026-11-28T02:00:00.5Z"));
  EXPECT_EQ(refused_field(window("2026-11-28 08:00:00", std::nullopt)), "from");  // still no zone
}

TEST(HistoryWindowTest, RefusesFromAfterToButAcceptsAnInstant) {
  EXPECT_EQ(refused_field(window("2026-11-28T09:00:00.001Z", "2026-11-28T09:00:00Z")), "from");
  auto w = window("2026-11-28T09:00:00Z", "2026-11-28T16:00:00+07:00");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from, w->to);
  EXPECT_EQ(w->resolution, Resolution::raw);
}

TEST(HistoryWindowTest, LimitsTheSpanByResolution) {
  EXPECT_EQ(refused_field(window("2026-10-28T09:00:00Z", "2026-11-28T09:00:00Z", "raw")),
            "accepted");  // 31 days
  EXPECT_EQ(refused_field(window("2026-10-28T08:59:59Z", "2026-11-28T09:00:00Z", "raw")), "from");
  EXPECT_EQ(refused_field(window("2025-11-27T09:00:00Z", "2026-11-28T09:00:00Z", "minute")),
            "accepted");  // 366 days
  EXPECT_EQ(refused_field(window("2025-11-27T08:59:59Z", "2026-11-28T09:00:00Z", "hour")), "from");
  EXPECT_EQ(refused_field(window("2025-11-27T08:59:59Z", "2026-11-28T09:00:00Z")), "from");
}

TEST(HistoryWindowTest, RefusesAnUnknownResolution) {
  EXPECT_EQ(refused_field(window(std::nullopt, std::nullopt, "day")), "resolution");
  EXPECT_EQ(refused_field(window(std::nullopt, std::nullopt, "")), "resolution");
}

TEST(HistoryWindowTest, BucketRangeHoldsEveryBucketTheWindowTouches) {
  auto w = window("2026-11-28T09:10:30Z", "2026-11-28T11:00:00Z", "hour");
  ASSERT_TRUE(w.ok());
  auto r = bucket_range(*w);
  EXPECT_EQ(r.first_ms, at("2026-11-28T09:00:00Z"));
  EXPECT_EQ(r.last_ms, at("2026-11-28T11:00:00Z"));  // `to` itself is in the window
  w = window("2026-11-28T09:10:30Z", "2026-11-28T09:12:00Z", "minute");
  ASSERT_TRUE(w.ok());
  r = bucket_range(*w);
  EXPECT_EQ(r.first_ms, at("2026-11-28T09:10:00Z"));
  EXPECT_EQ(r.last_ms, at("2026-11-28T09:12:00Z"));
}

// --- Answers ---

TEST(HistoryCsv, RawPointsAreOneLinePerPointWithUtcTimes) {
  const std::vector<RawPoint> points = {{at("2026-11-28T16:00:00+07:00"), 153.2},
                                        {at("2026-11-28T09:00:01.5Z"), 150.0},
                                        {at("2026-11-28T09:00:02Z"), boost::json::value(7)}};
  EXPECT_EQ(raw_csv(points),
            "t,value\r\n"
            "2026-11-28T09:00:00.000Z,153.2\r\n"
            "2026-11-28T09:00:01.500Z,150\r\n"
            "2026-11-28T09:00:02.000Z,7\r\n");
  EXPECT_EQ(raw_csv({}), "t,value\r\n");
}

TEST(HistoryCsv, TextIsQuotedAndNeverReadAsAFormula) {
  const int64_t t = at("2026-11-28T09:00:00Z");
  const std::vector<RawPoint> points = {{t, "fire"},
                                        {t, "say \"help\", now"},
                                        {t, "=HYPERLINK(\"x\")"},
                                        {t, "-1"},
                                        {t, true},
                                        {t, boost::json::object{{"a", "b"}}}};
  EXPECT_EQ(raw_csv(points),
            "t,value\r\n"
            "2026-11-28T09:00:00.000Z,\"fire\"\r\n"
            "2026-11-28T09:00:00.000Z,\"say \"\"help\"\", now\"\r\n"
            "2026-11-28T09:00:00.000Z,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
            "2026-11-28T09:00:00.000Z,\"'-1\"\r\n"
            "2026-11-28T09:00:00.000Z,\"true\"\r\n"
            "2026-11-28T09:00:00.000Z,\"{\"\"a\"\":\"\"b\"\"}\"\r\n");
}

TEST(HistoryCsv, BucketsCarryCountRangeAndAverage) {
  const std::vector<Bucket> buckets = {{at("2026-11-28T09:00:00Z"), {3, 150, 160.5, 461.5}},
                                       {at("2026-11-28T10:00:00Z"), {1, -2, -2, -2}}};
  EXPECT_EQ(buckets_csv(buckets),
            "t,count,min,max,avg\r\n"
            "2026-11-28T09:00:00.000Z,3,150,160.5,153.83333333333334\r\n"
            "2026-11-28T10:00:00.000Z,1,-2,-2,-2\r\n");
}

TEST(HistoryJson, RawPointsAreValidJsonWithShortestNumbers) {
  const std::vector<RawPoint> points = {{at("2026-11-28T09:00:00Z"), 153.2},
                                        {at("2026-11-28T09:01:00Z"), "banjir \"besar\""}};
  const std::string text = raw_points_json(points);
  EXPECT_NE(text.find(R"("value":153.2})"), std::string::npos) << text;
  const auto v = boost::json::parse(text);
  ASSERT_TRUE(v.is_array());
  ASSERT_EQ(v.as_array().size(), 2u);
  EXPECT_EQ(v.at(0).at("t").as_string(), "2026-11-28T09:00:00.000Z");
  EXPECT_EQ(v.at(0).at("value").to_number<double>(), 153.2);
  EXPECT_EQ(v.at(1).at("value").as_string(), "banjir \"besar\"");
  EXPECT_EQ(raw_points_json({}), "[]");
}

TEST(HistoryJson, BucketPointsCarryCountMinMaxAndAverage) {
  const std::vector<Bucket> buckets = {{at("2026-11-28T09:00:00Z"), {4, 1.5, 3, 9}}};
  const std::string text = bucket_points_json(buckets);
  EXPECT_EQ(text, R"([{"t":"2026-11-28T09:00:00.000Z","count":4,"min":1.5,"max":3,"avg":2.25}])");
  EXPECT_TRUE(boost::json::parse(text).is_array());
  EXPECT_EQ(bucket_points_json({}), "[]");
}

TEST(HistoryCsv, FileNamesKeepSafeCharactersOnly) {
  EXPECT_EQ(csv_file_name("river-01", "waterLevel", Resolution::hour),
            "river-01_waterLevel_hour.csv");
  EXPECT_EQ(csv_file_name("urn:ngsi-ld:Water\\Level:01", "level", Resolution::raw),
            "urn_ngsi-ld_Water_Level_01_level_raw.csv");
}

}  // namespace
}  // namespace balai::city
