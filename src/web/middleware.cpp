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

namespace {

// The FIWARE NGSI-v2 API answers in Orion's shape, {"error": name, "description": text}, also
// when the request never reached it (a bad bearer token, the firewall, a body too large): its
// clients parse that shape only.
http::Response ngsi_error(int status) {
  struct Known {
    int status;
    const char* error;
    const char* description;
  };
  static constexpr Known kKnown[] = {
      {400, "BadRequest", "bad request"},
      {401, "Unauthorized", "missing or invalid credentials"},
      {403, "Forbidden", "not allowed"},
      {404, "NotFound", "service not found"},
      {405, "MethodNotAllowed", "method not allowed"},
      {408, "RequestTimeout", "the request took too long"},
      {411, "ContentLengthRequired", "Zero/No Content-Length in PUT/POST/PATCH request"},
      {413, "RequestEntityTooLarge", "payload size too large"},
      {415, "UnsupportedMediaType", "not supported content type"},
      {429, "TooManyRequests", "too many requests"},
      {503, "ServiceUnavailable", "service unavailable"},
  };
  const char* error = "InternalServerError";
  const char* description = "internal error";
  for (const auto& k : kKnown) {
    if (k.status == status) {
      error = k.error;
      description = k.description;
    }
  }
  return http::Response::json(
      status, std::string("{\"error\":\"") + error + "\",\"description\":\"" + description + "\"}");
}

}  // namespace

http::ErrorRenderer error_renderer(const Renderer& renderer) {
  return [&renderer](const http::Request& req, int status) -> http::Response {
    if (req.path == "/v2" || req.path.starts_with("/v2/")) return ngsi_error(status);
    if (req.path.starts_with("/api/")) {
      http::Response r = http::api_error(req, http::error_for_status(status));
      r.status = status;
      return r;
    }
    return renderer.error_page(req, status);
  };
}

}  // namespace balai::web
