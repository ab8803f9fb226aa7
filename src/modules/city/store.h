#pragma once
// SQL of the city module. Writes take the caller's transaction (`db::Connection&`) so that an
// entity's new state commits with its history rows; reads use the database's readers.
// Thread-safe; blocks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/result.h"
#include "db/database.h"
#include "modules/city/model.h"

namespace balai::city {

// NGSI-v2 normalized attributes as stored: {"name": {"type", "value", "metadata"}}.
std::string attrs_to_json(const std::map<std::string, Attribute>& attrs);
// The same appended to `out`, for documents that embed them (the change bus).
void append_attrs_json(std::string& out, const std::map<std::string, Attribute>& attrs);
// `text` as a JSON string, quotes included. The city writes its hottest documents (stored
// attributes, live events, bus messages) directly rather than through JSON objects.
void append_json_string(std::string& out, std::string_view text);
// `names` as a JSON array of strings.
void append_json_strings(std::string& out, const std::vector<std::string>& names);
[[nodiscard]] core::Result<std::map<std::string, Attribute>> attrs_from_json(std::string_view text);
[[nodiscard]] core::Result<std::map<std::string, Attribute>> attrs_from_object(
    boost::json::object object);

struct StoredEntity {
  int64_t key = 0;
  Entity entity;
};

// Which service paths a query reaches: "/a" that path alone, "/a/#" it and everything below;
// several separated by commas (Fiware-ServicePath). Empty: "/#" (everything) for reads.
struct PathFilter {
  std::vector<std::string> exact;
  std::vector<std::string> subtrees;  // without the "/#"
  bool matches(std::string_view path) const;
};

// An entity type in a scope: how many entities, and the names and types of their attributes.
struct TypeSummary {
  std::string type;
  int64_t count = 0;
  std::map<std::string, std::vector<std::string>> attrs;  // name -> attribute types seen
};

// Points of attributes' time series that one write transaction appends, collected so that they
// are inserted together: a statement per hundred points costs far less than one per point.
class HistoryBatch {
 public:
  static constexpr size_t kColumns = 5;  // entity_key, attr, observed_ms, number, text
  static constexpr size_t kRowsPerInsert = 100;

  // A numeric value is kept as a number, any other as its JSON text.
  void add(int64_t key, std::string_view attr, int64_t observed_ms,
           const boost::json::value& value);
  size_t size() const { return rows_; }
  // The parameters of each INSERT, kRowsPerInsert rows each (the last one fewer).
  const std::vector<db::Params>& groups() const { return groups_; }

 private:
  std::vector<db::Params> groups_;
  size_t rows_ = 0;
};

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // --- Reads ---
  // The entity with this id (and type, when given) in the service, within the paths. Several
  // types under one id and no type given: a conflict (Orion's TooManyResults).
  [[nodiscard]] core::Result<std::optional<StoredEntity>> find(std::string_view service,
                                                               const PathFilter& paths,
                                                               std::string_view id,
                                                               std::string_view type = {}) const;
  // Every entity of the service within the paths, of these types and ids (empty: any), in the
  // order of their keys. Queries (q, geo, patterns) filter these in memory.
  [[nodiscard]] core::Result<std::vector<StoredEntity>> candidates(
      std::string_view service, const PathFilter& paths, const std::vector<std::string>& types,
      const std::vector<std::string>& ids) const;
  [[nodiscard]] core::Result<std::vector<TypeSummary>> types(std::string_view service,
                                                             const PathFilter& paths) const;

  // --- Writes (in the caller's transaction) ---
  // The entity as it is inside the transaction (PostgreSQL: locked until commit).
  [[nodiscard]] core::Result<std::optional<StoredEntity>> find_for_update(
      db::Connection& conn, const Scope& scope, std::string_view id, std::string_view type) const;
  // Inserts the entity and returns its key. `location`: the point of its geo attribute.
  [[nodiscard]] core::Result<int64_t> insert(db::Connection& conn, const Entity& e,
                                             std::optional<core::GeoPoint> location) const;
  [[nodiscard]] core::Status update(db::Connection& conn, int64_t key, const Entity& e,
                                    std::optional<core::GeoPoint> location) const;
  [[nodiscard]] core::Status remove(db::Connection& conn, int64_t key) const;
  // The history points a transaction collected, in the order added (one INSERT per hundred).
  [[nodiscard]] core::Status append_history(db::Connection& conn, const HistoryBatch& batch) const;

 private:
  db::Database& db_;
};

// Parses a Fiware-ServicePath header value ("" -> default). Nullopt when malformed: each path
// starts with "/", has at most 10 levels of at most 50 characters [A-Za-z0-9_], and at most 10
// paths; "#" only as the last level and only for reads (`for_read`).
std::optional<PathFilter> parse_service_paths(std::string_view header, bool for_read);

}  // namespace balai::city
