#pragma once
// Method + path routing with typed path parameters:
//   router.get("/api/v1/services/{code:slug}", handler);
// Parameter types: {name} or {name:segment} any one segment; {name:int} decimal digits;
// {name:slug} [a-z0-9-]; {name:uuid}; {name:path} the rest of the path (last only).
// Routes are registered at start-up, then only read (thread-safe for lookups).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace balai::http {

using Handler = std::function<Response(Request&)>;

struct Route {
  Method method = Method::get;
  std::string pattern;  // as registered; also the metrics label
  Handler handler;
  uint64_t body_limit = 0;  // 0: the server's default
  // > 0: a 200 answer to GET is kept this many ms and served from memory on the I/O thread.
  // Only for public data that is the same for everyone who sends the same URL and language.
  int cache_ms = 0;
  // True: the handler never blocks (memory only), so it runs on the I/O thread without a hop
  // to the worker pool (static files, health, metrics).
  bool inline_io = false;
  size_t index = 0;  // position in the router (metrics slot)

  struct Segment {
    enum class Kind { literal, any, integer, slug, uuid, rest } kind = Kind::literal;
    std::string text;  // literal text or parameter name
  };
  std::vector<Segment> segments;
};

// Fluent settings on a freshly added route.
class RouteBuilder {
 public:
  explicit RouteBuilder(Route& r) : route_(r) {}
  RouteBuilder& body_limit(uint64_t bytes) {
    route_.body_limit = bytes;
    return *this;
  }
  RouteBuilder& public_cache_ms(int ms) {
    route_.cache_ms = ms;
    return *this;
  }
  RouteBuilder& inline_io() {
    route_.inline_io = true;
    return *this;
  }

 private:
  Route& route_;
};

struct Match {
  const Route* route = nullptr;  // null: no route for this method and path
  // When no route matched the method but the path exists: "GET, HEAD, POST" for Allow.
  std::string allow;
  std::map<std::string, std::string, std::less<>> params;
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers a route. Aborts on a malformed pattern or a duplicate (a start-up bug).
  RouteBuilder add(Method method, std::string_view pattern, Handler handler);
  RouteBuilder get(std::string_view p, Handler h) { return add(Method::get, p, std::move(h)); }
  RouteBuilder post(std::string_view p, Handler h) { return add(Method::post, p, std::move(h)); }
  RouteBuilder put(std::string_view p, Handler h) { return add(Method::put, p, std::move(h)); }
  RouteBuilder patch(std::string_view p, Handler h) { return add(Method::patch, p, std::move(h)); }
  RouteBuilder del(std::string_view p, Handler h) { return add(Method::del, p, std::move(h)); }

  // Finds the route for a decoded path. HEAD matches GET routes.
  Match match(Method method, std::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace balai::http
