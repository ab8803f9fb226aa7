// The JSON of one change as the live stream and the dashboard read it (live_json): written by
// hand for speed, so its exact text is pinned here: field order, escaping, numbers in their
// shortest form, units from unitCode, the location point, deletions.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "modules/city/live_feed.h"

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

}  // namespace
}  // namespace balai::city
