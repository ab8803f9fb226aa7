#pragma once
// One HTTP request as handlers see it: decoded, limited and validated by the server before a
// handler runs. No Beast or Asio types here (they stay in src/http/*.cpp).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/headers.h"

namespace balai::http {

enum class Method { get, head, post, put, patch, del, options, other };
std::string_view to_string(Method m);
Method parse_method(std::string_view text);

struct Route;

// Per-request facts that middleware adds for handlers (who is signed in, which language).
// The security layer extends it; handlers read it.
struct RequestContext {
  std::string lang = "id";  // "id" or "en"
  // Opaque slot for the security layer's view of the caller (the actor); null when anonymous.
  std::shared_ptr<const void> actor;
  // The synchronizer token that forms in this response must carry (field "_csrf"); set by the
  // security layer's authentication middleware.
  std::string csrf_token;
};

struct Request {
  Method method = Method::get;
  std::string target;  // as received: path and query, percent-encoded
  std::string path;    // percent-decoded, valid UTF-8, no NUL
  std::string query;   // raw query string without '?'
  Headers headers;
  std::string body;
  std::string remote_address;  // peer address (the firewall later resolves proxies)
  std::string request_id;
  bool secure = false;                                     // arrived over TLS
  std::map<std::string, std::string, std::less<>> params;  // typed path parameters, decoded
  const Route* route = nullptr;  // the matched route, null when none matched
  RequestContext context;

  // Path parameter by name; empty when absent.
  std::string_view param(std::string_view name) const;
  // First value of a query parameter, percent-decoded ('+' is a space). Nullopt when absent
  // or when the query string is malformed.
  std::optional<std::string> query_param(std::string_view name) const;
  // Value of a cookie, nullopt when absent.
  std::optional<std::string> cookie(std::string_view name) const;
  // Media type of the body without parameters, lower-case ("application/json").
  std::string content_type() const;
};

}  // namespace balai::http
