#include "http/json.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/static_resource.hpp>
#include <cmath>
#include <iterator>

namespace balai::http {

int status_for(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::validation_failed:
      return 422;
    case ErrorCode::bad_request:
      return 400;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::unsupported_media:
      return 415;
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::unavailable:
      return 503;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

core::Error error_for_status(int status) {
  using core::ErrorCode;
  switch (status) {
    case 400:
      return core::make_error(ErrorCode::bad_request, "the request is malformed");
    case 401:
      return core::make_error(ErrorCode::unauthenticated, "sign in or present a valid token");
    case 403:
      return core::make_error(ErrorCode::forbidden, "access denied");
    case 404:
      return core::make_error(ErrorCode::not_found, "no such resource");
    case 405:
      return core::make_error(ErrorCode::bad_request, "method not allowed");
    case 408:
      return core::make_error(ErrorCode::bad_request, "the request arrived too slowly");
    case 413:
      return core::make_error(ErrorCode::payload_too_large, "the request body is too large");
    case 415:
      return core::make_error(ErrorCode::unsupported_media,
                              "the body's media type is not supported");
    case 429:
      return core::make_error(ErrorCode::rate_limited, "too many requests, try again later");
    case 431:
      return core::make_error(ErrorCode::bad_request, "the request headers are too large");
    case 503:
      return core::make_error(ErrorCode::unavailable, "the service is unavailable, try again");
    case 501:
      return core::make_error(ErrorCode::bad_request, "method not implemented");
    default:
      return core::make_error(ErrorCode::internal, "internal error");
  }
}

core::Result<boost::json::value> parse_json_body(const Request& req, const JsonLimits& limits) {
  const std::string type = req.content_type();
  if (type != "application/json" && !(type.starts_with("application/") && type.ends_with("+json")))
    return core::make_error(core::ErrorCode::unsupported_media,
                            "the body must be JSON (Content-Type: application/json)");
  if (req.body.size() > limits.max_bytes)
    return core::make_error(core::ErrorCode::payload_too_large, "the JSON body is too large");
  boost::json::parse_options opts;
  opts.max_depth = limits.max_depth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec, {}, opts);
  if (ec) return core::make_error(core::ErrorCode::bad_request, "the body is not valid JSON");
  return v;
}

namespace {

void append_json_text(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      // Boost.JSON's own form for what has no shortest decimal (infinities).
      if (std::isfinite(v.get_double()))
        fmt::format_to(std::back_inserter(out), "{}", v.get_double());
      else
        out += boost::json::serialize(v);
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, item);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(key);
        out += ':';
        append_json_text(out, item);
      }
      out += '}';
      return;
    }
    default:  // null, booleans, integers, strings: Boost.JSON's form is already the shortest
      out += boost::json::serialize(v);
      return;
  }
}

}  // namespace

std::string json_text(const boost::json::value& value) {
  std::string out;
  append_json_text(out, value);
  return out;
}

Response json_response(int status, const boost::json::value& body) {
  return Response::json(status, json_text(body));
}

Response private_json_response(int status, const boost::json::value& body) {
  Response r = json_response(status, body);
  r.headers.set("Cache-Control", "no-store");
  return r;
}

std::string api_error_body(const core::Error& error, std::string_view request_id) {
  boost::json::object e;
  e["code"] = core::to_string(error.code);
  e["message"] = error.message;
  if (!error.fields.empty()) {
    boost::json::object fields;
    for (const auto& [k, v] : error.fields) fields[k] = v;
    e["fields"] = std::move(fields);
  }
  e["request_id"] = request_id;
  boost::json::object root;
  root["error"] = std::move(e);
  return boost::json::serialize(root);
}

Response api_error(const Request& req, const core::Error& error) {
  Response r = Response::json(status_for(error.code), api_error_body(error, req.request_id));
  r.headers.set("Cache-Control", "no-store");
  return r;
}

core::Result<boost::json::object> parse_json_object(const Request& req, const JsonLimits& limits) {
  auto body = parse_json_body(req, limits);
  if (!body) return body.take_error();
  if (!body->is_object())
    return core::make_error(core::ErrorCode::bad_request, "The body must be a JSON object.");
  return std::move(body->as_object());
}

std::optional<std::string> string_member(const boost::json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

}  // namespace balai::http
