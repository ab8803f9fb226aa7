#include "web/middleware.h"

#include "http/json.h"

namespace balai::web {

http::Middleware language_middleware(const Renderer& renderer) {
  return [&renderer](http::Request& req, const http::Handler& next) {
    const auto query_lang = req.query_param("lang");
    req.context.lang = choose_language(query_lang.value_or(""), req.cookie("lang").value_or(""),
                                       renderer.catalogs());
    http::Response res = next(req);
    if (query_lang && renderer.catalogs().has_language(*query_lang) &&
        !req.path.starts_with("/api/")) {
      std::string cookie = "lang=" + *query_lang + "; Path=/; Max-Age=31536000; SameSite=Lax";
      if (req.secure) cookie += "; Secure";
      res.headers.add("Set-Cookie", cookie);
    }
    return res;
  };
}

http::ErrorRenderer error_renderer(const Renderer& renderer) {
  return [&renderer](const http::Request& req, int status) -> http::Response {
    if (req.path.starts_with("/api/")) {
      http::Response r = http::api_error(req, http::error_for_status(status));
      r.status = status;
      return r;
    }
    return renderer.error_page(req, status);
  };
}

}  // namespace balai::web
