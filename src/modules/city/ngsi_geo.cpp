#include "modules/city/ngsi_geo.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "core/text.h"

namespace balai::city {
namespace {

using core::GeoPoint;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

core::Error bad_request(std::string message) {
  return core::make_error(core::ErrorCode::bad_request, std::move(message));
}

std::string_view view(const boost::json::string& s) {
  return {s.data(), s.size()};
}

// --- Exact predicates on micro-degree points (x = longitude, y = latitude) ---
// Coordinates are below 2^29 in magnitude, so every product below fits in int64_t.

int64_t cross(GeoPoint o, GeoPoint a, GeoPoint b) {
  return (a.lon_e6 - o.lon_e6) * (b.lat_e6 - o.lat_e6) -
         (a.lat_e6 - o.lat_e6) * (b.lon_e6 - o.lon_e6);
}

int sign(int64_t v) {
  return (v > 0) - (v < 0);
}

// p lies within the bounding box of segment a-b (with p collinear, it is on the segment).
bool within_box(GeoPoint p, GeoPoint a, GeoPoint b) {
  return std::min(a.lon_e6, b.lon_e6) <= p.lon_e6 && p.lon_e6 <= std::max(a.lon_e6, b.lon_e6) &&
         std::min(a.lat_e6, b.lat_e6) <= p.lat_e6 && p.lat_e6 <= std::max(a.lat_e6, b.lat_e6);
}

bool on_segment(GeoPoint p, GeoPoint a, GeoPoint b) {
  return cross(a, b, p) == 0 && within_box(p, a, b);
}

// Whether closed segments a-b and c-d share a point (touching ends and overlaps included).
bool segments_intersect(GeoPoint a, GeoPoint b, GeoPoint c, GeoPoint d) {
  const int o1 = sign(cross(a, b, c)), o2 = sign(cross(a, b, d));
  const int o3 = sign(cross(c, d, a)), o4 = sign(cross(c, d, b));
  if (o1 != o2 && o3 != o4) return true;
  return (o1 == 0 && within_box(c, a, b)) || (o2 == 0 && within_box(d, a, b)) ||
         (o3 == 0 && within_box(a, c, d)) || (o4 == 0 && within_box(b, c, d));
}

enum class Place { outside, boundary, inside };

// Where p lies against a closed ring (winding number; the border checked first, exactly).
Place locate(GeoPoint p, const std::vector<GeoPoint>& ring) {
  int winding = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const GeoPoint a = ring[i], b = ring[i + 1];
    if (on_segment(p, a, b)) return Place::boundary;
    if (a.lat_e6 <= p.lat_e6) {
      if (b.lat_e6 > p.lat_e6 && cross(a, b, p) > 0) ++winding;
    } else if (b.lat_e6 <= p.lat_e6 && cross(a, b, p) < 0) {
      --winding;
    }
  }
  return winding != 0 ? Place::inside : Place::outside;
}

// The same for a point between vertices (the midpoint of a piece of a segment), in floating
// point: within a thousandth of a micro-degree (0.1 mm) of an edge counts as on it.
struct PointD {
  double lat = 0, lon = 0;
};

bool covers(const std::vector<GeoPoint>& ring, PointD p) {
  constexpr double kTolerance = 1e-3;
  int winding = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const double ax = static_cast<double>(ring[i].lon_e6), ay = static_cast<double>(ring[i].lat_e6);
    const double bx = static_cast<double>(ring[i + 1].lon_e6);
    const double by = static_cast<double>(ring[i + 1].lat_e6);
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    const double t =
        len2 == 0 ? 0 : std::clamp(((p.lon - ax) * dx + (p.lat - ay) * dy) / len2, 0.0, 1.0);
    if (std::hypot(ax + t * dx - p.lon, ay + t * dy - p.lat) <= kTolerance) return true;
    const double c = dx * (p.lat - ay) - dy * (p.lon - ax);
    if (ay <= p.lat) {
      if (by > p.lat && c > 0) ++winding;
    } else if (by <= p.lat && c < 0) {
      --winding;
    }
  }
  return winding != 0;
}

// --- Shapes as vertices, edges and rings ---

bool is_area(const GeoShape& s) {
  return s.kind == GeometryKind::polygon || s.kind == GeometryKind::box;
}

// The closed ring of an area: a polygon's own, a box's four corners counter-clockwise.
std::vector<GeoPoint> ring_of(const GeoShape& s) {
  if (s.kind != GeometryKind::box) return s.points;
  const GeoPoint sw = s.points[0], ne = s.points[1];
  return {sw, {sw.lat_e6, ne.lon_e6}, ne, {ne.lat_e6, sw.lon_e6}, sw};
}

// The chain of vertices whose consecutive pairs are the shape's segments (a point is one
// degenerate segment).
std::vector<GeoPoint> chain_of(const GeoShape& s) {
  if (is_area(s)) return ring_of(s);
  if (s.kind == GeometryKind::point) return {s.points[0], s.points[0]};
  return s.points;
}

bool chains_touch(const std::vector<GeoPoint>& a, const std::vector<GeoPoint>& b) {
  for (size_t i = 0; i + 1 < a.size(); ++i)
    for (size_t j = 0; j + 1 < b.size(); ++j)
      if (segments_intersect(a[i], a[i + 1], b[j], b[j + 1])) return true;
  return false;
}

bool intersects(const GeoShape& a, const GeoShape& b) {
  if (chains_touch(chain_of(a), chain_of(b))) return true;
  // No boundary meets: one shape is wholly inside the other, or they are apart. Both are
  // connected, so one vertex decides.
  if (is_area(b) && locate(a.points[0], ring_of(b)) != Place::outside) return true;
  if (is_area(a) && locate(b.points[0], ring_of(a)) != Place::outside) return true;
  return false;
}

// Whether segment a-b lies within the area bounded by `ring`: cut it wherever it meets the
// border, and every piece must be inside or on the border (a segment whose ends are inside can
// still leave a concave polygon).
bool segment_covered(GeoPoint a, GeoPoint b, const std::vector<GeoPoint>& ring) {
  if (locate(a, ring) == Place::outside || locate(b, ring) == Place::outside) return false;
  if (a == b) return true;
  const double dx = static_cast<double>(b.lon_e6 - a.lon_e6);
  const double dy = static_cast<double>(b.lat_e6 - a.lat_e6);
  auto param = [&](GeoPoint p) {  // position of a collinear point along a-b
    return std::clamp((static_cast<double>(p.lon_e6 - a.lon_e6) * dx +
                       static_cast<double>(p.lat_e6 - a.lat_e6) * dy) /
                          (dx * dx + dy * dy),
                      0.0, 1.0);
  };
  std::vector<double> cuts{0.0, 1.0};
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const GeoPoint c = ring[i], d = ring[i + 1];
    if (!segments_intersect(a, b, c, d)) continue;
    const int64_t ca = cross(c, d, a), cb = cross(c, d, b);
    if (ca == cb) {  // parallel: the overlap's ends
      cuts.push_back(param(c));
      cuts.push_back(param(d));
    } else {
      cuts.push_back(std::clamp(static_cast<double>(ca) / static_cast<double>(ca - cb), 0.0, 1.0));
    }
  }
  std::sort(cuts.begin(), cuts.end());
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    if (cuts[i + 1] - cuts[i] < 1e-12) continue;
    const double t = (cuts[i] + cuts[i + 1]) / 2;
    const PointD mid{static_cast<double>(a.lat_e6) + t * dy,
                     static_cast<double>(a.lon_e6) + t * dx};
    if (!covers(ring, mid)) return false;
  }
  return true;
}

// Whether `shape` lies entirely within `area` (a polygon or box). For an area shape its border
// inside suffices: the reference area has no holes.
bool covered_by(const GeoShape& shape, const GeoShape& area) {
  const auto ring = ring_of(area);
  if (shape.kind == GeometryKind::point) return locate(shape.points[0], ring) != Place::outside;
  const auto chain = chain_of(shape);
  for (size_t i = 0; i + 1 < chain.size(); ++i)
    if (!segment_covered(chain[i], chain[i + 1], ring)) return false;
  return true;
}

// The same cycle of vertices, from any start, in either direction (rings without the closing
// vertex).
bool same_cycle(std::vector<GeoPoint> a, const std::vector<GeoPoint>& b) {
  if (a.size() != b.size()) return false;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t shift = 0; shift < a.size(); ++shift) {
      if (std::equal(a.begin(), a.end(), b.begin())) return true;
      std::rotate(a.begin(), a.begin() + 1, a.end());
    }
    std::reverse(a.begin(), a.end());
  }
  return false;
}

bool equal_shapes(const GeoShape& a, const GeoShape& b) {
  if (is_area(a) && is_area(b)) {
    auto ra = ring_of(a), rb = ring_of(b);
    ra.pop_back();
    rb.pop_back();
    return same_cycle(std::move(ra), rb);
  }
  if (a.kind != b.kind) return false;
  return a.points == b.points ||
         std::equal(a.points.begin(), a.points.end(), b.points.rbegin(), b.points.rend());
}

// --- Distance ---

constexpr double kMetresPerDegree = 6'371'008.8 * std::numbers::pi / 180.0;

// Metres from p to segment a-b: the nearest point found on a local flat projection around p
// (exact enough within a city), then measured on the sphere.
double distance_to_segment(GeoPoint p, GeoPoint a, GeoPoint b) {
  const double k = std::cos(static_cast<double>(p.lat_e6) / 1e6 * std::numbers::pi / 180.0);
  auto x = [&](GeoPoint q) { return static_cast<double>(q.lon_e6 - p.lon_e6) * k; };
  auto y = [&](GeoPoint q) { return static_cast<double>(q.lat_e6 - p.lat_e6); };
  const double dx = x(b) - x(a), dy = y(b) - y(a), len2 = dx * dx + dy * dy;
  const double t = len2 == 0 ? 0 : std::clamp(-(x(a) * dx + y(a) * dy) / len2, 0.0, 1.0);
  const GeoPoint nearest{a.lat_e6 + std::llround(t * static_cast<double>(b.lat_e6 - a.lat_e6)),
                         a.lon_e6 + std::llround(t * static_cast<double>(b.lon_e6 - a.lon_e6))};
  return core::distance_m(p, nearest);
}

// --- Parsing ---

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// "lat,lon" (spaces around either number allowed, as in "41.3763726, 2.186447514").
std::optional<GeoPoint> parse_lat_lon(std::string_view text) {
  const auto parts = split(text, ',');
  if (parts.size() != 2) return std::nullopt;
  return core::parse_geo_point(core::trim(parts[0]), core::trim(parts[1]));
}

// Checks the vertex list of a kind (count, closed simple ring) and normalises a box; the same
// rules for a query's coords and an attribute's value.
core::Status check_points(GeometryKind kind, std::vector<GeoPoint>& points) {
  if (points.size() > kGeoMaxPoints)
    return bad_request("too many coordinates (at most " + std::to_string(kGeoMaxPoints) + ")");
  switch (kind) {
    case GeometryKind::point:
      if (points.size() != 1) return bad_request("invalid number of coordinates for /point/");
      return {};
    case GeometryKind::line:
      if (points.size() < 2) return bad_request("invalid number of coordinates for /line/");
      return {};
    case GeometryKind::box: {
      if (points.size() != 2) return bad_request("invalid number of coordinates for /box/");
      const GeoPoint a = points[0], b = points[1];
      if (a.lat_e6 == b.lat_e6 || a.lon_e6 == b.lon_e6)
        return bad_request("box coordinates are not defining an actual box");
      points = {{std::min(a.lat_e6, b.lat_e6), std::min(a.lon_e6, b.lon_e6)},
                {std::max(a.lat_e6, b.lat_e6), std::max(a.lon_e6, b.lon_e6)}};
      return {};
    }
    case GeometryKind::polygon:
      break;
  }
  if (points.size() < 4) return bad_request("Too few coordinates for polygon");
  if (points.front() != points.back())
    return bad_request("First and last point in polygon not the same");
  const size_t edges = points.size() - 1;
  for (size_t i = 0; i < edges; ++i)
    if (points[i] == points[i + 1]) return bad_request("repeated consecutive point in polygon");
  // A simple ring: edges meet only their neighbours, and only at the shared vertex.
  for (size_t i = 0; i < edges; ++i) {
    for (size_t j = i + 1; j < edges; ++j) {
      const GeoPoint a = points[i], b = points[i + 1], c = points[j], d = points[j + 1];
      bool crossing;
      if (j == i + 1)
        crossing = on_segment(d, a, b) || on_segment(a, c, d);
      else if (i == 0 && j == edges - 1)
        crossing = on_segment(c, a, b) || on_segment(b, c, d);
      else
        crossing = segments_intersect(a, b, c, d);
      if (crossing) return bad_request("polygon edges cross or overlap each other");
    }
  }
  return {};
}

std::optional<GeometryKind> parse_geometry_kind(std::string_view text) {
  for (auto kind :
       {GeometryKind::point, GeometryKind::line, GeometryKind::polygon, GeometryKind::box})
    if (to_string(kind) == text) return kind;
  return std::nullopt;
}

// A distance modifier's number: finite, not negative.
std::optional<double> parse_metres(std::string_view text) {
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size() ||
      !std::isfinite(v) || v < 0)
    return std::nullopt;
  return v;
}

core::Status parse_georel(std::string_view text, GeoQuery& query) {
  if (text.empty()) return bad_request("empty georel");
  bool have_type = false;
  for (std::string_view item : split(text, ';')) {
    std::optional<double>* distance = nullptr;
    std::string_view name;
    if (item.starts_with("maxDistance:")) {
      distance = &query.max_distance_m, name = "maxDistance";
    } else if (item.starts_with("minDistance:")) {
      distance = &query.min_distance_m, name = "minDistance";
    }
    if (distance) {
      if (*distance) return bad_request(std::string(name) + " present more than once");
      *distance = parse_metres(item.substr(12));
      if (!*distance) return bad_request("invalid number for " + std::string(name));
      continue;
    }
    bool known = false;
    for (auto r : {GeoRelation::near, GeoRelation::covered_by, GeoRelation::intersects,
                   GeoRelation::disjoint, GeoRelation::equals}) {
      if (to_string(r) != item) continue;
      if (have_type) return bad_request("georel type present more than once");
      query.relation = r, have_type = known = true;
    }
    if (!known) return bad_request("Invalid modifier in georel parameter");
  }
  if (!have_type) return bad_request("georel without a relation type");
  const std::string type = "/" + std::string(to_string(query.relation)) + "/";
  if (query.relation != GeoRelation::near) {
    if (query.max_distance_m)
      return bad_request("maxDistance erroneously used with georel " + type);
    if (query.min_distance_m)
      return bad_request("minDistance erroneously used with georel " + type);
  } else if (!query.max_distance_m && !query.min_distance_m) {
    return bad_request("georel /near/ without either minDistance nor maxDistance");
  } else if (query.max_distance_m && query.min_distance_m &&
             *query.min_distance_m > *query.max_distance_m) {
    return bad_request("minDistance greater than maxDistance in georel /near/");
  }
  return {};
}

// --- Geo attributes ---

std::optional<double> json_number(const boost::json::value& v) {
  if (v.is_double())
    return std::isfinite(v.get_double()) ? std::optional(v.get_double()) : std::nullopt;
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

// A GeoJSON position: [longitude, latitude] or [longitude, latitude, altitude] (altitude ignored).
std::optional<GeoPoint> parse_position(const boost::json::value& v) {
  const auto* a = v.if_array();
  if (!a || a->size() < 2 || a->size() > 3) return std::nullopt;
  const auto lon = json_number((*a)[0]), lat = json_number((*a)[1]);
  if (!lon || !lat || std::abs(*lat) > 90 || std::abs(*lon) > 180) return std::nullopt;
  if (a->size() == 3 && !json_number((*a)[2])) return std::nullopt;
  return GeoPoint{std::llround(*lat * 1e6), std::llround(*lon * 1e6)};
}

core::Result<std::vector<GeoPoint>> parse_positions(const boost::json::value& v) {
  const auto* a = v.if_array();
  if (!a) return bad_request("geo:json coordinates must be an array of positions");
  if (a->size() > kGeoMaxPoints)
    return bad_request("too many coordinates (at most " + std::to_string(kGeoMaxPoints) + ")");
  std::vector<GeoPoint> points;
  for (const auto& item : *a) {
    auto p = parse_position(item);
    if (!p) return bad_request("geo:json position must be [longitude, latitude] in range");
    points.push_back(*p);
  }
  return points;
}

core::Result<GeoShape> parse_geojson(const boost::json::value& value) {
  const auto* object = value.if_object();
  const auto* type = object ? object->if_contains("type") : nullptr;
  const auto* coordinates = object ? object->if_contains("coordinates") : nullptr;
  if (!type || !type->is_string() || !coordinates)
    return bad_request("geo:json value must be a GeoJSON geometry with type and coordinates");
  const std::string_view name = view(type->get_string());
  GeoShape shape;
  if (name == "Point") {
    auto p = parse_position(*coordinates);
    if (!p) return bad_request("geo:json position must be [longitude, latitude] in range");
    shape.points = {*p};
  } else if (name == "LineString") {
    shape.kind = GeometryKind::line;
    auto points = parse_positions(*coordinates);
    if (!points) return points.take_error();
    shape.points = std::move(*points);
  } else if (name == "Polygon") {
    shape.kind = GeometryKind::polygon;
    const auto* rings = coordinates->if_array();
    if (!rings || rings->empty()) return bad_request("geo:json Polygon needs a ring");
    if (rings->size() > 1) return bad_request("geo:json Polygon with holes is not supported");
    auto points = parse_positions(rings->front());
    if (!points) return points.take_error();
    shape.points = std::move(*points);
  } else {
    return bad_request("geo:json type /" + std::string(name) +
                       "/ is not supported (Point, LineString, Polygon)");
  }
  BALAI_TRY(check_points(shape.kind, shape.points));
  return shape;
}

core::Result<GeoShape> parse_simple_location(GeometryKind kind, const boost::json::value& value,
                                             std::string_view type) {
  GeoShape shape{kind, {}};
  const std::string what(type);
  if (kind == GeometryKind::point) {
    const auto* text = value.if_string();
    auto p = text ? parse_lat_lon(view(*text)) : std::nullopt;
    if (!p) return bad_request(what + " value must be a string \"lat, lon\"");
    shape.points = {*p};
    return shape;
  }
  const auto* items = value.if_array();
  if (!items) return bad_request(what + " value must be an array of \"lat, lon\" strings");
  if (items->size() > kGeoMaxPoints)
    return bad_request("too many coordinates (at most " + std::to_string(kGeoMaxPoints) + ")");
  for (const auto& item : *items) {
    const auto* text = item.if_string();
    auto p = text ? parse_lat_lon(view(*text)) : std::nullopt;
    if (!p) return bad_request(what + " value must be an array of \"lat, lon\" strings");
    shape.points.push_back(*p);
  }
  BALAI_TRY(check_points(kind, shape.points));
  return shape;
}

bool is_default_location(const Attribute& a) {
  const auto* md = a.metadata.if_contains("defaultLocation");
  const auto* md_object = md ? md->if_object() : nullptr;
  const auto* value = md_object ? md_object->if_contains("value") : nullptr;
  return value && value->is_bool() && value->get_bool();
}

}  // namespace

std::string_view to_string(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::point:
      return "point";
    case GeometryKind::line:
      return "line";
    case GeometryKind::polygon:
      return "polygon";
    case GeometryKind::box:
      return "box";
  }
  return "point";
}

std::string_view to_string(GeoRelation relation) {
  switch (relation) {
    case GeoRelation::near:
      return "near";
    case GeoRelation::covered_by:
      return "coveredBy";
    case GeoRelation::intersects:
      return "intersects";
    case GeoRelation::disjoint:
      return "disjoint";
    case GeoRelation::equals:
      return "equals";
  }
  return "intersects";
}

core::Result<GeoQuery> parse_geo_query(std::string_view georel, std::string_view geometry,
                                       std::string_view coords) {
  GeoQuery query;
  if (geometry.empty()) return bad_request("error parsing geometry: empty geometry");
  const auto kind = parse_geometry_kind(geometry);
  if (!kind)
    return bad_request("error parsing geometry: Invalid selector in geometry specification");
  query.shape.kind = *kind;
  BALAI_TRY(parse_georel(georel, query));
  if (*kind == GeometryKind::line && query.relation == GeoRelation::covered_by)
    return bad_request("line geometry cannot be used with coveredBy georel");
  if (*kind == GeometryKind::point && query.relation == GeoRelation::covered_by)
    return bad_request("point geometry cannot be used with coveredBy georel");
  if (*kind != GeometryKind::point && query.relation == GeoRelation::near)
    return bad_request("georel /near/ used with geometry different than point");

  if (coords.empty()) return bad_request("no coordinates for geometry");
  const auto items = split(coords, ';');
  if (items.size() > kGeoMaxPoints)
    return bad_request("too many coordinates (at most " + std::to_string(kGeoMaxPoints) + ")");
  for (std::string_view item : items) {
    if (split(item, ',').size() != 2) return bad_request("invalid point in URI param /coords/");
    auto p = parse_lat_lon(item);
    if (!p) return bad_request("invalid coordinates");
    query.shape.points.push_back(*p);
  }
  BALAI_TRY(check_points(*kind, query.shape.points));
  return query;
}

bool is_geo_type(std::string_view t) {
  return t == "geo:point" || t == "geo:line" || t == "geo:box" || t == "geo:polygon" ||
         t == "geo:json";
}

core::Result<GeoShape> parse_geo_attribute(const Attribute& attribute) {
  const std::string_view type = attribute.type;
  if (!is_geo_type(type)) return bad_request("not a geo attribute type: " + attribute.type);
  if (attribute.value.is_null()) return bad_request(attribute.type + " attribute has no value");
  if (type == "geo:json") return parse_geojson(attribute.value);
  const auto kind = parse_geometry_kind(type.substr(4));
  return parse_simple_location(*kind, attribute.value, type);
}

core::Status check_geo_attribute(const Attribute& attribute) {
  if (!is_geo_type(attribute.type) || attribute.value.is_null()) return {};
  return core::status_of(parse_geo_attribute(attribute));
}

core::Status check_entity_location(const Entity& entity) {
  int located = 0, defaults = 0;
  for (const auto& [name, attribute] : entity.attrs) {
    if (!is_geo_type(attribute.type) || attribute.value.is_null()) continue;
    ++located;
    if (is_default_location(attribute)) ++defaults;
  }
  if (located > 1 && defaults != 1)
    return core::make_error(core::ErrorCode::validation_failed,
                            "more than one geo attribute: mark exactly one with the metadata "
                            "defaultLocation = true");
  return {};
}

std::optional<GeoShape> location_of(const Entity& entity) {
  std::optional<GeoShape> only, marked;
  int located = 0, defaults = 0;
  for (const auto& [name, attribute] : entity.attrs) {
    if (!is_geo_type(attribute.type) || attribute.value.is_null()) continue;
    auto shape = parse_geo_attribute(attribute);
    if (!shape) continue;
    ++located;
    if (is_default_location(attribute)) ++defaults, marked = *shape;
    only = std::move(*shape);
  }
  if (located == 1) return only;
  if (defaults == 1) return marked;
  return std::nullopt;
}

double distance_m(GeoPoint from, const GeoShape& shape) {
  if (shape.points.empty()) return kInfinity;
  if (is_area(shape) && locate(from, ring_of(shape)) != Place::outside) return 0;
  const auto chain = chain_of(shape);
  double best = kInfinity;
  for (size_t i = 0; i + 1 < chain.size(); ++i)
    best = std::min(best, distance_to_segment(from, chain[i], chain[i + 1]));
  return best;
}

bool matches(const GeoQuery& query, const GeoShape& shape) {
  if (shape.points.empty() || query.shape.points.empty()) return false;
  switch (query.relation) {
    case GeoRelation::near: {
      const double d = distance_m(query.shape.points[0], shape);
      return (!query.max_distance_m || d <= *query.max_distance_m) &&
             (!query.min_distance_m || d >= *query.min_distance_m);
    }
    case GeoRelation::covered_by:
      return is_area(query.shape) && covered_by(shape, query.shape);
    case GeoRelation::intersects:
      return intersects(shape, query.shape);
    case GeoRelation::disjoint:
      return !intersects(shape, query.shape);
    case GeoRelation::equals:
      return equal_shapes(shape, query.shape);
  }
  return false;
}

bool matches(const GeoQuery& query, const Entity& entity) {
  const auto shape = location_of(entity);
  return shape && matches(query, *shape);
}

}  // namespace balai::city
