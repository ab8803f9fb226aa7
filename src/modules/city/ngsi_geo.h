#pragma once
// NGSI-v2 geography (FIWARE Orion's "Geospatial properties of entities" and "Geographical
// Queries"): the geo attributes an entity may carry (geo:point, geo:line, geo:box, geo:polygon in
// the Simple Location Format, "lat, lon"; geo:json, GeoJSON with longitude first), the georel /
// geometry / coords query parameters, and whether a shape satisfies such a query. Pure functions,
// no I/O; thread-safe.
//
// Geometry is planar in latitude/longitude (edges are straight lines on the map, not great
// circles): exact at a city's scale, which is all Balai serves. Shapes must not cross the 180°
// meridian. Coordinates are integer micro-degrees (core::GeoPoint), so the predicates on
// vertices and edges (on an edge, crossing, inside) are exact integer arithmetic; distances for
// `near` are great-circle metres.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/result.h"
#include "modules/city/model.h"

namespace balai::city {

enum class GeometryKind { point, line, polygon, box };
std::string_view to_string(GeometryKind kind);  // "point", "line", "polygon", "box"

// A reference shape of a query or the location of an entity.
struct GeoShape {
  GeometryKind kind = GeometryKind::point;
  // point: one point. line: two or more. polygon: a closed ring (four or more points, the last
  // equal to the first, edges not crossing). box: two points, south-west then north-east
  // (normalised when parsed, whatever order the client gave).
  std::vector<core::GeoPoint> points;
  bool operator==(const GeoShape&) const = default;
};

// The spatial relationship a matching entity has with the reference shape.
enum class GeoRelation {
  near,        // within maxDistance and/or beyond minDistance metres of a point
  covered_by,  // entirely inside the reference area, its border included
  intersects,  // at least one point in common
  disjoint,    // no point in common
  equals,      // the same geometry (same vertices; a ring may start anywhere, either direction)
};
std::string_view to_string(GeoRelation relation);  // "near", "coveredBy", ...

struct GeoQuery {
  GeoRelation relation = GeoRelation::intersects;
  std::optional<double> max_distance_m;  // near only
  std::optional<double> min_distance_m;  // near only
  GeoShape shape;
};

// Bounds on untrusted input: the checks are quadratic in the number of vertices.
inline constexpr size_t kGeoMaxPoints = 1'000;

// Parses the three query parameters (all three are required together; the caller checks that
// they came together). bad_request with an Orion-like description otherwise, e.g. "georel
// /near/ without either minDistance nor maxDistance", "First and last point in polygon not the
// same", "invalid number of coordinates for /box/". `coords` is "lat,lon;lat,lon;..." in decimal
// degrees (at most six decimals are kept).
[[nodiscard]] core::Result<GeoQuery> parse_geo_query(std::string_view georel,
                                                     std::string_view geometry,
                                                     std::string_view coords);

// Whether an attribute type is one of the five location types ("geo:point", ..., "geo:json").
bool is_geo_type(std::string_view attribute_type);

// The shape an attribute of a geo type holds. bad_request naming the problem when the value
// does not fit its type (a point that is not "lat, lon", a polygon not closed, a GeoJSON type
// other than Point, LineString or Polygon, a polygon with holes...), and also when the
// attribute is not of a geo type or its value is null (it holds no shape).
[[nodiscard]] core::Result<GeoShape> parse_geo_attribute(const Attribute& attribute);

// What the store and the API call before writing an attribute: ok for any non-geo attribute and
// for a geo attribute whose value is null (no location); otherwise parse_geo_attribute's
// verdict.
[[nodiscard]] core::Status check_geo_attribute(const Attribute& attribute);

// Before writing an entity: at most one geo attribute holds a location, or exactly one of them
// carries the metadata defaultLocation = true (NGSI-v2's rule; otherwise queries would be
// ambiguous). validation_failed otherwise.
[[nodiscard]] core::Status check_entity_location(const Entity& entity);

// An entity's location: its one geo attribute with a valid non-null value, or among several,
// the one marked defaultLocation = true. Nullopt when it has none or it is ambiguous; such an
// entity matches no geographical query.
std::optional<GeoShape> location_of(const Entity& entity);

// Whether `shape` (an entity's location) satisfies the query.
bool matches(const GeoQuery& query, const GeoShape& shape);
// The same for an entity through location_of; false when it has no location.
bool matches(const GeoQuery& query, const Entity& entity);

// Great-circle metres from `from` to the nearest point of `shape` (0 inside an area or on it):
// what `near` and orderBy=geo:distance measure.
double distance_m(core::GeoPoint from, const GeoShape& shape);

}  // namespace balai::city
