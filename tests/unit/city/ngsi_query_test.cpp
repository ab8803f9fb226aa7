#include "modules/city/ngsi_query.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

namespace balai::city {
namespace {

Attribute attr(std::string type, std::string_view json, boost::json::object metadata = {}) {
  return Attribute{std::move(type), boost::json::parse(json), std::move(metadata)};
}

boost::json::object md(std::string_view type, std::string_view json) {
  return boost::json::object{{"type", type}, {"value", boost::json::parse(json)}};
}

// A village office with one attribute of each kind the queries care about.
Entity office() {
  Entity e;
  e.id = "urn:ngsi-ld:Office:taman";
  e.type = "Office";
  e.created_ms = 1'000;
  e.modified_ms = 2'000;
  e.attrs["temperature"] = attr("Number", "23.5");
  e.attrs["count"] = attr("Number", "20");
  e.attrs["code"] = attr("Text", R"("20")");
  e.attrs["name"] = attr("Text", R"("Kantor Camat")");
  e.attrs["open"] = attr("Boolean", "true");
  e.attrs["note"] = attr("Text", "null");
  e.attrs["label"] = attr("Text", R"("2026-05-01")");
  e.attrs["color"] = attr("Text", R"("light,green")");
  e.attrs["pair"] = attr("Text", R"("a;b")");
  e.attrs["a.b"] = attr("Text", R"("dotted")");
  e.attrs["observedAt"] = attr("DateTime", R"("2026-05-01T07:00:00+07:00")");  // 00:00Z
  e.attrs["address"] =
      attr("StructuredValue", R"({"city": "Madiun", "district": {"name": "Taman", "code": 3}})");
  e.attrs["tags"] = attr("StructuredValue", R"(["river", "flood"])");
  boost::json::object speed_md;
  speed_md["accuracy"] = md("Number", "0.8");
  speed_md["timestamp"] = md("DateTime", R"("2026-05-01T00:00:00Z")");
  speed_md["source"] = md("StructuredValue", R"({"vendor": "acme"})");
  e.attrs["speed"] = attr("Number", "42", std::move(speed_md));
  return e;
}

// Whether q parses and matches the office.
bool q(std::string_view text, const Entity& e = office()) {
  auto parsed = parse_simple_query(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() && matches(*parsed, e);
}

bool mq(std::string_view text, const Entity& e = office()) {
  auto parsed = parse_metadata_query(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() && matches(*parsed, e);
}

// The message of a refused query ("(parsed)" when it was accepted).
std::string q_error(std::string_view text) {
  auto parsed = parse_simple_query(text);
  if (parsed.ok()) return "(parsed)";
  EXPECT_EQ(parsed.error().code, core::ErrorCode::bad_request);
  return parsed.error().message;
}

std::string mq_error(std::string_view text) {
  auto parsed = parse_metadata_query(text);
  return parsed.ok() ? "(parsed)" : parsed.error().message;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// --- Unary statements ---

TEST(NgsiSimpleQuery, ExistsMatchesAPresentAttribute) {
  EXPECT_TRUE(q("temperature"));
  EXPECT_TRUE(q("note"));  // present with a null value
  EXPECT_FALSE(q("humidity"));
}

TEST(NgsiSimpleQuery, NotExistsMatchesAnAbsentAttribute) {
  EXPECT_TRUE(q("!humidity"));
  EXPECT_FALSE(q("!temperature"));
}

TEST(NgsiSimpleQuery, IdAndTypeAreNotAttributes) {
  EXPECT_FALSE(q("id==urn:ngsi-ld:Office:taman"));
  EXPECT_FALSE(q("type"));
  EXPECT_TRUE(q("!id"));
}

// --- Equality ---

TEST(NgsiSimpleQuery, EqualComparesNumbersByValue) {
  EXPECT_TRUE(q("temperature==23.5"));
  EXPECT_FALSE(q("temperature==23"));
  EXPECT_TRUE(q("count==20"));
  EXPECT_TRUE(q("count==2e1"));
  EXPECT_TRUE(q("count==20.0"));
}

TEST(NgsiSimpleQuery, ColonIsEqual) {
  EXPECT_TRUE(q("temperature:23.5"));
  EXPECT_TRUE(q("name:'Kantor Camat'"));
}

TEST(NgsiSimpleQuery, QuotesForceText) {
  EXPECT_TRUE(q("code=='20'"));
  EXPECT_FALSE(q("code==20"));
  EXPECT_FALSE(q("count=='20'"));
}

TEST(NgsiSimpleQuery, EqualMatchesBooleansAndNull) {
  EXPECT_TRUE(q("open==true"));
  EXPECT_FALSE(q("open==false"));
  EXPECT_FALSE(q("open=='true'"));
  EXPECT_TRUE(q("note==null"));
  EXPECT_FALSE(q("temperature==null"));
}

TEST(NgsiSimpleQuery, UnequalNeedsTheAttribute) {
  EXPECT_TRUE(q("temperature!=20"));
  EXPECT_FALSE(q("temperature!=23.5"));
  EXPECT_FALSE(q("humidity!=1"));
  EXPECT_TRUE(q("code!=20"));  // text "20" is not the number 20
  EXPECT_TRUE(q("note!=1"));
}

TEST(NgsiSimpleQuery, ListEqualMatchesAny) {
  EXPECT_TRUE(q("count==1,20,30"));
  EXPECT_FALSE(q("count==1,2"));
  EXPECT_TRUE(q("name==Balai,'Kantor Camat'"));
}

TEST(NgsiSimpleQuery, ListUnequalMatchesNone) {
  EXPECT_TRUE(q("count!=1,2"));
  EXPECT_FALSE(q("count!=1,20"));
  EXPECT_FALSE(q("humidity!=1,2"));
}

TEST(NgsiSimpleQuery, QuotedValuesKeepCommasAndSemicolons) {
  EXPECT_TRUE(q("color=='light,green'"));
  EXPECT_TRUE(q("color=='light,green','deep,blue'"));
  EXPECT_FALSE(q("color==light,green"));  // a list of "light" and "green"
  EXPECT_TRUE(q("pair=='a;b'"));
  EXPECT_TRUE(q("pair=='a;b';count==20"));
  EXPECT_TRUE(q("pair~='a;b'"));
}

// --- Ordering ---

TEST(NgsiSimpleQuery, OrderingComparesNumbers) {
  EXPECT_TRUE(q("temperature>23"));
  EXPECT_FALSE(q("temperature>23.5"));
  EXPECT_TRUE(q("temperature>=23.5"));
  EXPECT_TRUE(q("temperature<24"));
  EXPECT_FALSE(q("temperature<23.5"));
  EXPECT_TRUE(q("temperature<=23.5"));
  EXPECT_TRUE(q("temperature>-5"));
}

TEST(NgsiSimpleQuery, OrderingComparesTextLexically) {
  EXPECT_TRUE(q("name>Kantor"));
  EXPECT_TRUE(q("name<Kantor D"));
  EXPECT_FALSE(q("name>Z"));
  EXPECT_TRUE(q("code>'1000'"));  // "20" > "1000" as text
}

TEST(NgsiSimpleQuery, OrderingNeverMixesNumbersAndText) {
  EXPECT_FALSE(q("name>5"));
  EXPECT_FALSE(q("temperature>abc"));
  EXPECT_FALSE(q("code>5"));
  EXPECT_FALSE(q("open>0"));
}

TEST(NgsiSimpleQuery, OrderingRefusesBooleansAndNull) {
  EXPECT_TRUE(contains(q_error("open>true"), "only numbers, dates and text can be ordered"));
  EXPECT_TRUE(contains(q_error("note<=null"), "only numbers, dates and text can be ordered"));
}

// --- Ranges ---

TEST(NgsiSimpleQuery, NumberRangesIncludeBothEnds) {
  EXPECT_TRUE(q("temperature==20..25"));
  EXPECT_TRUE(q("temperature==23.5..30"));
  EXPECT_TRUE(q("temperature==10..23.5"));
  EXPECT_FALSE(q("temperature==24..30"));
  EXPECT_TRUE(q("temperature!=24..30"));
  EXPECT_FALSE(q("temperature!=20..25"));
  EXPECT_FALSE(q("humidity!=20..25"));
}

TEST(NgsiSimpleQuery, TextRanges) {
  EXPECT_TRUE(q("name==K..L"));
  EXPECT_FALSE(q("name==A..B"));
  EXPECT_TRUE(q("code=='1'..'3'"));
}

TEST(NgsiSimpleQuery, DateRanges) {
  EXPECT_TRUE(q("observedAt==2026-04-30..2026-05-02"));
  EXPECT_TRUE(q("observedAt==2026-05-01T00:00:00Z..2026-05-01T00:00:00Z"));
  EXPECT_FALSE(q("observedAt==2026-05-01T00:00:01Z..2026-05-02"));
  EXPECT_TRUE(q("observedAt!=2026-05-01T00:00:01Z..2026-05-02"));
}

TEST(NgsiSimpleQuery, RangesRefuseMixedEndsAndOtherShapes) {
  EXPECT_TRUE(
      contains(q_error("temperature==1..b"), "range ends must both be numbers, dates or text"));
  EXPECT_TRUE(contains(q_error("open==true..false"), "range ends must both be"));
  EXPECT_TRUE(contains(q_error("temperature==1..2..3"), "a range has two ends"));
  EXPECT_TRUE(contains(q_error("temperature==1..2,3"), "a range cannot be a list"));
  EXPECT_TRUE(contains(q_error("temperature==..5"), "empty item in range"));
  EXPECT_TRUE(contains(q_error("temperature>1..5"), "ranges and lists need == or !="));
  EXPECT_TRUE(contains(q_error("temperature<1,5"), "ranges and lists need == or !="));
}

TEST(NgsiSimpleQuery, QuotedDotsAreNotARange) {
  Entity e = office();
  e.attrs["version"] = attr("Text", R"("1..2")");
  EXPECT_TRUE(q("version=='1..2'", e));
}

// --- Dates ---

TEST(NgsiSimpleQuery, DatesCompareByInstantAcrossOffsets) {
  EXPECT_TRUE(q("observedAt==2026-05-01T00:00:00Z"));
  EXPECT_TRUE(q("observedAt==2026-05-01T00:00:00.000+00:00"));
  EXPECT_TRUE(q("observedAt==2026-05-01T09:00:00+09:00"));
  EXPECT_TRUE(q("observedAt==2026-05-01"));  // midnight UTC
  EXPECT_TRUE(q("observedAt>2026-04-30T23:59:59.999Z"));
  EXPECT_TRUE(q("observedAt<2026-05-01T08:00+07:00"));
  EXPECT_TRUE(q("observedAt>=2026-05-01T07:00+0700"));
  EXPECT_FALSE(q("observedAt>2026-05-01T00:00:00Z"));
}

TEST(NgsiSimpleQuery, DatesOnlyMatchDateTimeAttributes) {
  EXPECT_FALSE(q("label==2026-05-01"));  // a Text attribute holding a date-like string
  EXPECT_TRUE(q("label=='2026-05-01'"));
  EXPECT_FALSE(q("temperature<2030-01-01"));
}

TEST(NgsiSimpleQuery, InvalidDatesAreText) {
  EXPECT_TRUE(q("label!=2026-02-30"));  // not a date, so the text "2026-02-30"
  EXPECT_TRUE(q("observedAt!=2026-13-01"));
}

TEST(NgsiSimpleQuery, BuiltinDatesComeFromTheEntity) {
  EXPECT_TRUE(q("dateCreated==1970-01-01T00:00:01Z"));
  EXPECT_TRUE(q("dateModified>1970-01-01T00:00:01Z"));
  EXPECT_TRUE(q("dateModified"));
}

// --- Patterns ---

TEST(NgsiSimpleQuery, PatternMatchesText) {
  EXPECT_TRUE(q("name~=Camat"));
  EXPECT_TRUE(q("name~=^Kantor"));
  EXPECT_FALSE(q("name~=^Camat"));
  EXPECT_TRUE(q("name~=Ca.*t$"));
  EXPECT_TRUE(q("name~=(Camat|Lurah)"));
  EXPECT_FALSE(q("temperature~=2"));  // numbers are not text
  EXPECT_FALSE(q("humidity~=."));
}

TEST(NgsiSimpleQuery, PatternErrorsNameTheStatement) {
  EXPECT_EQ(q_error("name~=(Camat"), "invalid query: invalid regular expression in 'name~=(Camat'");
  EXPECT_TRUE(contains(q_error("name~=(a)\\1"), "back-references are not supported"));
  EXPECT_TRUE(contains(q_error("name~=" + std::string(257, 'a')), "pattern longer than 256"));
}

// --- Paths ---

TEST(NgsiSimpleQuery, DottedPathsReachIntoStructuredValues) {
  EXPECT_TRUE(q("address.city==Madiun"));
  EXPECT_TRUE(q("address.district.code==3"));
  EXPECT_TRUE(q("address.district.name~=^Ta"));
  EXPECT_TRUE(q("address.district"));
  EXPECT_FALSE(q("address.zip"));
  EXPECT_TRUE(q("!address.zip"));
  EXPECT_FALSE(q("temperature.value==23.5"));  // a number has no keys
  EXPECT_FALSE(q("address==Madiun"));          // an object equals no literal
}

TEST(NgsiSimpleQuery, QuotedSegmentsMayHoldDots) {
  EXPECT_TRUE(q("'a.b'==dotted"));
  EXPECT_FALSE(q("a.b==dotted"));
  EXPECT_TRUE(q("'address'.'city'==Madiun"));
}

TEST(NgsiSimpleQuery, ArraysMatchWhenAnElementDoes) {
  EXPECT_TRUE(q("tags==flood"));
  EXPECT_TRUE(q("tags==fire,river"));
  EXPECT_FALSE(q("tags==fire"));
  EXPECT_TRUE(q("tags!=fire"));
  EXPECT_FALSE(q("tags!=flood"));
  EXPECT_TRUE(q("tags~=^fl"));
  EXPECT_TRUE(q("tags>q"));
}

TEST(NgsiSimpleQuery, AMissingAttributeFailsEveryComparison) {
  EXPECT_FALSE(q("humidity==1"));
  EXPECT_FALSE(q("humidity<1"));
  EXPECT_FALSE(q("humidity~=x"));
  EXPECT_FALSE(q("humidity==1..2"));
  EXPECT_FALSE(q("humidity==1,2"));
}

// --- Statements together ---

TEST(NgsiSimpleQuery, StatementsAreAnded) {
  EXPECT_TRUE(q("temperature>20;name~=Camat;!humidity"));
  EXPECT_FALSE(q("temperature>20;name~=Lurah"));
}

TEST(NgsiSimpleQuery, OneTrailingSemicolonIsAllowed) {
  EXPECT_TRUE(q("temperature;"));
  EXPECT_TRUE(contains(q_error("temperature;;"), "empty statement"));
}

TEST(NgsiSimpleQuery, SpacesAroundPartsAreIgnored) {
  EXPECT_TRUE(q(" temperature > 20 ; name ;  count == 1, 20 "));
}

TEST(NgsiSimpleQuery, KeepsTheParsedStatements) {
  auto parsed = parse_simple_query("address.city==Madiun;!humidity");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->statements.size(), 2u);
  EXPECT_EQ(parsed->statements[0].path, (std::vector<std::string>{"address", "city"}));
  EXPECT_EQ(parsed->statements[0].op, QueryOperator::equal);
  EXPECT_EQ(std::get<QueryValue>(parsed->statements[0].operand), QueryValue{std::string("Madiun")});
  EXPECT_EQ(parsed->statements[1].op, QueryOperator::not_exists);
  EXPECT_EQ(parsed->statements[1].text, "!humidity");
}

// --- Errors ---

TEST(NgsiSimpleQuery, RefusesAnEmptyQuery) {
  EXPECT_EQ(q_error(""), "invalid query: empty q");
  EXPECT_EQ(q_error("   "), "invalid query: empty q");
  EXPECT_TRUE(contains(q_error(";"), "empty statement"));
  EXPECT_TRUE(contains(q_error("a;;b"), "empty statement"));
  EXPECT_TRUE(contains(q_error(";a"), "empty statement"));
}

TEST(NgsiSimpleQuery, RefusesEmptySides) {
  EXPECT_EQ(q_error("temperature>"), "invalid query: empty right-hand side in 'temperature>'");
  EXPECT_EQ(q_error(">5"), "invalid query: empty left-hand side in '>5'");
  EXPECT_EQ(q_error("!"), "invalid query: empty attribute name in '!'");
  EXPECT_TRUE(contains(q_error("temperature==1,,2"), "empty item in list"));
  EXPECT_TRUE(contains(q_error("temperature==1,"), "empty item in list"));
}

TEST(NgsiSimpleQuery, RefusesBadQuotes) {
  EXPECT_TRUE(contains(q_error("name=='Kantor"), "unterminated quote"));
  EXPECT_TRUE(contains(q_error("name==Kan'tor'"), "invalid character in value"));
  EXPECT_TRUE(contains(q_error("name=='Kan'tor'"), "unterminated quote"));
}

TEST(NgsiSimpleQuery, RefusesBadNamesAndOperators) {
  EXPECT_TRUE(contains(q_error("tem perature==1"), "invalid attribute name"));
  EXPECT_TRUE(contains(q_error("a/b==1"), "invalid attribute name"));
  EXPECT_TRUE(contains(q_error("a..b==1"), "empty name in path"));
  EXPECT_TRUE(contains(q_error("a.==1"), "empty name in path"));
  EXPECT_TRUE(contains(q_error("temperature=5"), "unknown operator"));
  EXPECT_TRUE(contains(q_error("!temperature==5"), "'!' cannot negate a comparison"));
  EXPECT_TRUE(contains(q_error("name==a=b"), "invalid character in value"));
  EXPECT_TRUE(contains(q_error("name==<b>"), "invalid character in value"));
}

TEST(NgsiSimpleQuery, IsBounded) {
  EXPECT_EQ(q_error(std::string(4'097, 'a')), "invalid query: longer than 4096 characters");
  std::string statements;
  for (int i = 0; i < 64; ++i) statements += "a" + std::to_string(i) + ";";
  EXPECT_TRUE(parse_simple_query(statements).ok());
  EXPECT_EQ(q_error(statements + "b"), "invalid query: more than 64 statements");
  std::string deep = "a";
  for (int i = 0; i < 16; ++i) deep += ".a";
  EXPECT_TRUE(contains(q_error(deep), "path too deep"));
  std::string list = "count==0";
  for (int i = 1; i <= 100; ++i) list += "," + std::to_string(i);
  EXPECT_TRUE(contains(q_error(list), "too many items in list"));
}

// --- mq ---

TEST(NgsiMetadataQuery, ComparesMetadataValues) {
  EXPECT_TRUE(mq("speed.accuracy>0.5"));
  EXPECT_FALSE(mq("speed.accuracy>0.9"));
  EXPECT_TRUE(mq("speed.accuracy"));
  EXPECT_TRUE(mq("!speed.precision"));
  EXPECT_FALSE(mq("humidity.accuracy"));
}

TEST(NgsiMetadataQuery, DateTimeMetadataComparesByInstant) {
  EXPECT_TRUE(mq("speed.timestamp==2026-05-01T07:00:00+07:00"));
  EXPECT_TRUE(mq("speed.timestamp<2026-05-02"));
}

TEST(NgsiMetadataQuery, PathsReachIntoStructuredMetadata) {
  EXPECT_TRUE(mq("speed.source.vendor==acme"));
  EXPECT_FALSE(mq("speed.source.model"));
}

TEST(NgsiMetadataQuery, NeedsAttributeDotMetadata) {
  EXPECT_EQ(mq_error("speed==1"),
            "invalid metadata query: a path must be attribute.metadata in 'speed==1'");
  EXPECT_EQ(mq_error(""), "invalid metadata query: empty q");
}

// --- TextPattern ---

TEST(NgsiTextPattern, SearchesAnywhereUnlessAnchored) {
  auto ow = TextPattern::compile("ow");
  ASSERT_TRUE(ow.ok());
  EXPECT_TRUE(ow->search("yellow"));
  EXPECT_TRUE(ow->search("brown"));
  EXPECT_FALSE(ow->search("black"));
  auto whole = TextPattern::compile("^Room_[0-9]+$");
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->search("Room_12"));
  EXPECT_FALSE(whole->search("Room_12b"));
  EXPECT_FALSE(whole->search("xRoom_12"));
  auto all = TextPattern::compile(".*");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->search(""));
  EXPECT_TRUE(all->search("line\nbreak"));
}

TEST(NgsiTextPattern, RefusesWhatCannotRunSafely) {
  EXPECT_EQ(TextPattern::compile("").error().message, "empty pattern");
  EXPECT_EQ(TextPattern::compile("a)|(b").error().message, "invalid regular expression");
  EXPECT_EQ(TextPattern::compile("(a)\\1").error().message,
            "back-references are not supported in patterns");
  EXPECT_EQ(TextPattern::compile("(a{100}){100}").error().message, "pattern too complex");
  EXPECT_EQ(TextPattern::compile("((a{20}){20}){20}").error().message, "pattern too complex");
  EXPECT_EQ(TextPattern::compile(std::string(257, 'a')).error().message,
            "pattern longer than 256 characters");
  EXPECT_TRUE(TextPattern::compile("[a-z]{3,8}").ok());
}

TEST(NgsiTextPattern, CatastrophicPatternsRunInLinearTime) {
  // With a backtracking matcher these take longer than the age of the universe.
  const std::string text = std::string(3'000, 'a') + "!";
  for (const char* source : {"(a+)+$", "^(a|aa)*$", "(.*a){12}b"}) {
    auto pattern = TextPattern::compile(source);
    ASSERT_TRUE(pattern.ok()) << source;
    EXPECT_FALSE(pattern->search(text)) << source;
  }
}

TEST(NgsiTextPattern, TextsBeyondTheLimitNeverMatch) {
  auto a = TextPattern::compile("a");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->search(std::string(kPatternMaxSubject, 'a')));
  EXPECT_FALSE(a->search(std::string(kPatternMaxSubject + 1, 'a')));
}

TEST(NgsiTextPattern, CopiesShareTheCompiledPattern) {
  auto pattern = TextPattern::compile("^b");
  ASSERT_TRUE(pattern.ok());
  const TextPattern copy = *pattern;
  EXPECT_EQ(copy.source(), "^b");
  EXPECT_TRUE(copy.search("brown"));
}

// --- Names, options, paging ---

TEST(NgsiQueryParams, FieldSyntax) {
  EXPECT_TRUE(is_valid_field("temperature"));
  EXPECT_TRUE(is_valid_field("urn:ngsi-ld:WaterLevel:kali-madiun-01"));
  EXPECT_TRUE(is_valid_field(std::string(256, 'x')));
  EXPECT_FALSE(is_valid_field(""));
  EXPECT_FALSE(is_valid_field(std::string(257, 'x')));
  for (std::string_view bad : {"a b", "a&b", "a?b", "a/b", "a#b", "a<b", "a>b", "a\"b", "a'b",
                               "a=b", "a;b", "a(b", "a)b", "a\tb", "caf\xc3\xa9"})
    EXPECT_FALSE(is_valid_field(bad)) << bad;
}

TEST(NgsiQueryParams, NameListsKeepOrderAndDropDuplicates) {
  auto names = parse_name_list("temperature,*,dateModified,temperature", "attrs");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"temperature", "*", "dateModified"}));
}

TEST(NgsiQueryParams, NameListsRefuseBadItems) {
  EXPECT_EQ(parse_name_list("", "attrs").error().message,
            "Empty right-hand-side for URI param /attrs/");
  EXPECT_EQ(parse_name_list("a,,b", "attrs").error().message, "empty item in URI param /attrs/");
  EXPECT_EQ(parse_name_list("a,", "metadata").error().message,
            "empty item in URI param /metadata/");
  EXPECT_EQ(parse_name_list("a,b<c", "attrs").error().message, "invalid name in URI param /attrs/");
  std::string many = "a0";
  for (int i = 1; i <= 100; ++i) many += ",a" + std::to_string(i);
  EXPECT_EQ(parse_name_list(many, "attrs").error().message,
            "too many items in URI param /attrs/ (at most 100)");
}

TEST(NgsiQueryParams, OrderByListsCriteria) {
  auto order = parse_order_by("temperature,!speed,id");
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order,
            (std::vector<OrderKey>{{"temperature", false}, {"speed", true}, {"id", false}}));
  EXPECT_EQ(parse_order_by("!").error().message, "empty item in URI param /orderBy/");
  EXPECT_EQ(parse_order_by("").error().message, "Empty right-hand-side for URI param /orderBy/");
  EXPECT_EQ(parse_order_by("a b").error().message, "invalid name in URI param /orderBy/");
}

TEST(NgsiQueryParams, OptionsAreAKnownSet) {
  auto options = parse_options("count,keyValues");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(*options, (QueryOptions{.count = true, .key_values = true}));
  auto all = parse_options("values,unique,append,upsert,count");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->values && all->unique && all->append && all->upsert && all->count);
  EXPECT_EQ(parse_options("count,bogus").error().message, "Invalid value for URI param /options/");
  EXPECT_EQ(parse_options("count,,values").error().message,
            "Invalid value for URI param /options/");
  EXPECT_EQ(parse_options("").error().message, "Empty right-hand-side for URI param /options/");
}

TEST(NgsiQueryParams, PagingDefaultsAndBounds) {
  EXPECT_EQ(*parse_page(std::nullopt, std::nullopt), (Page{20, 0}));
  EXPECT_EQ(*parse_page("1000", "40"), (Page{1000, 40}));
  EXPECT_EQ(*parse_page("1", std::nullopt), (Page{1, 0}));
}

TEST(NgsiQueryParams, PagingErrorsAreOrions) {
  EXPECT_EQ(parse_page("0", std::nullopt).error().message,
            "Bad pagination limit: /0/ [a value of ZERO is unacceptable]");
  EXPECT_EQ(parse_page("1001", std::nullopt).error().message,
            "Bad pagination limit: /1001/ [max: 1000]");
  for (std::string_view bad : {"abc", "-1", "1.5", "", "+5", " 5", "99999999999999999999"}) {
    EXPECT_EQ(parse_page(bad, std::nullopt).error().message,
              "Bad pagination limit: /" + std::string(bad) + "/ [must be a decimal number]");
  }
  EXPECT_EQ(parse_page(std::nullopt, "-1").error().message,
            "Bad pagination offset: /-1/ [must be a decimal number]");
  EXPECT_EQ(parse_page(std::nullopt, "x").error().code, core::ErrorCode::bad_request);
}

// --- orderBy as a comparator ---

Entity reading(std::string id, std::string_view temperature_json, int64_t created_ms = 0) {
  Entity e;
  e.id = std::move(id);
  e.type = "WeatherObserved";
  e.created_ms = created_ms;
  if (!temperature_json.empty()) e.attrs["temperature"] = attr("Number", temperature_json);
  return e;
}

std::vector<std::string> sorted_ids(std::vector<Entity> entities, std::string_view order_by,
                                    std::optional<core::GeoPoint> near = std::nullopt) {
  auto order = parse_order_by(order_by);
  EXPECT_TRUE(order.ok());
  std::sort(entities.begin(), entities.end(),
            [&](const Entity& a, const Entity& b) { return comes_before(*order, a, b, near); });
  std::vector<std::string> ids;
  for (const auto& e : entities) ids.push_back(e.id);
  return ids;
}

TEST(NgsiOrderBy, OrdersNumbersBothWays) {
  const std::vector<Entity> all{reading("a", "30"), reading("b", "10"), reading("c", "20")};
  EXPECT_EQ(sorted_ids(all, "temperature"), (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(sorted_ids(all, "!temperature"), (std::vector<std::string>{"a", "c", "b"}));
}

TEST(NgsiOrderBy, KindsOrderAsMongoDbDoes) {
  const std::vector<Entity> all{reading("bool", "true"), reading("array", "[1]"),
                                reading("object", "{}"), reading("text", R"("x")"),
                                reading("number", "5"),  reading("null", "null"),
                                reading("missing", "")};
  EXPECT_EQ(
      sorted_ids(all, "temperature"),
      (std::vector<std::string>{"missing", "null", "number", "text", "object", "array", "bool"}));
  EXPECT_EQ(sorted_ids(all, "!temperature").back(), "null");
}

TEST(NgsiOrderBy, DateTimeAttributesOrderByInstant) {
  Entity early = reading("early", ""), late = reading("late", "");
  early.attrs["observedAt"] = attr("DateTime", R"("2026-05-01T08:00:00+07:00")");  // 01:00Z
  late.attrs["observedAt"] = attr("DateTime", R"("2026-05-01T02:00:00Z")");
  EXPECT_EQ(sorted_ids({late, early}, "observedAt"), (std::vector<std::string>{"early", "late"}));
}

TEST(NgsiOrderBy, IdTypeAndBuiltinDates) {
  Entity a = reading("b-1", "", 300), b = reading("a-1", "", 100), c = reading("c-1", "", 200);
  c.type = "AirQualityObserved";
  EXPECT_EQ(sorted_ids({a, b, c}, "id"), (std::vector<std::string>{"a-1", "b-1", "c-1"}));
  EXPECT_EQ(sorted_ids({a, b, c}, "type,id"), (std::vector<std::string>{"c-1", "a-1", "b-1"}));
  EXPECT_EQ(sorted_ids({a, b, c}, "!dateCreated"), (std::vector<std::string>{"b-1", "c-1", "a-1"}));
}

TEST(NgsiOrderBy, LaterCriteriaAndCreationBreakTies) {
  Entity a = reading("a", "10", 2), b = reading("b", "10", 1), c = reading("c", "5", 3);
  a.attrs["humidity"] = attr("Number", "70");
  b.attrs["humidity"] = attr("Number", "80");
  EXPECT_EQ(sorted_ids({a, b, c}, "temperature,!humidity"),
            (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(sorted_ids({a, b, c}, "temperature"), (std::vector<std::string>{"c", "b", "a"}));
}

TEST(NgsiOrderBy, GeoDistanceOrdersByNearness) {
  Entity far = reading("far", ""), close = reading("close", ""), nowhere = reading("nowhere", "");
  far.attrs["location"] = attr("geo:point", R"("-7.70, 111.52")");
  close.attrs["location"] = attr("geo:point", R"("-7.63, 111.52")");
  const core::GeoPoint alun_alun{-7'629'800, 111'523'900};
  EXPECT_EQ(sorted_ids({nowhere, far, close}, "geo:distance", alun_alun),
            (std::vector<std::string>{"close", "far", "nowhere"}));
  EXPECT_EQ(sorted_ids({far, close}, "!geo:distance", alun_alun),
            (std::vector<std::string>{"far", "close"}));
}

// --- GET /v2/entities ---

core::Result<EntityListQuery> list_query(QueryParams params) {
  return parse_entity_list_query(params);
}

TEST(NgsiEntityListQuery, ParsesEveryParameter) {
  auto query = list_query({{"type", "Office,Room"},
                           {"idPattern", "^urn:"},
                           {"q", "temperature>20"},
                           {"mq", "speed.accuracy>0.5"},
                           {"georel", "near;maxDistance:1000"},
                           {"geometry", "point"},
                           {"coords", "-7.6298,111.5239"},
                           {"attrs", "temperature,name"},
                           {"metadata", "accuracy"},
                           {"orderBy", "geo:distance,!temperature"},
                           {"options", "count,keyValues"},
                           {"limit", "50"},
                           {"offset", "100"},
                           {"unknownParam", "ignored"}});
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->types, (std::vector<std::string>{"Office", "Room"}));
  EXPECT_TRUE(query->ids.empty());
  ASSERT_TRUE(query->id_pattern);
  EXPECT_EQ(query->id_pattern->source(), "^urn:");
  EXPECT_TRUE(query->q && query->mq && query->geo);
  EXPECT_EQ(query->attrs, (std::vector<std::string>{"temperature", "name"}));
  EXPECT_EQ(query->metadata, (std::vector<std::string>{"accuracy"}));
  EXPECT_EQ(query->order_by.size(), 2u);
  EXPECT_TRUE(query->options.count && query->options.key_values);
  EXPECT_EQ(query->page, (Page{50, 100}));
}

TEST(NgsiEntityListQuery, NoParametersMeansEverything) {
  auto query = list_query({});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->page, (Page{20, 0}));
  EXPECT_TRUE(matches(*query, office()));
}

TEST(NgsiEntityListQuery, RefusesEmptyParameters) {
  EXPECT_EQ(list_query({{"q", ""}}).error().message, "Empty right-hand-side for URI param /q/");
  EXPECT_EQ(list_query({{"limit", ""}}).error().message,
            "Empty right-hand-side for URI param /limit/");
}

TEST(NgsiEntityListQuery, RefusesConflictingParameters) {
  EXPECT_EQ(list_query({{"id", "a"}, {"idPattern", ".*"}}).error().message,
            "URI params /id/ and /idPattern/ cannot be used together");
  EXPECT_EQ(list_query({{"type", "a"}, {"typePattern", ".*"}}).error().message,
            "URI params /type/ and /typePattern/ cannot be used together");
  EXPECT_EQ(list_query({{"georel", "coveredBy"}, {"geometry", "box"}}).error().message,
            "georel, geometry and coords must be used together");
  EXPECT_EQ(list_query({{"orderBy", "geo:distance"}}).error().message,
            "orderBy=geo:distance needs georel=near");
  EXPECT_EQ(list_query({{"orderBy", "geo:distance"},
                        {"georel", "coveredBy"},
                        {"geometry", "box"},
                        {"coords", "0,0;1,1"}})
                .error()
                .message,
            "orderBy=geo:distance needs georel=near");
}

TEST(NgsiEntityListQuery, PassesOnEachParametersError) {
  EXPECT_EQ(list_query({{"idPattern", "(a"}}).error().message,
            "Invalid value for URI param /idPattern/: invalid regular expression");
  EXPECT_EQ(list_query({{"q", "a>"}}).error().message,
            "invalid query: empty right-hand side in 'a>'");
  EXPECT_EQ(list_query({{"limit", "0"}}).error().message,
            "Bad pagination limit: /0/ [a value of ZERO is unacceptable]");
  EXPECT_EQ(list_query({{"id", "a,b c"}}).error().message, "invalid name in URI param /id/");
  EXPECT_EQ(
      list_query({{"georel", "near"}, {"geometry", "point"}, {"coords", "0,0"}}).error().message,
      "georel /near/ without either minDistance nor maxDistance");
}

TEST(NgsiEntityListQuery, MatchesEveryFilterTogether) {
  Entity e = office();
  e.attrs["location"] = attr("geo:point", R"("-7.6298, 111.5239")");
  auto accept = [&](QueryParams params) {
    auto query = list_query(std::move(params));
    EXPECT_TRUE(query.ok()) << query.error().message;
    return query.ok() && matches(*query, e);
  };
  EXPECT_TRUE(accept({{"id", "x,urn:ngsi-ld:Office:taman"}}));
  EXPECT_FALSE(accept({{"id", "x"}}));
  EXPECT_TRUE(accept({{"idPattern", ".*"}}));
  EXPECT_TRUE(accept({{"idPattern", "Office"}, {"typePattern", "^Off"}}));
  EXPECT_FALSE(accept({{"typePattern", "^Room$"}}));
  EXPECT_TRUE(accept({{"type", "Office"}, {"q", "temperature>20"}, {"mq", "speed.accuracy"}}));
  EXPECT_FALSE(accept({{"type", "Office"}, {"q", "temperature>30"}}));
  EXPECT_FALSE(accept({{"mq", "speed.accuracy>1"}}));
  EXPECT_TRUE(accept(
      {{"georel", "near;maxDistance:10"}, {"geometry", "point"}, {"coords", "-7.6298,111.5239"}}));
  EXPECT_FALSE(accept(
      {{"georel", "near;maxDistance:10"}, {"geometry", "point"}, {"coords", "-7.7,111.5239"}}));
}

TEST(NgsiEntityListQuery, SortsWithItsOwnOrderAndNearPoint) {
  auto query = list_query({{"georel", "near;maxDistance:100000"},
                           {"geometry", "point"},
                           {"coords", "-7.6298,111.5239"},
                           {"orderBy", "geo:distance"}});
  ASSERT_TRUE(query.ok());
  Entity far = reading("far", ""), close = reading("close", "");
  far.attrs["location"] = attr("geo:point", R"("-7.70, 111.52")");
  close.attrs["location"] = attr("geo:point", R"("-7.63, 111.52")");
  EXPECT_TRUE(comes_before(*query, close, far));
  EXPECT_FALSE(comes_before(*query, far, close));
}

}  // namespace
}  // namespace balai::city
