#pragma once
// JSON in and out of handlers, on Boost.JSON, and the API error body every /api/v1 route uses:
// {"error":{"code":"validation_failed","message":"...","fields":{...},"request_id":"..."}}

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/request.h"
#include "http/response.h"

namespace balai::http {

struct JsonLimits {
  size_t max_bytes = 1024 * 1024;
  size_t max_depth = 32;
};

// HTTP status of an error code (validation_failed -> 422, ...).
int status_for(core::ErrorCode code);

// The error a status stands for when the server itself answers it (404 for no route, 408, 413,
// 431, ...): its code and a plain message. The one table both error renderers use.
core::Error error_for_status(int status);

// Parses a request body as JSON. Errors: unsupported_media (415) when Content-Type is not
// application/json (or +json), payload_too_large (413), bad_request (400) for malformed JSON,
// invalid UTF-8 or nesting deeper than the limit.
[[nodiscard]] core::Result<boost::json::value> parse_json_body(const Request& req,
                                                               const JsonLimits& limits = {});

// The body as a JSON object: parse_json_body's errors, and bad_request for another JSON value.
[[nodiscard]] core::Result<boost::json::object> parse_json_object(const Request& req,
                                                                  const JsonLimits& limits = {});

// A string member of an object; nullopt when absent or not a string.
std::optional<std::string> string_member(const boost::json::object& o, std::string_view name);

// A JSON value as text, numbers in their shortest exact form ("153.2", where Boost.JSON writes
// "1.532E2"): what API responses are written with.
std::string json_text(const boost::json::value& value);

// Serializes a JSON value (json_text) as a response.
Response json_response(int status, const boost::json::value& body);
// The same for an answer about one person or one officer's work: Cache-Control: no-store, so no
// shared cache (and no browser history) keeps it.
Response private_json_response(int status, const boost::json::value& body);

// The /api/v1 error body for an error, with the request's id; never cached (no-store).
Response api_error(const Request& req, const core::Error& error);
std::string api_error_body(const core::Error& error, std::string_view request_id);

}  // namespace balai::http
