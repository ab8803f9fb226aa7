#include "modules/city/ngsi_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace balai::city::ngsi {
namespace {

boost::json::value json(std::string_view text) {
  return boost::json::parse(text);
}

// A river gauge with a number, a text, a location with metadata and a structured value.
Entity gauge() {
  Entity e;
  e.id = "kali-madiun-01";
  e.type = "WaterLevelObserved";
  e.created_ms = 1'767'225'600'000;   // 2026-01-01T00:00:00Z
  e.modified_ms = 1'767'229'200'500;  // 2026-01-01T01:00:00.500Z
  boost::json::object unit{{"unitCode", boost::json::object{{"type", "Text"}, {"value", "CMT"}}},
                           {"accuracy", boost::json::object{{"type", "Number"}, {"value", 0.5}}}};
  e.attrs["waterLevel"] = Attribute{"Number", 153.5, unit};
  e.attrs["name"] = Attribute{"Text", "Kali Madiun", {}};
  e.attrs["location"] = Attribute{"geo:point", "-7.63, 111.52", {}};
  e.attrs["river"] = Attribute{"StructuredValue", json(R"({"basin":"Bengawan Solo"})"), {}};
  return e;
}

std::string text(const boost::json::value& v) {
  return boost::json::serialize(v);
}

// --- Rendering ---

TEST(NgsiJson, NormalizedEntityHasIdTypeAndEveryAttributeWithTypeValueAndMetadata) {
  const auto v = entity_json(gauge(), Form::normalized);
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("id").as_string(), "kali-madiun-01");
  EXPECT_EQ(o.at("type").as_string(), "WaterLevelObserved");
  EXPECT_EQ(o.size(), 6u);
  const auto& level = o.at("waterLevel").as_object();
  EXPECT_EQ(level.at("type").as_string(), "Number");
  EXPECT_EQ(level.at("value").as_double(), 153.5);
  EXPECT_EQ(level.at("metadata").at("unitCode").at("value").as_string(), "CMT");
  EXPECT_TRUE(o.at("name").at("metadata").as_object().empty());
  // id and type come first, as Orion renders them.
  EXPECT_EQ(o.begin()->key(), "id");
  EXPECT_EQ(std::next(o.begin())->key(), "type");
}

TEST(NgsiJson, KeyValuesHasTheValuesOnly) {
  const auto v = entity_json(gauge(), Form::key_values);
  EXPECT_EQ(v.at("waterLevel").as_double(), 153.5);
  EXPECT_EQ(v.at("name").as_string(), "Kali Madiun");
  EXPECT_EQ(text(v.at("river")), R"({"basin":"Bengawan Solo"})");
  EXPECT_EQ(v.at("id").as_string(), "kali-madiun-01");
}

TEST(NgsiJson, ValuesFollowTheAttrsOrderAndUniqueDropsRepeats) {
  Entity e = gauge();
  e.attrs["alias"] = Attribute{"Text", "Kali Madiun", {}};
  const Projection p{{"name", "waterLevel", "alias", "missing"}, {}};
  EXPECT_EQ(entity_json(e, Form::values, p), json(R"(["Kali Madiun",153.5,"Kali Madiun"])"));
  EXPECT_EQ(entity_json(e, Form::unique, p), json(R"(["Kali Madiun",153.5])"));
}

TEST(NgsiJson, AttrsSelectAndOrderAttributesAndStarMeansTheOthers) {
  const auto v = entity_json(gauge(), Form::key_values, Projection{{"name", "*"}, {}});
  const auto& o = v.as_object();
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"id", "type", "name", "location", "river", "waterLevel"}));
}

TEST(NgsiJson, BuiltinDatesAreRenderedOnlyWhenAsked) {
  EXPECT_FALSE(entity_json(gauge(), Form::normalized).as_object().contains("dateCreated"));
  const auto v =
      entity_json(gauge(), Form::normalized, Projection{{"dateCreated", "dateModified"}, {}});
  EXPECT_EQ(v.at("dateCreated").at("type").as_string(), "DateTime");
  EXPECT_EQ(v.at("dateCreated").at("value").as_string(), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(v.at("dateModified").at("value").as_string(), "2026-01-01T01:00:00.500Z");
  EXPECT_FALSE(v.as_object().contains("waterLevel"));  // only builtins: no user attribute
}

TEST(NgsiJson, MetadataListKeepsOnlyTheNamedMetadata) {
  const auto a = attribute_json(gauge().attrs.at("waterLevel"), {"accuracy"});
  EXPECT_TRUE(a.at("metadata").as_object().contains("accuracy"));
  EXPECT_FALSE(a.at("metadata").as_object().contains("unitCode"));
  EXPECT_EQ(attribute_json(gauge().attrs.at("waterLevel"), {"*"}).at("metadata").as_object().size(),
            2u);
}

TEST(NgsiJson, WithoutIdRendersTheAttributesAlone) {
  const auto v = entity_json(gauge(), Form::normalized, {}, /*with_id=*/false);
  EXPECT_FALSE(v.as_object().contains("id"));
  EXPECT_FALSE(v.as_object().contains("type"));
  EXPECT_TRUE(v.as_object().contains("waterLevel"));
}

TEST(NgsiJson, ValueTextQuotesStringsAndWritesOtherJsonAsIs) {
  EXPECT_EQ(value_text("Kali"), R"("Kali")");
  EXPECT_EQ(value_text(42), "42");
  EXPECT_EQ(value_text(true), "true");
  EXPECT_EQ(value_text(nullptr), "null");
  EXPECT_EQ(value_text(json(R"({"a":1})")), R"({"a":1})");
}

// --- Parsing ---

TEST(NgsiJson, MissingTypesAreTheSpecificationsDefaults) {
  EXPECT_EQ(default_type(1), "Number");
  EXPECT_EQ(default_type(2.5), "Number");
  EXPECT_EQ(default_type("x"), "Text");
  EXPECT_EQ(default_type(false), "Boolean");
  EXPECT_EQ(default_type(nullptr), "None");
  EXPECT_EQ(default_type(json("[1]")), "StructuredValue");
  EXPECT_EQ(default_type(json("{}")), "StructuredValue");
  auto a = parse_attribute("temperature", json(R"({"value": 21.7})"), false);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->type, "Number");
  auto absent = parse_attribute("note", json("{}"), false);
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(absent->value.is_null());
  EXPECT_EQ(absent->type, "None");
  auto kv = parse_attribute("tags", json(R"(["a","b"])"), true);
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(kv->type, "StructuredValue");
}

TEST(NgsiJson, AttributeKeepsTypeAndMetadataWithDefaultMetadataTypes) {
  auto a = parse_attribute(
      "waterLevel",
      json(
          R"({"type":"Number","value":150,"metadata":{"unitCode":{"value":"CMT"},"q":{"type":"Quality","value":{"ok":true}}}})"),
      false);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->type, "Number");
  EXPECT_EQ(a->metadata.at("unitCode").at("type").as_string(), "Text");
  EXPECT_EQ(a->metadata.at("unitCode").at("value").as_string(), "CMT");
  EXPECT_EQ(a->metadata.at("q").at("type").as_string(), "Quality");
}

TEST(NgsiJson, DateTimeValuesAreCheckedAndNormalisedToUtc) {
  auto a = parse_attribute("at", json(R"({"type":"DateTime","value":"2026-05-01T07:00:00+07:00"})"),
                           false);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->value.as_string(), "2026-05-01T00:00:00.000Z");
  // Orion's forms without a zone are UTC; a date alone is midnight.
  EXPECT_EQ(parse_attribute("at", json(R"({"type":"DateTime","value":"2026-05-01"})"), false)
                ->value.as_string(),
            "2026-05-01T00:00:00.000Z");
  EXPECT_EQ(parse_attribute("at", json(R"({"type":"DateTime","value":"2026-05-01T10:30"})"), false)
                ->value.as_string(),
            "2026-05-01T10:30:00.000Z");
  auto bad = parse_attribute("at", json(R"({"type":"DateTime","value":"kemarin"})"), false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::bad_request);
  EXPECT_EQ(bad.error().message, "date has invalid format");
  EXPECT_FALSE(parse_attribute("at", json(R"({"type":"DateTime","value":12})"), false).ok());
  auto md = parse_attribute(
      "x", json(R"({"value":1,"metadata":{"seen":{"type":"DateTime","value":"bad"}}})"), false);
  EXPECT_FALSE(md.ok());
}

TEST(NgsiJson, MalformedAttributesAreBadRequestsWithOrionsWords) {
  auto message = [](std::string_view name, std::string_view body, bool kv = false) {
    auto a = parse_attribute(name, json(body), kv);
    EXPECT_FALSE(a.ok()) << body;
    if (a.ok()) return std::string();
    EXPECT_EQ(a.error().code, core::ErrorCode::bad_request);
    return a.error().message;
  };
  EXPECT_EQ(message("temperature", "21"),
            "attribute must be a JSON object, unless keyValues option is used");
  EXPECT_EQ(message("temp<script>", R"({"value":1})"), "Invalid characters in attribute name");
  EXPECT_EQ(message("temp", R"({"value":1,"type":"Num ber"})"),
            "Invalid characters in attribute type");
  EXPECT_EQ(message("temp", R"({"value":1,"type":3})"), "invalid JSON type for attribute type");
  EXPECT_EQ(message("temp", R"({"value":1,"unit":"CEL"})"),
            "unrecognized property for context attribute");
  EXPECT_EQ(message("temp", R"({"value":1,"metadata":[]})"), "metadata must be a JSON object");
  EXPECT_EQ(message("temp", R"j({"value":1,"metadata":{"a(b)":{"value":1}}})j"),
            "Invalid characters in metadata name");
  EXPECT_EQ(message("id", R"({"value":1})"), "invalid attribute name: /id/");
  EXPECT_EQ(message("geo:distance", "1", true), "invalid attribute name: /geo:distance/");
  EXPECT_EQ(message(std::string(257, 'a'), "1", true), "Invalid characters in attribute name");
}

TEST(NgsiJson, EntityNeedsAnIdAndValidNames) {
  auto e = parse_entity(json(R"({"id":"Room1","type":"Room","temperature":{"value":23}})"), false);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->id, "Room1");
  EXPECT_EQ(e->type, "Room");
  EXPECT_EQ(e->attrs.at("temperature").type, "Number");
  auto no_type = parse_entity(json(R"({"id":"Room1"})"), false);
  ASSERT_TRUE(no_type.ok());
  EXPECT_TRUE(no_type->type.empty());  // the service's "Thing"
  auto error = [](std::string_view body) {
    auto e = parse_entity(json(body), false);
    return e.ok() ? std::string() : e.error().message;
  };
  EXPECT_EQ(error(R"({"type":"Room"})"), "entity id is missing");
  EXPECT_EQ(error("{}"), "empty payload");
  EXPECT_EQ(error("[]"), "not a JSON object");
  EXPECT_EQ(error(R"({"id":7})"), "Invalid JSON type for entity id");
  EXPECT_EQ(error(R"({"id":"Room 1"})"), "Invalid characters in entity id");
  EXPECT_EQ(error(R"({"id":"R","type":"a/b"})"), "Invalid characters in entity type");
  EXPECT_EQ(error(R"({"id":""})"), "entity id length: 0, min length supported: 1");
}

TEST(NgsiJson, KeyValuesEntityTakesBareValues) {
  auto e = parse_entity(json(R"({"id":"Room1","temperature":23,"open":true,"tags":["a"]})"), true);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->attrs.at("temperature").type, "Number");
  EXPECT_EQ(e->attrs.at("open").type, "Boolean");
  EXPECT_EQ(e->attrs.at("tags").type, "StructuredValue");
}

TEST(NgsiJson, AttributesOfAnUpdateMayNotNameTheEntity) {
  EXPECT_EQ(parse_attributes(json(R"({"id":"x","a":{"value":1}})"), false).error().message,
            "entity id specified in payload");
  EXPECT_EQ(parse_attributes(json(R"({"type":"x"})"), false).error().message,
            "entity type specified in payload");
  EXPECT_EQ(parse_attributes(json("{}"), false).error().message, "empty payload");
  auto ok = parse_attributes(json(R"({"a":{"value":1},"b":{"value":"x"}})"), false);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 2u);
}

TEST(NgsiJson, RoundTripOfAnEntityThroughBothForms) {
  const Entity original = gauge();
  for (bool kv : {false, true}) {
    const auto rendered = entity_json(original, kv ? Form::key_values : Form::normalized);
    auto parsed = parse_entity(rendered, kv);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->id, original.id);
    EXPECT_EQ(parsed->type, original.type);
    ASSERT_EQ(parsed->attrs.size(), original.attrs.size());
    for (const auto& [name, a] : original.attrs) {
      EXPECT_EQ(parsed->attrs.at(name).value, a.value) << name;
      if (!kv) {
        EXPECT_EQ(parsed->attrs.at(name).type, a.type) << name;
        EXPECT_EQ(parsed->attrs.at(name).metadata, a.metadata) << name;
      }
    }
  }
}

TEST(NgsiJson, TextValuesFollowTheSpecificationsAlgorithm) {
  EXPECT_EQ(parse_text_value(R"("tinggi")")->as_string(), "tinggi");
  EXPECT_EQ(parse_text_value("true")->as_bool(), true);
  EXPECT_EQ(parse_text_value("false")->as_bool(), false);
  EXPECT_TRUE(parse_text_value("null")->is_null());
  EXPECT_EQ(parse_text_value(" 42.5\n")->to_number<double>(), 42.5);
  EXPECT_EQ(parse_text_value("-3")->to_number<double>(), -3);
  EXPECT_FALSE(parse_text_value("tinggi").ok());
  EXPECT_FALSE(parse_text_value("{\"a\":1}").ok());
  EXPECT_FALSE(parse_text_value("").ok());
}

TEST(NgsiJson, DocumentsThatAreNotJsonOrTooDeepAreRefused) {
  EXPECT_TRUE(parse_document(R"({"a":[1,2]})").has_value());
  EXPECT_FALSE(parse_document("{not json").has_value());
  EXPECT_FALSE(parse_document("").has_value());
  EXPECT_FALSE(parse_document(std::string(40, '[') + std::string(40, ']'), 32).has_value());
}

// --- Batches ---

TEST(NgsiJson, UpdateBatchNamesItsActionAndEntities) {
  auto b = parse_update_batch(
      json(R"({"actionType":"appendStrict","entities":[{"id":"a","x":{"value":1}},{"id":"b"}]})"),
      false);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->action, ActionType::append_strict);
  ASSERT_EQ(b->entities.size(), 2u);
  EXPECT_EQ(b->entities[0].attrs.at("x").value.as_int64(), 1);
  EXPECT_EQ(
      parse_update_batch(json(R"({"actionType":"delete","entities":[{"id":"a"}]})"), false)->action,
      ActionType::remove);
  auto error = [](std::string_view body) {
    auto r = parse_update_batch(json(body), false);
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_EQ(error(R"({"entities":[{"id":"a"}]})"),
            "Invalid JSON payload, mandatory field /actionType/ not found");
  EXPECT_EQ(error(R"({"actionType":"append"})"),
            "Invalid JSON payload, mandatory field /entities/ not found");
  EXPECT_EQ(error(R"({"actionType":"upsert","entities":[{"id":"a"}]})"),
            "invalid update action type: right ones are: append, appendStrict, delete, replace, "
            "update");
  EXPECT_EQ(error(R"({"actionType":"append","entities":[]})"), "empty entities vector");
  EXPECT_EQ(error(R"({"actionType":"append","entities":[{"type":"T"}]})"), "entity id is missing");
  EXPECT_EQ(error(R"({"actionType":"append","extra":1,"entities":[{"id":"a"}]})"),
            "Unrecognized field in JSON payload: /extra/");
  EXPECT_EQ(error("{}"), "empty payload");
}

TEST(NgsiJson, QueryBatchKeepsSelectorsAttrsAndExpression) {
  auto b = parse_query_batch(json(
      R"({"entities":[{"idPattern":"^kali","type":"WaterLevelObserved"},{"id":"aqms"}],"attrs":["waterLevel"],"expression":{"q":"waterLevel>100"},"metadata":["unitCode"]})"));
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(b->entities.size(), 2u);
  EXPECT_EQ(b->entities[0].id_pattern, "^kali");
  EXPECT_EQ(b->entities[0].type, "WaterLevelObserved");
  EXPECT_EQ(b->entities[1].id, "aqms");
  EXPECT_EQ(b->attrs, std::vector<std::string>{"waterLevel"});
  EXPECT_EQ(b->metadata, std::vector<std::string>{"unitCode"});
  EXPECT_EQ(b->expression.at("q"), "waterLevel>100");
  EXPECT_TRUE(parse_query_batch(json("{}")).ok());
  EXPECT_FALSE(parse_query_batch(json(R"({"entities":[{"type":"T"}]})")).ok());
  EXPECT_FALSE(parse_query_batch(json(R"({"entities":[{"id":"a","idPattern":"b"}]})")).ok());
  EXPECT_FALSE(parse_query_batch(json(R"({"attrs":"a"})")).ok());
  EXPECT_FALSE(parse_query_batch(json(R"({"expression":{"x":"1"}})")).ok());
  EXPECT_FALSE(parse_query_batch(json(R"({"scopes":[]})")).ok());
}

// --- Errors ---

TEST(NgsiJson, ErrorsMapToOrionsStatusAndName) {
  using core::ErrorCode;
  auto f = [](ErrorCode code, std::string message) {
    return failure_of(core::Error{code, std::move(message), {}});
  };
  EXPECT_EQ(f(ErrorCode::bad_request, "x").status, 400);
  EXPECT_EQ(f(ErrorCode::bad_request, "x").error, "BadRequest");
  EXPECT_EQ(f(ErrorCode::not_found, "x").error, "NotFound");
  EXPECT_EQ(f(ErrorCode::not_found, "x").status, 404);
  EXPECT_EQ(f(ErrorCode::conflict, "Already Exists").status, 422);
  EXPECT_EQ(f(ErrorCode::conflict, "Already Exists").error, "Unprocessable");
  EXPECT_EQ(f(ErrorCode::conflict, "More than one").status, 409);
  EXPECT_EQ(f(ErrorCode::conflict, "More than one").error, "TooManyResults");
  EXPECT_EQ(f(ErrorCode::validation_failed, "do not exist").status, 422);
  EXPECT_EQ(f(ErrorCode::validation_failed, "Invalid characters in attribute name").status, 400);
  EXPECT_EQ(f(ErrorCode::validation_failed, "more than one geo attribute: ...").error,
            "NoResourcesAvailable");
  EXPECT_EQ(f(ErrorCode::unauthenticated, "x").status, 401);
  EXPECT_EQ(f(ErrorCode::forbidden, "x").status, 403);
  EXPECT_EQ(f(ErrorCode::payload_too_large, "x").error, "RequestEntityTooLarge");
  EXPECT_EQ(f(ErrorCode::unsupported_media, "x").error, "UnsupportedMediaType");
  const auto internal = f(ErrorCode::internal, "SELECT * FROM secret");
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.error, "InternalServerError");
  EXPECT_EQ(internal.description.find("SELECT"), std::string::npos);
}

TEST(NgsiJson, RangeRefusalsNameTheAttribute) {
  const auto out = failure_of(core::Error{core::ErrorCode::validation_failed,
                                          "The reading was refused.",
                                          {{"waterLevel", "above the maximum 2000"}}});
  EXPECT_EQ(out.status, 422);
  EXPECT_EQ(out.error, "Unprocessable");
  EXPECT_NE(out.description.find("waterLevel: above the maximum 2000"), std::string::npos);
}

TEST(NgsiJson, ErrorBodyHasErrorAndDescription) {
  const auto body = json(error_body(Failure{404, "NotFound", "gone"}));
  EXPECT_EQ(body.at("error").as_string(), "NotFound");
  EXPECT_EQ(body.at("description").as_string(), "gone");
  EXPECT_EQ(body.as_object().size(), 2u);
}

}  // namespace
}  // namespace balai::city::ngsi
