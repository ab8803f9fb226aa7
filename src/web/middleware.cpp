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
      core::ErrorCode code = core::ErrorCode::internal;
      std::string message = "internal error";
      switch (status) {
        case 400:
          code = core::ErrorCode::bad_request;
          message = "the request is malformed";
          break;
        case 403:
          code = core::ErrorCode::forbidden;
          message = "access denied";
          break;
        case 429:
          code = core::ErrorCode::rate_limited;
          message = "too many requests, try again later";
          break;
        case 404:
          code = core::ErrorCode::not_found;
          message = "no such resource";
          break;
        case 405:
          code = core::ErrorCode::bad_request;
          message = "method not allowed";
          break;
        case 408:
          code = core::ErrorCode::bad_request;
          message = "the request arrived too slowly";
          break;
        case 413:
          code = core::ErrorCode::payload_too_large;
          message = "the request body is too large";
          break;
        case 431:
          code = core::ErrorCode::bad_request;
          message = "the request headers are too large";
          break;
        case 501:
          code = core::ErrorCode::bad_request;
          message = "method not implemented";
          break;
        default:
          break;
      }
      http::Response r = http::api_error(req, core::make_error(code, message));
      r.status = status;
      return r;
    }
    return renderer.error_page(req, status);
  };
}

}  // namespace balai::web
