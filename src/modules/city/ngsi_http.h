#pragma once
// The HTTP side that every NGSI-v2 route shares (entities in ngsi_api.cpp, subscriptions in
// subscription_api.cpp): Orion's answers (status, error body, Fiware-Correlator, no-store),
// the tenant headers (Fiware-Service, Fiware-ServicePath) with Orion's messages, the checks a
// request body passes in Orion's order, and list pages with Fiware-Total-Count.
// Pure functions of the request; thread-safe.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "modules/city/model.h"
#include "modules/city/ngsi_json.h"
#include "modules/city/ngsi_query.h"
#include "modules/city/store.h"
#include "security/actor.h"

namespace balai::city::ngsi {

inline constexpr uint64_t kMaxPayload = 1024 * 1024;  // Orion's PAYLOAD_MAX_SIZE; larger: 413
// Write routes read bodies up to this, so that one over kMaxPayload gets NGSI's 413; a larger
// one is refused by the server itself before any route runs.
inline constexpr uint64_t kBodyLimit = 4 * kMaxPayload;
inline constexpr size_t kMaxJsonDepth = 32;

core::Error bad_request(std::string message);

// --- Answers ---

// An empty answer with Orion's headers: Cache-Control no-store and Fiware-Correlator (the
// caller's, else this request's id, so that logs on both sides meet).
http::Response reply(const http::Request& req, int status);
http::Response json_reply(const http::Request& req, int status, const boost::json::value& body);
// {"error": ..., "description": ...} with the failure's status.
http::Response fail(const http::Request& req, const Failure& failure);
http::Response fail(const http::Request& req, const core::Error& error);  // via failure_of
// The same on a head reply() made earlier: for an answer finished away from its request.
http::Response fail(http::Response head, const core::Error& error);
// 400 ParseError "Errors found in incoming JSON buffer".
http::Response parse_error(const http::Request& req);

// --- Who and where ---

struct Tenant {
  std::string service;
  PathFilter paths;  // reads: every path asked for; writes: exactly one
  // The one path of a write ("/" by default).
  Scope scope() const;
};

// Fiware-Service (letters, digits and underscore, at most 50; folded to lower case as Orion
// does; "" by default) and Fiware-ServicePath (a trailing "/" dropped; reads: up to ten paths,
// "/#" subtrees, all by default; writes: exactly one path, "/" by default). bad_request with
// Orion's description otherwise.
[[nodiscard]] core::Result<Tenant> tenant_of(const http::Request& req, bool for_read);

// --- Parameters ---

// options=... (absent: none set); bad_request for an unknown option.
[[nodiscard]] core::Result<QueryOptions> options_of(const http::Request& req);

// How entities are answered: options=keyValues / values / unique, normalized otherwise.
Form form_of(const QueryOptions& options);

// The attrs and metadata URI parameters (absent: empty lists); bad_request for a bad name.
[[nodiscard]] core::Result<Projection> projection_of(const http::Request& req);

// Whether the Accept header admits a media type ("*/*", "type/*" or the type itself); no
// header admits everything. q-values are not weighed: a listed type is accepted.
bool accepts(const http::Request& req, std::string_view media);

// "%" and the like in an id written into a URL (Location).
std::string url_segment(std::string_view text);

// --- Bodies ---

enum class Body {
  none,          // DELETE: no body is read
  json,          // a JSON object
  json_or_text,  // any JSON value, or text/plain (PUT .../attrs/{name}/value)
};

struct Write {
  const security::Actor* actor = nullptr;
  Tenant tenant;
  QueryOptions options;
  boost::json::value json;  // Body::json (and json_or_text sent as JSON)
  bool text = false;        // json_or_text sent as text/plain: req.body is the value
};

// What every write passes first, in the order Orion (behind its PEP proxy) checks it: an actor
// (401 with `unauthenticated`), the size (413), the tenant headers (400; `read_paths`: the
// service path may name subtrees, as a subscription's does), the options (400), the media
// type of a body (415), a body at all (411), well-formed JSON (400 ParseError). Nullopt when
// the request passed: `out` then holds what was read.
std::optional<http::Response> prepare_write(const http::Request& req, Body body, Write& out,
                                            std::string_view unauthenticated,
                                            bool read_paths = false);

// --- Lists ---

// The part of `total` items that a page shows: [begin, end).
struct Slice {
  size_t begin = 0;
  size_t end = 0;
};
Slice slice_of(const Page& page, size_t total);

// 200 with the items of one page; with options=count, Fiware-Total-Count says how many there
// are in all.
http::Response list_reply(const http::Request& req, boost::json::array items, bool count,
                          size_t total);

}  // namespace balai::city::ngsi
