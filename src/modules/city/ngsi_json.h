#pragma once
// NGSI-v2 JSON (FIWARE Orion's API, https://fiware.github.io/specifications/ngsiv2/stable/) as
// pure functions: entities and attributes rendered in the three forms the API answers in
// (normalized, keyValues, values / unique), request bodies parsed into city::Attribute with the
// specification's default types, the text/plain attribute value, and the error body
// {"error":"BadRequest","description":"..."} with the status and name Orion gives each failure.
// No I/O; thread-safe. The routes (ngsi_api.cpp) only glue these to ContextService.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "modules/city/model.h"

namespace balai::city::ngsi {

// --- Rendering ---

// How entities are answered (options=keyValues / values / unique; normalized otherwise).
enum class Form { normalized, key_values, values, unique };

// What of an entity is rendered (the attrs and metadata URI parameters, already parsed).
struct Projection {
  // Empty: every user attribute. Otherwise these, in this order: a user attribute, "*" (every
  // user attribute not named otherwise), or a builtin ("dateCreated", "dateModified").
  std::vector<std::string> attrs;
  // Empty or "*": every metadata of each attribute; otherwise only these.
  std::vector<std::string> metadata;
};

// The attribute as {"type", "value", "metadata"} with the metadata the projection keeps.
boost::json::object attribute_json(const Attribute& attribute,
                                   const std::vector<std::string>& metadata = {});

// The entity in a form: normalized and keyValues give an object with "id" and "type" first
// (without them when `with_id` is false: GET .../attrs), values and unique an array of the
// attribute values in the projection's order (unique: a value equal to an earlier one left out).
boost::json::value entity_json(const Entity& entity, Form form, const Projection& projection = {},
                               bool with_id = true);

// "2026-05-01T00:00:00.000Z": how NGSI-v2 renders a DateTime (builtins, normalised values).
std::string format_date_time(int64_t unix_ms);

// An attribute value as GET .../attrs/{name}/value answers it in text/plain: JSON text (a
// string in quotes, as Orion does).
std::string value_text(const boost::json::value& value);

// --- Parsing ---

// The specification's attribute (and metadata) type for a value given without one: Number,
// Text, Boolean, None (null) or StructuredValue (object, array).
std::string default_type(const boost::json::value& value);

// A request body as JSON; nullopt when it is not well-formed JSON (Orion's ParseError) or nests
// deeper than `max_depth`.
std::optional<boost::json::value> parse_document(std::string_view body, size_t max_depth = 32);

// One attribute of a request. Normalized: an object with optional "type", "value" (absent means
// null) and "metadata" (name -> {"type", "value"}); keyValues (`key_values`): the value itself.
// A missing type is the default_type of the value; a DateTime (or ISO8601) value must be an ISO
// 8601 date and is stored normalised to UTC ("...Z"). bad_request with Orion's description for
// a bad name, type or metadata ("Invalid characters in attribute name", "attribute must be a
// JSON object, unless keyValues option is used", "date has invalid format", ...).
[[nodiscard]] core::Result<Attribute> parse_attribute(std::string_view name,
                                                      const boost::json::value& json,
                                                      bool key_values);

// An entity of a request (POST /v2/entities, the items of POST /v2/op/update). `id_required`:
// "id" must be present (it may be absent only where the URL names the entity). A missing type
// stays empty (the service's "Thing" on creation). bad_request for a bad body.
struct ParsedEntity {
  std::string id;
  std::string type;
  std::map<std::string, Attribute> attrs;
};
[[nodiscard]] core::Result<ParsedEntity> parse_entity(const boost::json::value& json,
                                                      bool key_values, bool id_required = true);

// The attributes of POST/PATCH/PUT /v2/entities/{id}/attrs: an object without "id" and "type"
// ("entity id specified in payload"); empty is a bad request ("empty payload").
[[nodiscard]] core::Result<std::map<std::string, Attribute>> parse_attributes(
    const boost::json::value& json, bool key_values);

// POST /v2/op/update: {"actionType": ..., "entities": [entity, ...]}. bad_request with Orion's
// descriptions for a missing or unknown field, an unknown action type ("invalid update action
// type: ..."), an empty entities vector, or a bad entity (id is required in each).
enum class ActionType { append, append_strict, update, remove, replace };
struct UpdateBatch {
  ActionType action = ActionType::append;
  std::vector<ParsedEntity> entities;
};
[[nodiscard]] core::Result<UpdateBatch> parse_update_batch(const boost::json::value& json,
                                                           bool key_values);

// POST /v2/op/query: {"entities": [{"id" | "idPattern", "type" | "typePattern"}, ...], "attrs":
// [...], "metadata": [...], "expression": {"q", "mq", "georel", "geometry", "coords"}}, every
// field optional. The texts are kept as written (the URI parameters' parsers check them);
// bad_request for wrong JSON types, unknown fields, or an item with both id and idPattern (or
// neither), or both type and typePattern.
struct EntitySelector {
  std::string id;
  std::string id_pattern;
  std::string type;
  std::string type_pattern;
};
struct QueryBatch {
  std::vector<EntitySelector> entities;  // empty: every entity
  std::vector<std::string> attrs;
  std::vector<std::string> metadata;
  std::map<std::string, std::string> expression;  // "q", "mq", "georel", "geometry", "coords"
};
[[nodiscard]] core::Result<QueryBatch> parse_query_batch(const boost::json::value& json);

// The body of PUT .../attrs/{name}/value in text/plain: "quoted" is a string (without the
// quotes), true / false, null, otherwise a number; bad_request when it is none of these.
[[nodiscard]] core::Result<boost::json::value> parse_text_value(std::string_view text);

// Whether a name may name an entity, a type, an attribute or metadata (NGSI-v2's field syntax
// plus Orion's forbidden characters): 1..256 printable ASCII characters without whitespace,
// & ? / # < > " ' = ; ( ).
bool is_valid_name(std::string_view name);

// --- Errors ---

// An answer's failure as NGSI-v2 reports it.
struct Failure {
  int status = 500;
  std::string error;  // Orion's name: "BadRequest", "NotFound", "Unprocessable", ...
  std::string description;
};

// The failure for an error of the service or of the parsers, as Orion answers the same case:
// bad_request 400 BadRequest; not_found 404 NotFound; conflict 422 Unprocessable for "Already
// Exists", else 409 TooManyResults; validation_failed 400 BadRequest for invalid characters,
// 413 NoResourcesAvailable for an ambiguous location, else 422 Unprocessable (the description
// names the attribute); unauthenticated 401 Unauthorized; forbidden 403 Forbidden;
// payload_too_large 413 RequestEntityTooLarge; unsupported_media 415 UnsupportedMediaType;
// rate_limited 429 TooManyRequests; unavailable 503 ServiceUnavailable; internal 500
// InternalServerError (with a fixed description: internals never leave the server).
Failure failure_of(const core::Error& error);

// {"error": ..., "description": ...}
std::string error_body(const Failure& failure);

}  // namespace balai::city::ngsi
