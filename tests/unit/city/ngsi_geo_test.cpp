#include "modules/city/ngsi_geo.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <string>

namespace balai::city {
namespace {

GeoQuery geo(std::string_view georel, std::string_view geometry, std::string_view coords) {
  auto q = parse_geo_query(georel, geometry, coords);
  EXPECT_TRUE(q.ok()) << georel << " " << geometry << " " << coords << ": "
                      << (q.ok() ? "" : q.error().message);
  return q.ok() ? q.value() : GeoQuery{};
}

// The message of a refused geo query ("(parsed)" when it was accepted).
std::string geo_error(std::string_view georel, std::string_view geometry, std::string_view coords) {
  auto q = parse_geo_query(georel, geometry, coords);
  if (q.ok()) return "(parsed)";
  EXPECT_EQ(q.error().code, core::ErrorCode::bad_request);
  return q.error().message;
}

Attribute attribute(std::string type, std::string_view json, boost::json::object metadata = {}) {
  return Attribute{std::move(type), boost::json::parse(json), std::move(metadata)};
}

GeoShape shape(std::string type, std::string_view json) {
  auto s = parse_geo_attribute(attribute(std::move(type), json));
  EXPECT_TRUE(s.ok()) << json << ": " << (s.ok() ? "" : s.error().message);
  return s.ok() ? s.value() : GeoShape{};
}

std::string shape_error(std::string type, std::string_view json) {
  auto s = parse_geo_attribute(attribute(std::move(type), json));
  return s.ok() ? "(parsed)" : s.error().message;
}

core::GeoPoint at(double lat, double lon) {
  return {std::llround(lat * 1e6), std::llround(lon * 1e6)};
}

GeoShape point(double lat, double lon) {
  return {GeometryKind::point, {at(lat, lon)}};
}

Entity located(std::string id, Attribute location) {
  Entity e;
  e.id = std::move(id);
  e.type = "WaterLevelObserved";
  e.attrs["location"] = std::move(location);
  return e;
}

// A unit square (lat 0..1, lon 0..1) and a "C" shape whose notch opens to the east.
constexpr std::string_view kSquare = "0,0;0,1;1,1;1,0;0,0";
constexpr std::string_view kNotched = "0,0;0,3;1,3;1,1;2,1;2,3;3,3;3,0;0,0";

// --- Parsing georel, geometry and coords ---

TEST(NgsiGeoQuery, ParsesNearWithMaxDistanceLatitudeFirst) {
  const auto q = geo("near;maxDistance:1000", "point", "-7.6298,111.5239");
  EXPECT_EQ(q.relation, GeoRelation::near);
  EXPECT_EQ(q.max_distance_m, 1000.0);
  EXPECT_FALSE(q.min_distance_m);
  ASSERT_EQ(q.shape.points.size(), 1u);
  EXPECT_EQ(q.shape.points[0], (core::GeoPoint{-7'629'800, 111'523'900}));
}

TEST(NgsiGeoQuery, ParsesNearWithBothDistancesInAnyOrder) {
  const auto q = geo("minDistance:10;near;maxDistance:500.5", "point", "0,0");
  EXPECT_EQ(q.min_distance_m, 10.0);
  EXPECT_EQ(q.max_distance_m, 500.5);
}

TEST(NgsiGeoQuery, ParsesEachRelation) {
  EXPECT_EQ(geo("coveredBy", "box", "0,0;1,1").relation, GeoRelation::covered_by);
  EXPECT_EQ(geo("intersects", "line", "0,0;1,1").relation, GeoRelation::intersects);
  EXPECT_EQ(geo("disjoint", "point", "0,0").relation, GeoRelation::disjoint);
  EXPECT_EQ(geo("equals", "polygon", kSquare).relation, GeoRelation::equals);
}

TEST(NgsiGeoQuery, NearNeedsADistance) {
  EXPECT_EQ(geo_error("near", "point", "0,0"),
            "georel /near/ without either minDistance nor maxDistance");
}

TEST(NgsiGeoQuery, NearNeedsAPoint) {
  EXPECT_EQ(geo_error("near;maxDistance:10", "box", "0,0;1,1"),
            "georel /near/ used with geometry different than point");
}

TEST(NgsiGeoQuery, DistancesBelongToNearOnly) {
  EXPECT_EQ(geo_error("coveredBy;maxDistance:10", "box", "0,0;1,1"),
            "maxDistance erroneously used with georel /coveredBy/");
  EXPECT_EQ(geo_error("intersects;minDistance:10", "box", "0,0;1,1"),
            "minDistance erroneously used with georel /intersects/");
}

TEST(NgsiGeoQuery, RejectsMalformedGeorel) {
  EXPECT_EQ(geo_error("", "point", "0,0"), "empty georel");
  EXPECT_EQ(geo_error("near;near;maxDistance:1", "point", "0,0"),
            "georel type present more than once");
  EXPECT_EQ(geo_error("near;maxDistance:1;maxDistance:2", "point", "0,0"),
            "maxDistance present more than once");
  EXPECT_EQ(geo_error("near;maxDistance:abc", "point", "0,0"), "invalid number for maxDistance");
  EXPECT_EQ(geo_error("near;maxDistance:-5", "point", "0,0"), "invalid number for maxDistance");
  EXPECT_EQ(geo_error("near;minDistance:", "point", "0,0"), "invalid number for minDistance");
  EXPECT_EQ(geo_error("near;radius:5", "point", "0,0"), "Invalid modifier in georel parameter");
  EXPECT_EQ(geo_error("within", "box", "0,0;1,1"), "Invalid modifier in georel parameter");
  EXPECT_EQ(geo_error("maxDistance:5", "point", "0,0"), "georel without a relation type");
  EXPECT_EQ(geo_error("near;minDistance:50;maxDistance:10", "point", "0,0"),
            "minDistance greater than maxDistance in georel /near/");
}

TEST(NgsiGeoQuery, RejectsUnknownGeometry) {
  EXPECT_EQ(geo_error("intersects", "circle", "0,0"),
            "error parsing geometry: Invalid selector in geometry specification");
  EXPECT_EQ(geo_error("intersects", "", "0,0"), "error parsing geometry: empty geometry");
}

TEST(NgsiGeoQuery, CoveredByNeedsAnArea) {
  EXPECT_EQ(geo_error("coveredBy", "point", "0,0"),
            "point geometry cannot be used with coveredBy georel");
  EXPECT_EQ(geo_error("coveredBy", "line", "0,0;1,1"),
            "line geometry cannot be used with coveredBy georel");
}

TEST(NgsiGeoQuery, RejectsMalformedCoords) {
  EXPECT_EQ(geo_error("intersects", "point", ""), "no coordinates for geometry");
  EXPECT_EQ(geo_error("intersects", "point", "1"), "invalid point in URI param /coords/");
  EXPECT_EQ(geo_error("intersects", "point", "1,2,3"), "invalid point in URI param /coords/");
  EXPECT_EQ(geo_error("intersects", "line", "0,0;"), "invalid point in URI param /coords/");
  EXPECT_EQ(geo_error("intersects", "point", "a,b"), "invalid coordinates");
  EXPECT_EQ(geo_error("intersects", "point", "91,0"), "invalid coordinates");
  EXPECT_EQ(geo_error("intersects", "point", "0,180.5"), "invalid coordinates");
  EXPECT_EQ(geo_error("intersects", "point", "1e1,0"), "invalid coordinates");
}

TEST(NgsiGeoQuery, ChecksTheNumberOfPointsPerGeometry) {
  EXPECT_EQ(geo_error("intersects", "point", "0,0;1,1"),
            "invalid number of coordinates for /point/");
  EXPECT_EQ(geo_error("intersects", "line", "0,0"), "invalid number of coordinates for /line/");
  EXPECT_EQ(geo_error("intersects", "box", "0,0"), "invalid number of coordinates for /box/");
  EXPECT_EQ(geo_error("intersects", "box", "0,0;1,1;2,2"),
            "invalid number of coordinates for /box/");
  EXPECT_EQ(geo_error("intersects", "polygon", "0,0;0,1;0,0"), "Too few coordinates for polygon");
}

TEST(NgsiGeoQuery, PolygonMustBeClosed) {
  EXPECT_EQ(geo_error("intersects", "polygon", "0,0;0,1;1,1;1,0"),
            "First and last point in polygon not the same");
}

TEST(NgsiGeoQuery, PolygonMustNotCrossItself) {
  // The specification's own invalid example: [0,0], [0,2], [2,0], [2,2] (a bow tie).
  EXPECT_EQ(geo_error("intersects", "polygon", "0,0;0,2;2,0;2,2;0,0"),
            "polygon edges cross or overlap each other");
  // A spike that doubles back along an edge, and a ring with no area.
  EXPECT_EQ(geo_error("intersects", "polygon", "0,0;0,2;0,1;1,1;0,0"),
            "polygon edges cross or overlap each other");
  EXPECT_EQ(geo_error("intersects", "polygon", "0,0;0,1;0,2;0,0"),
            "polygon edges cross or overlap each other");
  EXPECT_EQ(geo_error("intersects", "polygon", "0,0;0,1;0,1;1,1;0,0"),
            "repeated consecutive point in polygon");
}

TEST(NgsiGeoQuery, AcceptsAConcavePolygon) {
  EXPECT_EQ(geo("intersects", "polygon", kNotched).shape.points.size(), 9u);
}

TEST(NgsiGeoQuery, BoxIsNormalisedToSouthWestThenNorthEast) {
  const auto q = geo("intersects", "box", "1,2;-1,0.5");
  EXPECT_EQ(q.shape.points, (std::vector<core::GeoPoint>{at(-1, 0.5), at(1, 2)}));
  EXPECT_EQ(geo_error("intersects", "box", "0,0;0,1"),
            "box coordinates are not defining an actual box");
}

TEST(NgsiGeoQuery, BoundsTheNumberOfPoints) {
  std::string coords;
  for (size_t i = 0; i <= kGeoMaxPoints; ++i) coords += (i ? ";" : "") + std::string("0,0");
  EXPECT_EQ(geo_error("intersects", "line", coords), "too many coordinates (at most 1000)");
}

// --- Geo attributes ---

TEST(NgsiGeoAttribute, PointIsLatitudeCommaLongitudeText) {
  EXPECT_EQ(shape("geo:point", R"("-7.6298, 111.5239")"), point(-7.6298, 111.5239));
  EXPECT_EQ(shape("geo:point", R"("41.3763726,2.186447514")").points[0],
            (core::GeoPoint{41'376'373, 2'186'448}));
}

TEST(NgsiGeoAttribute, RejectsMalformedPoints) {
  EXPECT_EQ(shape_error("geo:point", "[1, 2]"), "geo:point value must be a string \"lat, lon\"");
  EXPECT_EQ(shape_error("geo:point", R"("1")"), "geo:point value must be a string \"lat, lon\"");
  EXPECT_EQ(shape_error("geo:point", R"("95, 10")"),
            "geo:point value must be a string \"lat, lon\"");
}

TEST(NgsiGeoAttribute, LineBoxAndPolygonAreArraysOfPoints) {
  EXPECT_EQ(shape("geo:line", R"(["0, 0", "1, 1", "2, 0"])").points.size(), 3u);
  const auto box = shape("geo:box", R"(["1, 1", "0, 0"])");
  EXPECT_EQ(box.kind, GeometryKind::box);
  EXPECT_EQ(box.points, (std::vector<core::GeoPoint>{at(0, 0), at(1, 1)}));
  EXPECT_EQ(shape("geo:polygon", R"(["0, 0", "0, 1", "1, 1", "0, 0"])").kind,
            GeometryKind::polygon);
}

TEST(NgsiGeoAttribute, RejectsMalformedShapes) {
  EXPECT_EQ(shape_error("geo:line", R"(["0, 0"])"), "invalid number of coordinates for /line/");
  EXPECT_EQ(shape_error("geo:line", R"("0, 0")"),
            "geo:line value must be an array of \"lat, lon\" strings");
  EXPECT_EQ(shape_error("geo:box", R"(["0, 0", 1])"),
            "geo:box value must be an array of \"lat, lon\" strings");
  EXPECT_EQ(shape_error("geo:polygon", R"(["0, 0", "0, 1", "1, 1", "1, 0"])"),
            "First and last point in polygon not the same");
}

TEST(NgsiGeoAttribute, GeoJsonIsLongitudeFirst) {
  EXPECT_EQ(shape("geo:json", R"({"type": "Point", "coordinates": [111.5239, -7.6298]})"),
            point(-7.6298, 111.5239));
  // An altitude is allowed and ignored.
  EXPECT_EQ(shape("geo:json", R"({"type": "Point", "coordinates": [111.5239, -7.6298, 63]})"),
            point(-7.6298, 111.5239));
  // Latitude 111 is impossible: a client that wrote lat-lon order is refused, not misplaced.
  EXPECT_EQ(shape_error("geo:json", R"({"type": "Point", "coordinates": [-7.6298, 111.5239]})"),
            "geo:json position must be [longitude, latitude] in range");
}

TEST(NgsiGeoAttribute, GeoJsonLineStringAndPolygon) {
  const auto line =
      shape("geo:json", R"({"type": "LineString", "coordinates": [[111.5, -7.6], [111.6, -7.7]]})");
  EXPECT_EQ(line.kind, GeometryKind::line);
  EXPECT_EQ(line.points, (std::vector<core::GeoPoint>{at(-7.6, 111.5), at(-7.7, 111.6)}));
  const auto polygon = shape(
      "geo:json", R"({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})");
  EXPECT_EQ(polygon.kind, GeometryKind::polygon);
  EXPECT_EQ(polygon.points[1], at(0, 1));
}

TEST(NgsiGeoAttribute, RejectsUnsupportedGeoJson) {
  EXPECT_EQ(shape_error("geo:json", R"({"type": "MultiPoint", "coordinates": [[0, 0]]})"),
            "geo:json type /MultiPoint/ is not supported (Point, LineString, Polygon)");
  EXPECT_EQ(shape_error("geo:json", R"({"type": "Polygon", "coordinates": [
                            [[0, 0], [3, 0], [3, 3], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]]})"),
            "geo:json Polygon with holes is not supported");
  EXPECT_EQ(shape_error("geo:json", R"({"type": "Point"})"),
            "geo:json value must be a GeoJSON geometry with type and coordinates");
  EXPECT_EQ(shape_error("geo:json", R"("0, 0")"),
            "geo:json value must be a GeoJSON geometry with type and coordinates");
  EXPECT_EQ(shape_error("geo:json", R"({"type": "Point", "coordinates": ["1", "2"]})"),
            "geo:json position must be [longitude, latitude] in range");
}

TEST(NgsiGeoAttribute, CheckAcceptsNonGeoAndNullValues) {
  EXPECT_TRUE(check_geo_attribute(attribute("Number", "12")).ok());
  EXPECT_TRUE(check_geo_attribute(attribute("geo:point", "null")).ok());
  EXPECT_TRUE(check_geo_attribute(attribute("geo:point", R"("1, 2")")).ok());
  const auto bad = check_geo_attribute(attribute("geo:point", R"("north")"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::bad_request);
}

TEST(NgsiGeoAttribute, AnEntityHasOneLocationOrOneDefault) {
  Entity e = located("river-01", attribute("geo:point", R"("0, 0")"));
  EXPECT_TRUE(check_entity_location(e).ok());
  e.attrs["gauge"] = attribute("geo:point", R"("0.5, 0.5")");
  const auto ambiguous = check_entity_location(e);
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.error().code, core::ErrorCode::validation_failed);
  EXPECT_FALSE(location_of(e));

  e.attrs["gauge"].metadata["defaultLocation"] =
      boost::json::object{{"type", "Boolean"}, {"value", true}};
  EXPECT_TRUE(check_entity_location(e).ok());
  EXPECT_EQ(location_of(e), point(0.5, 0.5));
}

TEST(NgsiGeoAttribute, LocationOfSkipsNullAndNonGeoAttributes) {
  Entity e = located("river-01", attribute("geo:point", "null"));
  e.attrs["level"] = attribute("Number", "120");
  EXPECT_FALSE(location_of(e));
  e.attrs["area"] = attribute("geo:box", R"(["0, 0", "1, 1"])");
  ASSERT_TRUE(location_of(e));
  EXPECT_EQ(location_of(e)->kind, GeometryKind::box);
}

// --- near ---

TEST(NgsiGeoMatch, NearWithinMaxDistance) {
  const GeoShape gauge = point(-7.6298, 111.5239);
  const double d = core::distance_m(at(-7.6298, 111.5239), at(-7.6210, 111.5239));  // ~979 m
  const std::string coords = "-7.6210,111.5239";
  EXPECT_TRUE(
      matches(geo("near;maxDistance:" + std::to_string(std::ceil(d)), "point", coords), gauge));
  EXPECT_FALSE(
      matches(geo("near;maxDistance:" + std::to_string(std::floor(d)), "point", coords), gauge));
}

TEST(NgsiGeoMatch, NearBoundariesAreInclusive) {
  const GeoShape gauge = point(-7.6298, 111.5239);
  EXPECT_TRUE(matches(geo("near;maxDistance:0", "point", "-7.6298,111.5239"), gauge));
  EXPECT_TRUE(matches(geo("near;minDistance:0", "point", "-7.6298,111.5239"), gauge));
  EXPECT_FALSE(matches(geo("near;minDistance:0.5", "point", "-7.6298,111.5239"), gauge));
}

TEST(NgsiGeoMatch, NearWithMinDistanceKeepsFarEntities) {
  const GeoShape gauge = point(-7.6298, 111.5239);
  EXPECT_TRUE(matches(geo("near;minDistance:500", "point", "-7.6210,111.5239"), gauge));
  EXPECT_FALSE(matches(geo("near;minDistance:2000", "point", "-7.6210,111.5239"), gauge));
  EXPECT_TRUE(
      matches(geo("near;minDistance:500;maxDistance:2000", "point", "-7.6210,111.5239"), gauge));
}

TEST(NgsiGeoMatch, NearMeasuresToTheClosestPointOfALine) {
  // A 2.2 km road along the equator; the query point is 111 m north of its middle, far from
  // both ends.
  const GeoShape road = shape("geo:line", R"(["0, 0", "0, 0.02"])");
  EXPECT_NEAR(distance_m(at(0.001, 0.01), road), 111.2, 0.5);
  EXPECT_TRUE(matches(geo("near;maxDistance:120", "point", "0.001,0.01"), road));
  EXPECT_FALSE(matches(geo("near;maxDistance:100", "point", "0.001,0.01"), road));
}

TEST(NgsiGeoMatch, NearAnAreaIsZeroInside) {
  const GeoShape park = shape("geo:polygon", R"(["0, 0", "0, 1", "1, 1", "1, 0", "0, 0"])");
  EXPECT_EQ(distance_m(at(0.5, 0.5), park), 0.0);
  EXPECT_TRUE(matches(geo("near;maxDistance:0", "point", "0.5,0.5"), park));
  EXPECT_NEAR(distance_m(at(0.5, 1.001), park), 111.2, 0.5);
}

// --- coveredBy ---

TEST(NgsiGeoMatch, CoveredByIncludesTheBorder) {
  const auto square = geo("coveredBy", "polygon", kSquare);
  EXPECT_TRUE(matches(square, point(0.5, 0.5)));
  EXPECT_TRUE(matches(square, point(0, 0.5)));  // on an edge
  EXPECT_TRUE(matches(square, point(1, 1)));    // on a vertex
  EXPECT_FALSE(matches(square, point(1.000001, 0.5)));
  EXPECT_FALSE(matches(square, point(-0.5, -0.5)));
}

TEST(NgsiGeoMatch, CoveredByAConcavePolygon) {
  const auto c_shape = geo("coveredBy", "polygon", kNotched);
  EXPECT_TRUE(matches(c_shape, point(0.5, 2)));
  EXPECT_FALSE(matches(c_shape, point(1.5, 2)));  // in the notch
  EXPECT_TRUE(matches(c_shape, point(1.5, 1)));   // on the notch's inner edge
  // Both ends inside, but the segment crosses the notch.
  EXPECT_FALSE(matches(c_shape, shape("geo:line", R"(["0.5, 2", "2.5, 2"])")));
  // Along the notch's inner edge: on the border all the way.
  EXPECT_TRUE(matches(c_shape, shape("geo:line", R"(["1, 1", "2, 1"])")));
  EXPECT_TRUE(matches(c_shape, shape("geo:line", R"(["0.5, 0.5", "2.5, 0.5", "2.5, 2.5"])")));
}

TEST(NgsiGeoMatch, CoveredByABox) {
  const auto box = geo("coveredBy", "box", "0,0;1,1");
  EXPECT_TRUE(
      matches(box, shape("geo:polygon", R"(["0.2, 0.2", "0.2, 0.8", "0.8, 0.5", "0.2, 0.2"])")));
  EXPECT_FALSE(
      matches(box, shape("geo:polygon", R"(["0.2, 0.2", "0.2, 1.8", "0.8, 0.5", "0.2, 0.2"])")));
  EXPECT_TRUE(matches(box, shape("geo:box", R"(["0, 0", "1, 1"])")));  // equal: covered
  EXPECT_FALSE(matches(box, shape("geo:box", R"(["0, 0", "1, 1.1"])")));
}

// --- intersects and disjoint ---

TEST(NgsiGeoMatch, IntersectsWhenALineCrossesAnEdge) {
  const auto square = geo("intersects", "polygon", kSquare);
  // No vertex of the line is inside, yet it crosses the square.
  EXPECT_TRUE(matches(square, shape("geo:line", R"(["-1, 0.5", "2, 0.5"])")));
  EXPECT_FALSE(matches(square, shape("geo:line", R"(["-1, 1.5", "2, 1.5"])")));
  // Touching a corner is intersecting.
  EXPECT_TRUE(matches(square, shape("geo:line", R"(["1, 1", "2, 2"])")));
}

TEST(NgsiGeoMatch, IntersectsWhenOneAreaHoldsTheOther) {
  const auto small = geo("intersects", "polygon", "0.4,0.4;0.4,0.6;0.6,0.6;0.4,0.4");
  EXPECT_TRUE(matches(small, shape("geo:box", R"(["0, 0", "1, 1"])")));
  const auto big = geo("intersects", "box", "-5,-5;5,5");
  EXPECT_TRUE(matches(big, shape("geo:polygon", R"(["0, 0", "0, 1", "1, 1", "0, 0"])")));
}

TEST(NgsiGeoMatch, IntersectsPointsAndLines) {
  EXPECT_TRUE(matches(geo("intersects", "point", "0.5,0.5"), point(0.5, 0.5)));
  EXPECT_FALSE(matches(geo("intersects", "point", "0.5,0.5"), point(0.5, 0.500001)));
  EXPECT_TRUE(matches(geo("intersects", "line", "0,0;1,1"), point(0.5, 0.5)));
  EXPECT_TRUE(
      matches(geo("intersects", "line", "0,0;1,1"), shape("geo:line", R"(["0, 1", "1, 0"])")));
  // Collinear segments that overlap, and ones that do not reach each other.
  EXPECT_TRUE(
      matches(geo("intersects", "line", "0,0;0,2"), shape("geo:line", R"(["0, 1", "0, 3"])")));
  EXPECT_FALSE(
      matches(geo("intersects", "line", "0,0;0,1"), shape("geo:line", R"(["0, 2", "0, 3"])")));
}

TEST(NgsiGeoMatch, DisjointIsTheOpposite) {
  const auto square = geo("disjoint", "polygon", kSquare);
  EXPECT_TRUE(matches(square, point(2, 2)));
  EXPECT_FALSE(matches(square, point(0.5, 0.5)));
  EXPECT_FALSE(matches(square, point(1, 0.5)));  // on the border is not disjoint
}

// --- equals ---

TEST(NgsiGeoMatch, EqualsComparesVertices) {
  EXPECT_TRUE(matches(geo("equals", "point", "0.5,0.5"), point(0.5, 0.5)));
  EXPECT_FALSE(matches(geo("equals", "point", "0.5,0.5"), point(0.5, 0.6)));
  EXPECT_TRUE(matches(geo("equals", "line", "0,0;1,1;2,0"),
                      shape("geo:line", R"(["2, 0", "1, 1", "0, 0"])")));
  EXPECT_FALSE(matches(geo("equals", "line", "0,0;1,1"), point(0, 0)));
}

TEST(NgsiGeoMatch, EqualRingsMayStartAnywhereInEitherDirection) {
  const auto square = geo("equals", "polygon", kSquare);
  EXPECT_TRUE(matches(square, shape("geo:polygon", R"(["1, 1", "1, 0", "0, 0", "0, 1", "1, 1"])")));
  EXPECT_TRUE(matches(square, shape("geo:polygon", R"(["1, 1", "0, 1", "0, 0", "1, 0", "1, 1"])")));
  EXPECT_TRUE(matches(square, shape("geo:box", R"(["0, 0", "1, 1"])")));
  EXPECT_FALSE(matches(square, shape("geo:box", R"(["0, 0", "1, 2"])")));
}

// --- Entities ---

TEST(NgsiGeoMatch, EntitiesWithoutLocationMatchNothing) {
  Entity e;
  e.id = "sensor-without-place";
  EXPECT_FALSE(matches(geo("disjoint", "point", "0,0"), e));
  EXPECT_FALSE(matches(geo("near;minDistance:0", "point", "0,0"), e));
}

TEST(NgsiGeoMatch, EntitiesMatchThroughTheirLocation) {
  const Entity gauge =
      located("river-01",
              attribute("geo:json", R"({"type": "Point", "coordinates": [111.5239, -7.6298]})"));
  EXPECT_TRUE(matches(geo("coveredBy", "box", "-7.68,111.48;-7.57,111.57"), gauge));
  EXPECT_FALSE(matches(geo("coveredBy", "box", "-7.60,111.48;-7.57,111.57"), gauge));
  // Query coords are latitude first: GeoJSON's order is refused there.
  EXPECT_EQ(geo_error("coveredBy", "box", "111.48,-7.68;111.57,-7.57"), "invalid coordinates");
}

}  // namespace
}  // namespace balai::city
