#include "security/headers.h"

namespace balai::security {

http::ResponseDecorator security_headers() {
  return [](const http::Request& req, http::Response& res) {
    res.headers.set("X-Content-Type-Options", "nosniff");
    res.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
    res.headers.set("X-Frame-Options", "DENY");
    res.headers.set("Cross-Origin-Opener-Policy", "same-origin");
    res.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
    const auto type = res.headers.get("Content-Type").value_or("");
    if (type.starts_with("text/html")) {
      res.headers.set(
          "Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
          "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
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
