// The instances' change bus: what one instance publishes, another reads back unchanged; what
// is not a message of ours is refused, never half-read.
#include "modules/city/change_message.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace balai::city {
namespace {

Changed change(std::string id, std::string type, std::string service = "") {
  Changed c;
  c.entity.id = std::move(id);
  c.entity.type = std::move(type);
  c.entity.scope = {std::move(service), "/sungai"};
  c.entity.attrs["waterLevel"] = Attribute{
      "Number", 153.5, {{"unitCode", boost::json::object{{"type", "Text"}, {"value", "CMT"}}}}};
  c.entity.attrs["name"] = Attribute{"Text", "Kali Madiun \"hulu\"", {}};
  c.entity.created_ms = 1'700'000'000'000;
  c.entity.modified_ms = 1'700'000'060'000;
  c.attrs = {"waterLevel"};
  return c;
}

TEST(ChangeMessage, RoundTripsEveryFieldOfAChange) {
  const Changed sent = change("kali-01", "WaterLevelObserved", "madiun");
  auto messages = bus_messages("instance-a", {sent});
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].topic, "balai/v1/changes/madiun/WaterLevelObserved");
  auto read = parse_bus_message(messages[0].topic, messages[0].payload);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->instance, "instance-a");
  ASSERT_EQ(read->changes.size(), 1u);
  const Changed& got = read->changes[0];
  EXPECT_EQ(got.entity, sent.entity);
  EXPECT_EQ(got.attrs, sent.attrs);
  EXPECT_FALSE(got.created);
  EXPECT_FALSE(got.deleted);
}

TEST(ChangeMessage, GroupsByServiceAndTypeAndUsesUnderscoreForTheDefaultService) {
  Changed deleted = change("kali-02", "WaterLevelObserved");
  deleted.deleted = true;
  deleted.attrs.clear();
  Changed created = change("aqms-1", "AirQualityObserved");
  created.created = true;
  auto messages = bus_messages("a", {change("kali-01", "WaterLevelObserved"), created, deleted,
                                     change("kali-03", "WaterLevelObserved", "other")});
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].topic, "balai/v1/changes/_/WaterLevelObserved");
  EXPECT_EQ(messages[1].topic, "balai/v1/changes/_/AirQualityObserved");
  EXPECT_EQ(messages[2].topic, "balai/v1/changes/other/WaterLevelObserved");
  auto first = parse_bus_message(messages[0].topic, messages[0].payload);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->changes.size(), 2u);
  EXPECT_EQ(first->changes[0].entity.scope.service, "");
  EXPECT_TRUE(first->changes[1].deleted);
  EXPECT_TRUE(first->changes[1].attrs.empty());
  auto second = parse_bus_message(messages[1].topic, messages[1].payload);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->changes[0].created);
}

TEST(ChangeMessage, LeavesOutChangesWhoseTypeCannotNameATopic) {
  size_t left_out = 9;
  auto messages = bus_messages("a", {change("x", "Has+Plus"), change("y", "Fine")}, &left_out);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(left_out, 1u);
  EXPECT_EQ(messages[0].topic, "balai/v1/changes/_/Fine");
}

TEST(ChangeMessage, RefusesWhatIsNotOneOfOurMessages) {
  const auto good = bus_messages("a", {change("kali-01", "WaterLevelObserved")})[0];
  // Not a changes topic.
  EXPECT_FALSE(parse_bus_message("balai/v1/devices/dev-1/readings", good.payload));
  EXPECT_FALSE(parse_bus_message("balai/v1/changes/_", good.payload));
  // The topic's type and the change's disagree.
  EXPECT_FALSE(parse_bus_message("balai/v1/changes/_/AirQualityObserved", good.payload));
  const std::string topic = good.topic;
  for (const char* payload : {
           "",
           "not json",
           "[]",
           R"({"changes":[]})",
           R"({"instance":"","changes":[]})",
           R"({"instance":"a"})",
           R"({"instance":"a","changes":{}})",
           R"({"instance":"a","changes":[1]})",
           R"({"instance":"a","changes":[{"id":"k","type":"WaterLevelObserved"}]})",
           R"({"instance":"a","changes":[{"id":"k","type":"WaterLevelObserved","path":"/",
               "attrs":{"a":1},"changed":[],"created":false,"deleted":false,
               "createdMs":1,"modifiedMs":1}]})",
           R"({"instance":"a","changes":[{"id":"k","type":"WaterLevelObserved","path":"/",
               "attrs":{},"changed":[1],"created":false,"deleted":false,
               "createdMs":1,"modifiedMs":1}]})",
           R"({"instance":"a","changes":[{"id":"k","type":"WaterLevelObserved","path":"/",
               "attrs":{},"changed":[],"created":"no","deleted":false,
               "createdMs":1,"modifiedMs":1}]})",
       }) {
    EXPECT_FALSE(parse_bus_message(topic, payload)) << payload;
  }
  EXPECT_TRUE(parse_bus_message(topic, R"({"instance":"a","changes":[]})"));
}

}  // namespace
}  // namespace balai::city
