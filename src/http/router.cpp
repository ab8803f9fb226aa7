#include "http/router.h"

#include <cstdio>
#include <cstdlib>

#include "core/ids.h"

namespace balai::http {
namespace {

[[noreturn]] void pattern_bug(std::string_view pattern, const char* why) {
  std::fprintf(stderr, "balai: bug: route pattern %.*s: %s\n", static_cast<int>(pattern.size()),
               pattern.data(), why);
  std::abort();
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

bool segment_matches(const Route::Segment& seg, std::string_view part) {
  using K = Route::Segment::Kind;
  switch (seg.kind) {
    case K::literal:
      return seg.text == part;
    case K::any:
      return !part.empty();
    case K::integer:
      return part.size() <= 18 && all_of(part, [](char c) { return c >= '0' && c <= '9'; });
    case K::slug:
      return part.size() <= 64 && all_of(part, [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
             });
    case K::uuid:
      return core::is_uuid(part);
    case K::rest:
      return true;
  }
  return false;
}

}  // namespace

Router::Router() = default;
Router::~Router() = default;

RouteBuilder Router::add(Method method, std::string_view pattern, Handler handler) {
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  route->index = routes_.size();
  const auto parts = split_path(pattern);
  if (parts.empty()) pattern_bug(pattern, "must start with /");
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    Route::Segment seg;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string_view inner = part.substr(1, part.size() - 2);
      const size_t colon = inner.find(':');
      seg.text = std::string(inner.substr(0, colon));
      const std::string_view type =
          colon == std::string_view::npos ? "segment" : inner.substr(colon + 1);
      using K = Route::Segment::Kind;
      if (type == "segment")
        seg.kind = K::any;
      else if (type == "int")
        seg.kind = K::integer;
      else if (type == "slug")
        seg.kind = K::slug;
      else if (type == "uuid")
        seg.kind = K::uuid;
      else if (type == "path")
        seg.kind = K::rest;
      else
        pattern_bug(pattern, "unknown parameter type");
      if (seg.kind == K::rest && i + 1 != parts.size())
        pattern_bug(pattern, "{name:path} must be last");
    } else {
      seg.kind = Route::Segment::Kind::literal;
      seg.text = std::string(part);
    }
    route->segments.push_back(std::move(seg));
  }
  for (const auto& r : routes_)
    if (r->method == method && r->pattern == route->pattern)
      pattern_bug(pattern, "registered twice");
  routes_.push_back(std::move(route));
  return RouteBuilder(*routes_.back());
}

Match Router::match(Method method, std::string_view path) const {
  Match result;
  const auto parts = split_path(path);
  const Method wanted = method == Method::head ? Method::get : method;
  bool allows_get = false;
  for (const auto& route : routes_) {
    const auto& segs = route->segments;
    const bool has_rest = !segs.empty() && segs.back().kind == Route::Segment::Kind::rest;
    if (has_rest ? parts.size() < segs.size() : parts.size() != segs.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) ok = segment_matches(segs[i], parts[i]);
    if (!ok) continue;
    if (route->method != wanted) {
      const std::string_view name = to_string(route->method);
      const bool listed =
          (", " + result.allow + ",").find(", " + std::string(name) + ",") != std::string::npos;
      if (!listed) {
        if (!result.allow.empty()) result.allow += ", ";
        result.allow += name;
      }
      if (route->method == Method::get) allows_get = true;
      continue;
    }
    result.route = route.get();
    for (size_t i = 0; i < segs.size(); ++i) {
      if (segs[i].kind == Route::Segment::Kind::literal) continue;
      if (segs[i].kind == Route::Segment::Kind::rest) {
        std::string rest;
        for (size_t k = i; k < parts.size(); ++k) {
          if (k > i) rest += '/';
          rest += parts[k];
        }
        result.params.emplace(segs[i].text, std::move(rest));
      } else {
        result.params.emplace(segs[i].text, std::string(parts[i]));
      }
    }
    result.allow.clear();
    return result;
  }
  if (allows_get) result.allow += ", HEAD";
  return result;
}

}  // namespace balai::http
