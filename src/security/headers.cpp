#include "security/headers.h"

#include <string>

namespace balai::security {
namespace {

// "https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png" -> "https://*.tiles.example.org:8443": the
// origin a CSP source list names, with Leaflet's {s} subdomain placeholder as a wildcard. ""
// for anything else, so a malformed setting can never widen the policy beyond an origin.
std::string tile_origin(std::string_view tiles) {
  std::string_view scheme;
  for (std::string_view s : {"https://", "http://"})
    if (tiles.starts_with(s)) scheme = s;
  if (scheme.empty()) return {};
  std::string_view host = tiles.substr(scheme.size());
  host = host.substr(0, host.find('/'));
  std::string out(scheme);
  if (host.starts_with("{s}.")) {
    out += "*.";
    host.remove_prefix(4);
  }
  if (host.empty()) return {};
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':';
    if (!ok) return {};
  }
  return out + std::string(host);
}

}  // namespace

http::ResponseDecorator security_headers(std::string_view map_tiles) {
  const std::string origin = tile_origin(map_tiles);
  const std::string page_policy =
      "default-src 'self'; img-src 'self' data:" + (origin.empty() ? std::string() : " " + origin) +
      "; style-src 'self'; script-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  return [page_policy](const http::Request& req, http::Response& res) {
    res.headers.set("X-Content-Type-Options", "nosniff");
    res.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
    res.headers.set("X-Frame-Options", "DENY");
    res.headers.set("Cross-Origin-Opener-Policy", "same-origin");
    res.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
    const auto type = res.headers.get("Content-Type").value_or("");
    if (type.starts_with("text/html")) {
      res.headers.set("Content-Security-Policy", page_policy);
    } else {
      res.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    if (req.secure)
      res.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!res.headers.has("Cache-Control") && type.starts_with("text/html"))
      res.headers.set("Cache-Control", "no-cache");
  };
}

}  // namespace balai::security
