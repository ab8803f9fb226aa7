#include "modules/city/ngsi_http.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <vector>

#include "core/text.h"

namespace balai::city::ngsi {

core::Error bad_request(std::string message) {
  return core::make_error(core::ErrorCode::bad_request, std::move(message));
}

// --- Answers ---

http::Response reply(const http::Request& req, int status) {
  http::Response res;
  res.status = status;
  res.headers.set("Cache-Control", "no-store");
  const auto correlator = req.headers.get("Fiware-Correlator");
  res.headers.set("Fiware-Correlator", correlator ? *correlator : std::string_view(req.request_id));
  return res;
}

http::Response json_reply(const http::Request& req, int status, const boost::json::value& body) {
  http::Response res = reply(req, status);
  res.headers.set("Content-Type", "application/json");
  res.body = boost::json::serialize(body);
  return res;
}

namespace {

http::Response with_failure(http::Response res, const Failure& f) {
  res.status = f.status;
  res.headers.set("Content-Type", "application/json");
  res.body = error_body(f);
  return res;
}

}  // namespace

http::Response fail(const http::Request& req, const Failure& f) {
  return with_failure(reply(req, f.status), f);
}

http::Response fail(const http::Request& req, const core::Error& e) {
  return fail(req, failure_of(e));
}

http::Response fail(http::Response head, const core::Error& e) {
  return with_failure(std::move(head), failure_of(e));
}

http::Response parse_error(const http::Request& req) {
  return fail(req, Failure{400, "ParseError", "Errors found in incoming JSON buffer"});
}

// --- Who and where ---

Scope Tenant::scope() const {
  return Scope{service, paths.exact.empty() ? std::string("/") : paths.exact.front()};
}

namespace {

// Why a Fiware-ServicePath header was refused, in Orion's words.
std::string service_path_problem(std::string_view header, bool for_read) {
  std::vector<std::string_view> paths;
  for (size_t start = 0;;) {
    const size_t comma = header.find(',', start);
    paths.push_back(core::trim(header.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (paths.size() > 10)
    return "too many service paths - a maximum of ten service paths is allowed";
  if (!for_read && paths.size() > 1) return "more than one service path in context update request";
  for (std::string_view p : paths) {
    if (!p.starts_with('/'))
      return "Only /absolute/ Service Paths allowed [a service path must begin with /]";
    if (!for_read && p.ends_with('#'))
      return "a service path with a wildcard (#) is only allowed in queries";
    int levels = 0;
    for (size_t start = 1; start <= p.size();) {
      const size_t slash = std::min(p.find('/', start), p.size());
      const std::string_view level = p.substr(start, slash - start);
      if (++levels > 10) return "too many components in ServicePath";
      if (level.size() > 50) return "component-name too long in ServicePath";
      if (level.empty() && p != "/") return "empty component in ServicePath";
      start = slash + 1;
    }
  }
  return "a component of ServicePath contains an illegal character";
}

}  // namespace

core::Result<Tenant> tenant_of(const http::Request& req, bool for_read) {
  Tenant t;
  if (auto header = req.headers.get("Fiware-Service")) {
    const std::string_view name = core::trim(*header);
    if (name.size() > 50)
      return bad_request("bad length - a tenant name can be max 50 characters long");
    for (char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
        return bad_request(
            "bad character in tenant name - only underscore and alphanumeric characters are "
            "allowed");
    t.service = core::ascii_lower(name);
  }
  // Orion drops a trailing slash ("/a/" is "/a") before checking a path.
  std::string header;
  if (auto h = req.headers.get("Fiware-ServicePath")) {
    for (size_t start = 0;;) {
      const size_t comma = h->find(',', start);
      std::string_view p = core::trim(h->substr(start, comma - start));
      while (p.size() > 1 && p.ends_with('/')) p.remove_suffix(1);
      if (start) header += ',';
      header += p;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  auto paths = parse_service_paths(header, for_read);
  if (!paths) return bad_request(service_path_problem(header, for_read));
  t.paths = std::move(*paths);
  return t;
}

// --- Parameters ---

core::Result<QueryOptions> options_of(const http::Request& req) {
  auto text = req.query_param("options");
  if (!text) return QueryOptions{};
  return parse_options(*text);
}

Form form_of(const QueryOptions& o) {
  if (o.key_values) return Form::key_values;
  if (o.values) return Form::values;
  if (o.unique) return Form::unique;
  return Form::normalized;
}

core::Result<Projection> projection_of(const http::Request& req) {
  Projection p;
  for (auto [name, target] : {std::pair{"attrs", &p.attrs}, std::pair{"metadata", &p.metadata}}) {
    if (auto text = req.query_param(name)) {
      auto list = parse_name_list(*text, name);
      if (!list) return list.take_error();
      *target = std::move(*list);
    }
  }
  return p;
}

bool accepts(const http::Request& req, std::string_view media) {
  auto accept = req.headers.get("Accept");
  if (!accept || core::trim(*accept).empty()) return true;
  const std::string_view major = media.substr(0, media.find('/'));
  for (size_t start = 0;;) {
    const size_t comma = accept->find(',', start);
    std::string_view item = accept->substr(start, comma - start);
    item = core::trim(item.substr(0, item.find(';')));
    const std::string lower = core::ascii_lower(item);
    if (lower == "*/*" || lower == media || lower == std::string(major) + "/*") return true;
    if (comma == std::string_view::npos) return false;
    start = comma + 1;
  }
}

std::string url_segment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) ||
        std::string_view("-._~:@!$*+,").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// --- Bodies ---

std::optional<http::Response> prepare_write(const http::Request& req, Body body, Write& out,
                                            std::string_view unauthenticated, bool read_paths) {
  out.actor = security::current_actor(req);
  if (!out.actor) return fail(req, Failure{401, "Unauthorized", std::string(unauthenticated)});
  if (req.body.size() > kMaxPayload)
    return fail(req, Failure{413, "RequestEntityTooLarge",
                             "payload size: " + std::to_string(req.body.size()) +
                                 ", max size supported: " + std::to_string(kMaxPayload)});
  auto tenant = tenant_of(req, read_paths);
  if (!tenant) return fail(req, tenant.error());
  out.tenant = std::move(*tenant);
  auto options = options_of(req);
  if (!options) return fail(req, options.error());
  out.options = *options;
  if (body == Body::none) return std::nullopt;
  if (!req.body.empty()) {
    const std::string type = req.content_type();
    if (type.empty())
      return fail(req, Failure{415, "UnsupportedMediaType",
                               "Content-Type header not used, default application/octet-stream "
                               "is not supported"});
    out.text = body == Body::json_or_text && type == "text/plain";
    if (type != "application/json" && !out.text)
      return fail(req, Failure{415, "UnsupportedMediaType", "not supported content type: " + type});
  }
  if (req.body.empty())
    return fail(req, Failure{411, "ContentLengthRequired",
                             "Zero/No Content-Length in PUT/POST/PATCH request"});
  if (out.text) return std::nullopt;
  auto json = parse_document(req.body, kMaxJsonDepth);
  if (!json) return parse_error(req);
  // Every body but a value is an object (Orion: a ParseError otherwise).
  if (body == Body::json && !json->is_object()) return parse_error(req);
  out.json = std::move(*json);
  return std::nullopt;
}

// --- Lists ---

Slice slice_of(const Page& page, size_t total) {
  const auto begin = std::min<size_t>(static_cast<size_t>(page.offset), total);
  const auto end = std::min<size_t>(begin + static_cast<size_t>(page.limit), total);
  return Slice{begin, end};
}

http::Response list_reply(const http::Request& req, boost::json::array items, bool count,
                          size_t total) {
  http::Response res = json_reply(req, 200, items);
  if (count) res.headers.set("Fiware-Total-Count", std::to_string(total));
  return res;
}

}  // namespace balai::city::ngsi
