#pragma once
// NGSI-v2 (FIWARE Orion) list queries, as pure functions: the Simple Query Language (`q` over
// attribute values, `mq` over metadata), `attrs` / `metadata` name lists, `orderBy`, `options`,
// `limit` / `offset`, `id` / `type` lists and `idPattern` / `typePattern`, and the whole
// GET /v2/entities parameter set with its cross-checks. Everything is parsed once, with a
// bad_request error whose message says what is wrong (the NGSI API answers it as
// {"error":"BadRequest","description":message}); matching then runs against city::Entity.
//
// Untrusted input is bounded: q and mq at most 4,096 characters and 64 statements, lists at most
// 100 items, patterns at most 256 characters and run in linear time (see TextPattern). All
// functions are thread-safe; parsed queries are immutable values, cheap to copy.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/geo.h"
#include "core/result.h"
#include "core/time.h"
#include "modules/city/model.h"
#include "modules/city/ngsi_geo.h"

namespace balai::city {

inline constexpr size_t kQueryMaxLength = 4'096;  // characters of q or mq
inline constexpr size_t kQueryMaxStatements = 64;
inline constexpr size_t kQueryMaxPathDepth = 16;  // attr.sub.sub...
inline constexpr size_t kQueryMaxListItems = 100;
inline constexpr size_t kFieldMaxLength = 256;  // NGSI-v2 field syntax restriction
inline constexpr size_t kPatternMaxLength = 256;
// A longer text never matches a pattern: the cost of a match grows with the text.
inline constexpr size_t kPatternMaxSubject = 4'096;
inline constexpr int64_t kDefaultLimit = 20;
inline constexpr int64_t kMaxLimit = 1'000;

// --- Patterns (q's ~=, idPattern, typePattern) ---

// A client's regular expression (ECMAScript syntax), compiled under limits that keep both its
// compilation and its matching cheap: at most kPatternMaxLength characters, no back-references,
// counted repetitions that expand to a bounded automaton, and matching in time linear in the
// text (no catastrophic backtracking). Copies share the compiled automaton, which is immutable.
class TextPattern {
 public:
  // bad_request naming the problem for an empty, too long, too complex or malformed pattern.
  [[nodiscard]] static core::Result<TextPattern> compile(std::string_view source);

  // Whether some part of `text` matches (like Orion and MongoDB: anchor with ^ and $ for the
  // whole). False for a text longer than kPatternMaxSubject.
  bool search(std::string_view text) const;
  const std::string& source() const { return source_; }

 private:
  struct Compiled;
  TextPattern(std::string source, std::shared_ptr<const Compiled> compiled);
  std::string source_;
  std::shared_ptr<const Compiled> compiled_;  // shared by copies; never changes
};

// --- Simple Query Language ---

enum class QueryOperator {
  exists,         // attr
  not_exists,     // !attr
  equal,          // == (or :) a value, a list (any) or a range (inclusive)
  unequal,        // != a value, a list (none) or a range (outside); the target must exist
  less,           // <
  less_equal,     // <=
  greater,        // >
  greater_equal,  // >=
  match,          // ~= a pattern; text targets only
};

// An ISO 8601 date on the right-hand side ("2026-05-01", "2026-05-01T07:00:00+07:00"; UTC
// when no offset is given, as Orion reads it). It compares with DateTime attributes (and
// metadata, and dateCreated / dateModified) by instant.
struct QueryDate {
  core::Timestamp at;
  bool operator==(const QueryDate&) const = default;
};

// A right-hand-side literal as NGSI-v2 types it: 'quoted' is always text; otherwise a number, a
// date, true/false, null, or else text. A number matches numbers only and text matches strings
// only ("20" and 20 are different values).
using QueryValue = std::variant<std::nullptr_t, bool, double, QueryDate, std::string>;

// a..b, both ends included; both numbers, both dates or both text (compared byte-wise).
struct QueryRange {
  QueryValue from;
  QueryValue to;
  bool operator==(const QueryRange&) const = default;
};

using QueryOperand =
    std::variant<std::monostate, QueryValue, std::vector<QueryValue>, QueryRange, TextPattern>;

struct QueryStatement {
  // q: the attribute, then keys into its structured value. mq: the attribute, the metadata,
  // then keys into the metadata's value. Quoted segments ('a.b') are stored without quotes.
  std::vector<std::string> path;
  QueryOperator op = QueryOperator::exists;
  QueryOperand operand;  // monostate for exists / not_exists
  std::string text;      // the statement as written, for messages and logs
};

struct SimpleQuery {
  bool metadata = false;                   // an mq query
  std::vector<QueryStatement> statements;  // all must hold (AND)
};

// Parses q: statements separated by ';' (outside quotes; one trailing ';' is allowed).
// bad_request "invalid query: <problem> in '<statement>'" for malformed input, e.g.
// "invalid query: empty right-hand side in 'temperature>'".
[[nodiscard]] core::Result<SimpleQuery> parse_simple_query(std::string_view q);
// The same for mq, where each path is attribute.metadata[.key...]; messages start "invalid
// metadata query: ".
[[nodiscard]] core::Result<SimpleQuery> parse_metadata_query(std::string_view mq);

// Whether the entity satisfies every statement. `id` and `type` are not attributes; the builtin
// attributes dateCreated and dateModified are (from created_ms / modified_ms).
bool matches(const SimpleQuery& query, const Entity& entity);

// --- Names, order, options, paging ---

// NGSI-v2's field syntax (entity id and type, attribute and metadata names and types): 1 to 256
// printable ASCII characters other than whitespace, & ? / #, and Orion's forbidden characters
// < > " ' = ; ( ).
bool is_valid_field(std::string_view name);

// A comma-separated list (attrs, metadata, id, type): every item a valid field (attrs and
// metadata may use "*" for every user attribute), duplicates dropped, order kept, at most
// kQueryMaxListItems. `param` names the URI parameter in messages ("attrs").
[[nodiscard]] core::Result<std::vector<std::string>> parse_name_list(std::string_view text,
                                                                     std::string_view param);

// One orderBy criterion: an attribute name, "id", "type", "dateCreated", "dateModified" or
// "geo:distance" (needs a near query); "!" before it reverses the order.
struct OrderKey {
  std::string field;
  bool descending = false;
  bool operator==(const OrderKey&) const = default;
};
[[nodiscard]] core::Result<std::vector<OrderKey>> parse_order_by(std::string_view text);

// Whether `a` comes before `b` (a strict weak ordering for std::sort): criterion by criterion;
// values of different JSON kinds order as MongoDB does (missing and null first, then numbers,
// text, objects, arrays, booleans; a DateTime attribute by instant), "!" reverses a criterion.
// Ties fall back to creation time, then id, then type, so pages are stable. `near` is the
// reference point of geo:distance (entities without a location last); ignored without it.
bool comes_before(std::span<const OrderKey> order, const Entity& a, const Entity& b,
                  std::optional<core::GeoPoint> near = std::nullopt);

// options=count,keyValues,values,unique,append,upsert (a set; anything else is rejected).
struct QueryOptions {
  bool count = false;
  bool key_values = false;
  bool values = false;
  bool unique = false;
  bool append = false;
  bool upsert = false;
  bool operator==(const QueryOptions&) const = default;
};
[[nodiscard]] core::Result<QueryOptions> parse_options(std::string_view text);

struct Page {
  int64_t limit = kDefaultLimit;
  int64_t offset = 0;
  bool operator==(const Page&) const = default;
};
// limit: 1..1000 (default 20); offset: 0 or more (default 0); decimal digits only. Orion's
// messages: "Bad pagination limit: /0/ [a value of ZERO is unacceptable]", "Bad pagination
// limit: /x/ [must be a decimal number]", "Bad pagination limit: /1001/ [max: 1000]", "Bad
// pagination offset: /-1/ [must be a decimal number]". Nullopt: the parameter was absent.
[[nodiscard]] core::Result<Page> parse_page(std::optional<std::string_view> limit,
                                            std::optional<std::string_view> offset);

// --- GET /v2/entities as a whole ---

struct EntityListQuery {
  std::vector<std::string> ids;    // any of (empty: all)
  std::vector<std::string> types;  // any of (empty: all)
  std::optional<TextPattern> id_pattern;
  std::optional<TextPattern> type_pattern;
  std::optional<SimpleQuery> q;
  std::optional<SimpleQuery> mq;
  std::optional<GeoQuery> geo;
  std::vector<std::string> attrs;     // empty: every user attribute
  std::vector<std::string> metadata;  // empty: every user metadata
  std::vector<OrderKey> order_by;
  QueryOptions options;
  Page page;
};

// URI parameter name -> decoded value (the first occurrence).
using QueryParams = std::map<std::string, std::string, std::less<>>;

// Parses every parameter GET /v2/entities knows (others are ignored, as Orion does) and checks
// them together: a present parameter must not be empty; id excludes idPattern and type excludes
// typePattern; georel, geometry and coords come together; orderBy=geo:distance needs georel=near.
[[nodiscard]] core::Result<EntityListQuery> parse_entity_list_query(const QueryParams& params);

// Whether the entity passes every filter (ids or id pattern, types or type pattern, q, mq, geo).
// Order, paging and projection (attrs, metadata, options) are the caller's.
bool matches(const EntityListQuery& query, const Entity& entity);

// comes_before with the query's orderBy and, for geo:distance, its near point.
bool comes_before(const EntityListQuery& query, const Entity& a, const Entity& b);

}  // namespace balai::city
