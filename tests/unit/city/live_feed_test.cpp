// The live feed without a server. The JSON of one change as the live stream and the dashboard
// read it (live_json): written by hand for speed, so its exact text is pinned here: field
// order, escaping, numbers in their shortest form, units from unitCode, the location point,
// deletions. The batches streams without filters share (batch_since).
#include "modules/city/live_feed.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace balai::city {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

Entity gauge() {
  Entity e;
  e.id = "kali-madiun-01";
  e.type = "WaterLevelObserved";
  e.attrs["waterLevel"] = Attribute{
      "Number", 153.2, boost::json::object{{"unitCode", {{"type", "Text"}, {"value", "CMT"}}}}};
  e.attrs["status"] = Attribute{"Text", "siaga \"3\"\n", {}};
  e.attrs["count"] = Attribute{"Number", 7, {}};
  e.attrs["detail"] = Attribute{"StructuredValue", boost::json::object{{"zone", "B"}}, {}};
  e.attrs["location"] = Attribute{"geo:point", "-7.6298, 111.5239", {}};
  e.created_ms = e.modified_ms = kNow;
  return e;
}

TEST(LiveJson, WritesEveryFieldInOrderWithNumbersInTheirShortestForm) {
  const std::string text = live_json(Changed{gauge(), {"waterLevel", "status"}, false, false});
  EXPECT_EQ(
      text,
      R"({"id":"kali-madiun-01","type":"WaterLevelObserved","deleted":false,)"
      R"("changed":["waterLevel","status"],)"
      R"("attrs":{"count":7,"detail":{"zone":"B"},"status":"siaga \"3\"\n","waterLevel":153.2},)"
      R"("units":{"waterLevel":"CMT"},)"
      R"("location":{"lat":-7.6298,"lon":111.5239},"modifiedAt":"2026-01-01T00:00:00Z"})");
  EXPECT_NO_THROW((void)boost::json::parse(text));
}

TEST(LiveJson, ADeletedEntityWithoutLocationOrAttributes) {
  Entity e;
  e.id = "panic-01";
  e.type = "Alert";
  e.modified_ms = kNow;
  EXPECT_EQ(live_json(Changed{e, {}, false, true}),
            R"({"id":"panic-01","type":"Alert","deleted":true,"changed":[],"attrs":{},)"
            R"("units":{},"location":null,"modifiedAt":"2026-01-01T00:00:00Z"})");
}

Changed reading(std::string id, std::string type, double level) {
  Entity e;
  e.id = std::move(id);
  e.type = std::move(type);
  e.attrs["waterLevel"] = Attribute{"Number", level, {}};
  e.modified_ms = kNow;
  return Changed{std::move(e), {"waterLevel"}, false, false};
}

TEST(LiveFeedBatches, StreamsAtOnePositionShareOneTextOfWhatTheyMayRead) {
  http::EventStreams streams;
  LiveFeed feed(streams, 3);
  feed.append({reading("kali-madiun-01", "WaterLevelObserved", 150),
               reading("panic-01", "SecurityIncident", 1)},  // not public (rules.cpp)
              kNow);
  bool lost = true;
  uint64_t last = 0;
  auto all = feed.batch_since(0, /*public_only=*/false, lost, last);
  ASSERT_TRUE(all);
  EXPECT_FALSE(lost);
  EXPECT_EQ(last, 2u);
  EXPECT_NE(all->find("kali-madiun-01"), std::string::npos);
  EXPECT_NE(all->find("panic-01"), std::string::npos);
  EXPECT_EQ(all->find("id: "), 0u) << "whole events in the wire format";
  auto again = feed.batch_since(0, false, lost, last);
  EXPECT_EQ(again.get(), all.get()) << "made once, shared";
  auto public_only = feed.batch_since(0, true, lost, last);
  ASSERT_TRUE(public_only);
  EXPECT_NE(public_only.get(), all.get());
  EXPECT_NE(public_only->find("kali-madiun-01"), std::string::npos);
  EXPECT_EQ(public_only->find("panic-01"), std::string::npos);
  // Nothing new: no text, the position stays.
  EXPECT_FALSE(feed.batch_since(2, false, lost, last));
  EXPECT_EQ(last, 2u);
  // Two more changes push the first out of a ring of three: a stream at 0 lost one.
  feed.append({reading("kali-madiun-02", "WaterLevelObserved", 151),
               reading("kali-madiun-03", "WaterLevelObserved", 152)},
              kNow);
  auto after_loss = feed.batch_since(0, false, lost, last);
  EXPECT_TRUE(lost);
  EXPECT_EQ(last, 4u);
  ASSERT_TRUE(after_loss);
  EXPECT_EQ(after_loss->find("kali-madiun-01"), std::string::npos);
  EXPECT_NE(after_loss->find("kali-madiun-03"), std::string::npos);
  auto newest = feed.batch_since(3, false, lost, last);
  EXPECT_FALSE(lost);
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->find("kali-madiun-02"), std::string::npos);
  EXPECT_NE(newest->find("kali-madiun-03"), std::string::npos);
}

}  // namespace
}  // namespace balai::city
