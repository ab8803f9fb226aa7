#include "modules/city/store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/log.h"

namespace balai::city {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, service, service_path, entity_id, entity_type, attrs_json, created_ms, "
    "modified_ms FROM city_entities ";

core::Error corrupt(std::string_view what) {
  return core::make_error(core::ErrorCode::internal,
                          "stored entity is not valid JSON: " + std::string(what));
}

core::Result<StoredEntity> read(const db::Row& r) {
  StoredEntity s;
  s.key = r.int64(0);
  s.entity.scope.service = r.text(1);
  s.entity.scope.service_path = r.text(2);
  s.entity.id = r.text(3);
  s.entity.type = r.text(4);
  auto attrs = attrs_from_json(r.text(5));
  if (!attrs) return attrs.take_error();
  s.entity.attrs = std::move(attrs).value();
  s.entity.created_ms = r.int64(6);
  s.entity.modified_ms = r.int64(7);
  return s;
}

// "service_path IN (...) OR service_path = ? OR service_path LIKE ?" for a filter.
void add_paths(const PathFilter& paths, std::string& where, db::Params& params) {
  if (paths.exact.empty() && paths.subtrees.empty()) return;
  std::string any;
  auto either = [&](const std::string& part) { any += (any.empty() ? "" : " OR ") + part; };
  for (const auto& p : paths.exact) {
    either("service_path = ?");
    params.emplace_back(p);
  }
  for (const auto& p : paths.subtrees) {
    if (p == "/") return;  // the whole tree: no condition at all
    either("service_path = ? OR service_path LIKE ?");
    params.emplace_back(p);
    params.emplace_back(p + "/%");
  }
  where += " AND (" + any + ")";
}

void add_list(std::string_view column, const std::vector<std::string>& values, std::string& where,
              db::Params& params) {
  if (values.empty()) return;
  where += " AND " + std::string(column) + " IN (";
  for (size_t i = 0; i < values.size(); ++i) {
    where += i ? ", ?" : "?";
    params.emplace_back(values[i]);
  }
  where += ")";
}

bool valid_path_level(std::string_view level) {
  if (level.empty() || level.size() > 50) return false;
  for (char c : level)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  core::log::append_json_escaped(out, text);
  out += '"';
}

void append_json_strings(std::string& out, const std::vector<std::string>& names) {
  out += '[';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, names[i]);
  }
  out += ']';
}

void append_attrs_json(std::string& out, const std::map<std::string, Attribute>& attrs) {
  // Written directly: building an object first would copy every value and metadata, and this
  // runs for every entity a write touches.
  out += '{';
  bool first = true;
  for (const auto& [name, a] : attrs) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, name);
    out += R"(:{"type":)";
    append_json_string(out, a.type);
    out += R"(,"value":)";
    out += boost::json::serialize(a.value);
    out += R"(,"metadata":)";
    out += boost::json::serialize(a.metadata);
    out += '}';
  }
  out += '}';
}

std::string attrs_to_json(const std::map<std::string, Attribute>& attrs) {
  std::string out;
  out.reserve(64 * attrs.size() + 2);
  append_attrs_json(out, attrs);
  return out;
}

core::Result<std::map<std::string, Attribute>> attrs_from_object(boost::json::object object) {
  // The object is ours: its values and metadata move into the attributes.
  std::map<std::string, Attribute> out;
  for (auto& [name, item] : object) {
    if (!item.is_object()) return corrupt(name);
    auto& o = item.as_object();
    Attribute a;
    if (auto* t = o.if_contains("type"); t && t->is_string()) a.type = t->as_string();
    if (auto* value = o.if_contains("value")) a.value = std::move(*value);
    if (auto* md = o.if_contains("metadata"); md && md->is_object())
      a.metadata = std::move(md->as_object());
    out.emplace(std::string(name), std::move(a));
  }
  return out;
}

core::Result<std::map<std::string, Attribute>> attrs_from_json(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return corrupt(text.substr(0, 40));
  return attrs_from_object(std::move(v.as_object()));
}

bool PathFilter::matches(std::string_view path) const {
  if (exact.empty() && subtrees.empty()) return true;
  for (const auto& p : exact)
    if (p == path) return true;
  for (const auto& p : subtrees) {
    if (p == "/" || p == path) return true;
    if (path.size() > p.size() && path.starts_with(p) && path[p.size()] == '/') return true;
  }
  return false;
}

std::optional<PathFilter> parse_service_paths(std::string_view header, bool for_read) {
  PathFilter f;
  if (header.empty()) {
    if (for_read)
      f.subtrees.push_back("/");
    else
      f.exact.push_back("/");
    return f;
  }
  size_t count = 0;
  size_t start = 0;
  while (start <= header.size()) {
    const size_t comma = header.find(',', start);
    std::string_view path = header.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!path.empty() && path.front() == ' ') path.remove_prefix(1);
    while (!path.empty() && path.back() == ' ') path.remove_suffix(1);
    if (++count > 10 || path.empty() || path.front() != '/') return std::nullopt;
    if (!for_read && (comma != std::string_view::npos)) return std::nullopt;  // one path to write
    bool subtree = false;
    if (path.ends_with("/#")) {
      if (!for_read) return std::nullopt;
      subtree = true;
      path.remove_suffix(2);
      if (path.empty()) path = "/";
    }
    if (path != "/") {
      std::string_view rest = path.substr(1);
      int levels = 0;
      while (true) {
        const size_t slash = rest.find('/');
        if (!valid_path_level(rest.substr(0, slash)) || ++levels > 10) return std::nullopt;
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
      }
    }
    (subtree ? f.subtrees : f.exact).emplace_back(path);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return f;
}

core::Result<std::optional<StoredEntity>> Store::find(std::string_view service,
                                                      const PathFilter& paths, std::string_view id,
                                                      std::string_view type) const {
  std::string where = "WHERE service = ? AND entity_id = ?";
  db::Params params{service, id};
  if (!type.empty()) {
    where += " AND entity_type = ?";
    params.emplace_back(type);
  }
  add_paths(paths, where, params);
  auto rows = db_.query(std::string(kColumns) + where + " ORDER BY id LIMIT 2", params);
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<StoredEntity>{};
  if (rows->size() > 1)
    return core::make_error(core::ErrorCode::conflict,
                            "More than one matching entity. Please refine your query");
  auto s = read((*rows)[0]);
  if (!s) return s.take_error();
  return std::optional<StoredEntity>(std::move(s).value());
}

core::Result<std::vector<StoredEntity>> Store::candidates(
    std::string_view service, const PathFilter& paths, const std::vector<std::string>& types,
    const std::vector<std::string>& ids) const {
  std::string where = "WHERE service = ?";
  db::Params params{service};
  add_list("entity_type", types, where, params);
  add_list("entity_id", ids, where, params);
  add_paths(paths, where, params);
  auto rows = db_.query(std::string(kColumns) + where + " ORDER BY id", params);
  if (!rows) return rows.take_error();
  std::vector<StoredEntity> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    auto s = read(r);
    if (!s) return s.take_error();
    out.push_back(std::move(s).value());
  }
  return out;
}

core::Result<std::vector<TypeSummary>> Store::types(std::string_view service,
                                                    const PathFilter& paths) const {
  auto all = candidates(service, paths, {}, {});
  if (!all) return all.take_error();
  std::map<std::string, TypeSummary> by_type;
  for (const auto& s : *all) {
    TypeSummary& t = by_type[s.entity.type];
    t.type = s.entity.type;
    ++t.count;
    for (const auto& [name, a] : s.entity.attrs) {
      auto& seen = t.attrs[name];
      if (std::find(seen.begin(), seen.end(), a.type) == seen.end()) seen.push_back(a.type);
    }
  }
  std::vector<TypeSummary> out;
  for (auto& [name, t] : by_type) out.push_back(std::move(t));
  return out;
}

core::Result<std::optional<StoredEntity>> Store::find_for_update(db::Connection& conn,
                                                                 const Scope& scope,
                                                                 std::string_view id,
                                                                 std::string_view type) const {
  std::string sql = std::string(kColumns) +
                    "WHERE service = ? AND service_path = ? AND entity_id = ? AND entity_type = ?";
  if (conn.dialect() == db::Dialect::postgresql) sql += " FOR UPDATE";
  auto rows = conn.query(sql, {scope.service, scope.service_path, id, type});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<StoredEntity>{};
  auto s = read((*rows)[0]);
  if (!s) return s.take_error();
  return std::optional<StoredEntity>(std::move(s).value());
}

core::Result<int64_t> Store::insert(db::Connection& conn, const Entity& e,
                                    std::optional<core::GeoPoint> location) const {
  auto rows = conn.query(
      "INSERT INTO city_entities (service, service_path, entity_id, entity_type, attrs_json, "
      "lat_e6, lon_e6, created_ms, modified_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {e.scope.service, e.scope.service_path, e.id, e.type, attrs_to_json(e.attrs),
       location ? db::Value(location->lat_e6) : db::Value(),
       location ? db::Value(location->lon_e6) : db::Value(), e.created_ms, e.modified_ms});
  if (!rows) return rows.take_error();
  return (*rows)[0].int64(0);
}

core::Status Store::update(db::Connection& conn, int64_t key, const Entity& e,
                           std::optional<core::GeoPoint> location) const {
  auto r = conn.query(
      "UPDATE city_entities SET attrs_json = ?, lat_e6 = ?, lon_e6 = ?, modified_ms = ? WHERE id = "
      "?",
      {attrs_to_json(e.attrs), location ? db::Value(location->lat_e6) : db::Value(),
       location ? db::Value(location->lon_e6) : db::Value(), e.modified_ms, key});
  if (!r) return r.take_error();
  return {};
}

core::Status Store::remove(db::Connection& conn, int64_t key) const {
  // Incoming rows first: on PostgreSQL a roll-up moving some of them holds them until it
  // commits, so the statements after this one see (and delete) what it moved.
  auto i = conn.query("DELETE FROM city_history_incoming WHERE entity_key = ?", {key});
  if (!i) return i.take_error();
  auto h = conn.query("DELETE FROM city_history_chunks WHERE entity_key = ?", {key});
  if (!h) return h.take_error();
  auto u = conn.query("DELETE FROM city_rollups WHERE entity_key = ?", {key});
  if (!u) return u.take_error();
  auto r = conn.query("DELETE FROM city_entities WHERE id = ?", {key});
  if (!r) return r.take_error();
  return {};
}

void HistoryBatch::add(int64_t key, std::string_view attr, int64_t observed_ms,
                       const boost::json::value& value) {
  if (rows_++ % kRowsPerInsert == 0) {
    groups_.emplace_back();
    groups_.back().reserve(kRowsPerInsert * kColumns);
  }
  db::Params& p = groups_.back();
  p.emplace_back(key);
  p.emplace_back(attr);
  p.emplace_back(observed_ms);
  if (value.is_number()) {
    p.emplace_back(value.to_number<double>());
    p.emplace_back();
  } else {
    p.emplace_back();
    p.emplace_back(boost::json::serialize(value));
  }
}

core::Status Store::append_history(db::Connection& conn, const HistoryBatch& batch) const {
  for (const auto& params : batch.groups()) {
    std::string sql =
        "INSERT INTO city_history_incoming (entity_key, attr, observed_ms, number, text) VALUES ";
    for (size_t i = 0; i < params.size() / HistoryBatch::kColumns; ++i)
      sql += i ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
    auto r = conn.query(sql, params);
    if (!r) return r.take_error();
  }
  return {};
}

}  // namespace balai::city
