#include "modules/complaints/store.h"

#include <boost/json.hpp>

#include "core/ids.h"

namespace balai::complaints {
namespace {

constexpr std::string_view kColumns =
    "SELECT c.id, c.tracking, c.kind, c.category_code, c.title, c.description, c.lat_e6, "
    "c.lon_e6, c.address, c.village_code, c.anonymous, c.confidential, c.channel, c.source, "
    "c.status, c.verifier_agency, c.agency_code, c.assignee, c.rejection_reason, c.supporters, "
    "c.reopened, c.rating, c.rating_comment, c.merged_into, c.status_note, c.reporter_id, "
    "c.open311_token, c.media_url, c.attributes_json, c.created_at, c.updated_at, "
    "c.verified_at, c.dispositioned_at, c.followed_up_at, c.resolved_at, c.closed_at, c.due_at, "
    "c.escalated_at FROM complaints c ";

std::optional<core::Timestamp> opt_time(const db::Row& r, size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return r.timestamp(i);
}

db::Blob to_blob(std::string_view bytes) {
  return db::Blob{std::vector<uint8_t>(bytes.begin(), bytes.end())};
}

std::string attributes_json(const std::vector<Attribute>& attributes) {
  boost::json::array out;
  for (const auto& a : attributes) {
    boost::json::array values;
    for (const auto& v : a.values) values.push_back({{"key", v.key}, {"name", v.name}});
    out.push_back({{"code", a.code},
                   {"type", to_string(a.type)},
                   {"required", a.required},
                   {"description", a.description},
                   {"order", a.order},
                   {"values", std::move(values)}});
  }
  return boost::json::serialize(out);
}

std::vector<Attribute> parse_attributes(const std::string& text) {
  std::vector<Attribute> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    Attribute a;
    a.code = boost::json::value_to<std::string>(o.at("code"));
    a.type = parse_attribute_type(boost::json::value_to<std::string>(o.at("type")))
                 .value_or(AttributeType::string);
    a.required = o.at("required").as_bool();
    a.description = boost::json::value_to<std::string>(o.at("description"));
    a.order = static_cast<int>(o.at("order").to_number<int64_t>());
    for (const auto& x : o.at("values").as_array())
      a.values.push_back({boost::json::value_to<std::string>(x.at("key")),
                          boost::json::value_to<std::string>(x.at("name"))});
    out.push_back(std::move(a));
  }
  return out;
}

std::string answers_json(const std::vector<std::pair<std::string, std::string>>& answers) {
  boost::json::array out;
  for (const auto& [k, v] : answers) out.push_back(boost::json::array{k, v});
  return boost::json::serialize(out);
}

std::vector<std::pair<std::string, std::string>> parse_answers(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array())
    if (item.is_array() && item.as_array().size() == 2)
      out.emplace_back(boost::json::value_to<std::string>(item.as_array()[0]),
                       boost::json::value_to<std::string>(item.as_array()[1]));
  return out;
}

// The WHERE clause (after "WHERE ") and parameters of a filter.
void add_filter(const Filter& f, std::string& where, db::Params& params) {
  if (!f.category.empty()) {
    where += " AND c.category_code = ?";
    params.emplace_back(f.category);
  }
  if (f.status) {
    where += " AND c.status = ?";
    params.emplace_back(to_string(*f.status));
  }
  if (f.open) {
    where += *f.open ? " AND c.status NOT IN ('rejected', 'closed')"
                     : " AND c.status IN ('rejected', 'closed')";
  }
  if (!f.region_prefix.empty()) {
    where += " AND (c.village_code = ? OR c.village_code LIKE ?)";
    params.emplace_back(f.region_prefix);
    params.emplace_back(f.region_prefix + ".%");
  }
  if (f.from) {
    where += " AND c.created_at >= ?";
    params.emplace_back(*f.from);
  }
  if (f.to) {
    where += " AND c.created_at < ?";
    params.emplace_back(*f.to);
  }
  if (!f.tracking.empty()) {
    where += " AND c.tracking IN (";
    for (size_t i = 0; i < f.tracking.size(); ++i) {
      where += i ? ", ?" : "?";
      params.emplace_back(f.tracking[i]);
    }
    where += ")";
  }
  if (!f.assignee.empty()) {
    where += " AND c.assignee = ?";
    params.emplace_back(f.assignee);
  }
}

}  // namespace

Complaint Store::read(const db::Row& r) const {
  Complaint c;
  c.key = r.int64(0);
  c.tracking = r.text(1);
  c.kind = parse_kind(r.text(2)).value_or(Kind::complaint);
  c.category_code = r.text(3);
  c.title = r.text(4);
  c.description = r.text(5);
  if (!r.is_null(6) && !r.is_null(7)) c.location = core::GeoPoint{r.int64(6), r.int64(7)};
  c.address = r.text(8);
  c.village_code = r.text(9);
  c.anonymous = r.int64(10) != 0;
  c.confidential = r.int64(11) != 0;
  c.channel = parse_channel(r.text(12)).value_or(Channel::none);
  c.source = r.text(13);
  c.status = parse_status(r.text(14)).value_or(Status::submitted);
  c.verifier_agency = r.text(15);
  c.agency_code = r.text(16);
  c.assignee = r.text(17);
  c.rejection_reason = parse_rejection_reason(r.text(18));
  c.supporters = r.int64(19);
  c.reopened = static_cast<int>(r.int64(20));
  if (!r.is_null(21)) c.rating = static_cast<int>(r.int64(21));
  c.rating_comment = r.text(22);
  c.merged_into = r.text(23);
  c.status_note = r.text(24);
  c.reporter_key = r.is_null(25) ? 0 : r.int64(25);
  c.open311_token = r.is_null(26) ? "" : r.text(26);
  c.media_url = r.text(27);
  c.attributes = parse_answers(r.text(28));
  c.created_at = r.timestamp(29);
  c.updated_at = r.timestamp(30);
  c.verified_at = opt_time(r, 31);
  c.dispositioned_at = opt_time(r, 32);
  c.followed_up_at = opt_time(r, 33);
  c.resolved_at = opt_time(r, 34);
  c.closed_at = opt_time(r, 35);
  c.due_at = opt_time(r, 36);
  c.escalated_at = opt_time(r, 37);
  return c;
}

core::Result<std::vector<Category>> Store::categories() const {
  auto rows = db_.query(
      "SELECT code, name_id, name_en, description_id, description_en, agency_code, physical, "
      "nearby_radius_m, attributes_json, position, updated_at FROM complaint_categories "
      "ORDER BY position, code");
  if (!rows) return rows.take_error();
  std::vector<Category> out;
  for (const auto& r : *rows) {
    Category c;
    c.code = r.text(0);
    c.name_id = r.text(1);
    c.name_en = r.text(2);
    c.description_id = r.text(3);
    c.description_en = r.text(4);
    c.agency_code = r.text(5);
    c.physical = r.int64(6) != 0;
    c.nearby_radius_m = static_cast<int>(r.int64(7));
    c.attributes = parse_attributes(r.text(8));
    c.position = static_cast<int>(r.int64(9));
    c.updated_at = r.timestamp(10);
    out.push_back(std::move(c));
  }
  return out;
}

core::Status Store::save_category(db::Connection& conn, const Category& c,
                                  core::Timestamp now) const {
  auto q = conn.query(
      "INSERT INTO complaint_categories (code, name_id, name_en, description_id, description_en, "
      "agency_code, physical, nearby_radius_m, attributes_json, position, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
      "name_id = excluded.name_id, name_en = excluded.name_en, "
      "description_id = excluded.description_id, description_en = excluded.description_en, "
      "agency_code = excluded.agency_code, physical = excluded.physical, "
      "nearby_radius_m = excluded.nearby_radius_m, attributes_json = excluded.attributes_json, "
      "position = excluded.position, updated_at = excluded.updated_at",
      {c.code, c.name_id, c.name_en, c.description_id, c.description_en, c.agency_code, c.physical,
       c.nearby_radius_m, attributes_json(c.attributes), c.position, now, now});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::vector<Route>> Store::routes() const {
  auto rows = db_.query(
      "SELECT category_code, region_prefix, agency_code FROM complaint_routes "
      "ORDER BY category_code, region_prefix");
  if (!rows) return rows.take_error();
  std::vector<Route> out;
  for (const auto& r : *rows) out.push_back({r.text(0), r.text(1), r.text(2)});
  return out;
}

core::Status Store::save_route(db::Connection& conn, const Route& r) const {
  auto q = conn.query(
      "INSERT INTO complaint_routes (category_code, region_prefix, agency_code) VALUES (?, ?, ?) "
      "ON CONFLICT (category_code, region_prefix) DO UPDATE SET agency_code = excluded.agency_code",
      {r.category_code, r.region_prefix, r.agency_code});
  if (!q) return q.take_error();
  return {};
}

core::Result<bool> Store::delete_route(db::Connection& conn, std::string_view category,
                                       std::string_view region_prefix) const {
  auto q = conn.query("DELETE FROM complaint_routes WHERE category_code = ? AND region_prefix = ?",
                      {category, region_prefix});
  if (!q) return q.take_error();
  return q->affected > 0;
}

core::Result<int64_t> Store::next_sequence(db::Connection& conn, int year) const {
  auto ins = conn.query(
      "INSERT INTO complaint_counters (year, last_sequence) VALUES (?, 0) "
      "ON CONFLICT (year) DO NOTHING",
      {year});
  if (!ins) return ins.take_error();
  auto q = conn.query(
      "UPDATE complaint_counters SET last_sequence = last_sequence + 1 WHERE year = ? "
      "RETURNING last_sequence",
      {year});
  if (!q) return q.take_error();
  if (q->empty()) return core::make_error(core::ErrorCode::internal, "no counter row");
  return (*q)[0].int64(0);
}

core::Status Store::insert(db::Connection& conn, Complaint& c, const Contact& contact) const {
  db::Value sealed;
  if (!contact.empty()) {
    boost::json::object o{
        {"name", contact.name}, {"email", contact.email}, {"phone", contact.phone}};
    sealed = cipher_.encrypt(boost::json::serialize(o), "complaints.contact/" + c.tracking);
  }
  auto q = conn.query(
      "INSERT INTO complaints (tracking, kind, category_code, title, description, lat_e6, "
      "lon_e6, address, village_code, anonymous, confidential, channel, source, status, "
      "verifier_agency, agency_code, reporter_id, contact, open311_token, media_url, "
      "attributes_json, created_at, updated_at, due_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {c.tracking,
       to_string(c.kind),
       c.category_code,
       c.title,
       c.description,
       c.location ? db::Value(c.location->lat_e6) : db::Value(),
       c.location ? db::Value(c.location->lon_e6) : db::Value(),
       c.address,
       c.village_code,
       c.anonymous,
       c.confidential,
       to_string(c.channel),
       c.source,
       to_string(c.status),
       c.verifier_agency,
       c.agency_code,
       c.reporter_key ? db::Value(c.reporter_key) : db::Value(),
       sealed,
       c.open311_token.empty() ? db::Value() : db::Value(c.open311_token),
       c.media_url,
       answers_json(c.attributes),
       c.created_at,
       c.updated_at,
       c.due_at});
  if (!q) return q.take_error();
  c.key = (*q)[0].int64(0);
  return {};
}

core::Status Store::update(db::Connection& conn, const Complaint& c) const {
  auto q = conn.query(
      "UPDATE complaints SET status = ?, verifier_agency = ?, agency_code = ?, assignee = ?, "
      "rejection_reason = ?, supporters = ?, reopened = ?, rating = ?, rating_comment = ?, "
      "merged_into = ?, status_note = ?, village_code = ?, updated_at = ?, verified_at = ?, "
      "dispositioned_at = ?, followed_up_at = ?, resolved_at = ?, closed_at = ?, due_at = ?, "
      "escalated_at = ? WHERE id = ?",
      {to_string(c.status),
       c.verifier_agency,
       c.agency_code,
       c.assignee,
       c.rejection_reason ? to_string(*c.rejection_reason) : std::string_view(),
       c.supporters,
       c.reopened,
       c.rating,
       c.rating_comment,
       c.merged_into,
       c.status_note,
       c.village_code,
       c.updated_at,
       c.verified_at,
       c.dispositioned_at,
       c.followed_up_at,
       c.resolved_at,
       c.closed_at,
       c.due_at,
       c.escalated_at,
       c.key});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::optional<Complaint>> Store::find(std::string_view tracking) const {
  auto rows = db_.query(std::string(kColumns) + "WHERE c.tracking = ?", {tracking});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Complaint>{};
  return std::optional<Complaint>(read((*rows)[0]));
}

core::Result<std::optional<Complaint>> Store::find_for_update(db::Connection& conn,
                                                              std::string_view tracking) const {
  std::string sql = std::string(kColumns) + "WHERE c.tracking = ?";
  if (conn.dialect() == db::Dialect::postgresql) sql += " FOR UPDATE";
  auto rows = conn.query(sql, {tracking});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Complaint>{};
  return std::optional<Complaint>(read((*rows)[0]));
}

core::Result<std::optional<std::string>> Store::tracking_of_token(std::string_view token) const {
  auto rows = db_.query("SELECT tracking FROM complaints WHERE open311_token = ?", {token});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional<std::string>((*rows)[0].text(0));
}

core::Result<Contact> Store::contact(const Complaint& c) const {
  auto rows = db_.query("SELECT contact FROM complaints WHERE id = ?", {c.key});
  if (!rows) return rows.take_error();
  Contact out;
  if (rows->empty() || (*rows)[0].is_null(0)) return out;
  auto plain = cipher_.decrypt((*rows)[0].blob(0), "complaints.contact/" + c.tracking);
  if (!plain) return out;  // a field that does not open shows as empty (see re-encryption)
  boost::system::error_code ec;
  auto v = boost::json::parse(*plain, ec);
  if (ec || !v.is_object()) return out;
  const auto& o = v.as_object();
  out.name = boost::json::value_to<std::string>(o.at("name"));
  out.email = boost::json::value_to<std::string>(o.at("email"));
  out.phone = boost::json::value_to<std::string>(o.at("phone"));
  return out;
}

core::Result<Page> Store::list_public(const Filter& f) const {
  // Not confidential, not merged into another, not rejected as spam.
  std::string where =
      "WHERE c.confidential = 0 AND c.merged_into = '' AND c.rejection_reason <> 'spam'";
  db::Params params;
  add_filter(f, where, params);
  auto count = db_.query("SELECT COUNT(*) FROM complaints c " + where, params);
  if (!count) return count.take_error();
  params.emplace_back(f.page_size);
  params.emplace_back(static_cast<int64_t>(f.page - 1) * f.page_size);
  auto rows = db_.query(std::string(kColumns) + where +
                            " ORDER BY c.created_at DESC, c.id DESC "
                            "LIMIT ? OFFSET ?",
                        params);
  if (!rows) return rows.take_error();
  Page page;
  page.total = (*count)[0].int64(0);
  for (const auto& r : *rows) page.items.push_back(read(r));
  return page;
}

core::Result<std::vector<Complaint>> Store::of_reporter(int64_t account_key) const {
  auto rows = db_.query(std::string(kColumns) +
                            "WHERE c.reporter_id = ? ORDER BY c.created_at DESC, c.id DESC "
                            "LIMIT 500",
                        {account_key});
  if (!rows) return rows.take_error();
  std::vector<Complaint> out;
  for (const auto& r : *rows) out.push_back(read(r));
  return out;
}

core::Result<Page> Store::queue(const QueueScope& scope, const Filter& f) const {
  std::string where;
  db::Params params;
  if (scope.all_agencies) {
    where = "WHERE c.status NOT IN ('rejected', 'closed')";
  } else {
    where =
        "WHERE ((c.verifier_agency = ? AND c.status = 'submitted') OR (c.agency_code = ? AND "
        "c.status IN ('dispositioned', 'in_progress', 'resolved')))";
    params = {scope.agency, scope.agency};
  }
  add_filter(f, where, params);
  if (f.overdue_only) where += " AND c.escalated_at IS NOT NULL";
  auto count = db_.query("SELECT COUNT(*) FROM complaints c " + where, params);
  if (!count) return count.take_error();
  params.emplace_back(f.page_size);
  params.emplace_back(static_cast<int64_t>(f.page - 1) * f.page_size);
  auto rows = db_.query(
      std::string(kColumns) + where + " ORDER BY c.due_at IS NULL, c.due_at, c.id LIMIT ? OFFSET ?",
      params);
  if (!rows) return rows.take_error();
  Page page;
  page.total = (*count)[0].int64(0);
  for (const auto& r : *rows) page.items.push_back(read(r));
  return page;
}

core::Result<std::vector<Complaint>> Store::open_in_box(std::string_view category,
                                                        core::GeoBox box) const {
  auto rows = db_.query(
      std::string(kColumns) +
          "WHERE c.category_code = ? AND c.status IN ('submitted', 'dispositioned', "
          "'in_progress') AND c.lat_e6 BETWEEN ? AND ? AND c.lon_e6 BETWEEN ? AND ? "
          "AND c.confidential = 0 AND c.merged_into = '' ORDER BY c.created_at DESC LIMIT 50",
      {category, box.south_west.lat_e6, box.north_east.lat_e6, box.south_west.lon_e6,
       box.north_east.lon_e6});
  if (!rows) return rows.take_error();
  std::vector<Complaint> out;
  for (const auto& r : *rows) out.push_back(read(r));
  return out;
}

core::Result<std::vector<std::string>> Store::due_to_close(core::Timestamp now) const {
  auto rows = db_.query(
      "SELECT tracking FROM complaints WHERE status = 'resolved' AND due_at < ? LIMIT 500", {now});
  if (!rows) return rows.take_error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.text(0));
  return out;
}

core::Result<std::vector<std::string>> Store::due_to_escalate(core::Timestamp now) const {
  auto rows = db_.query(
      "SELECT tracking FROM complaints WHERE status IN ('submitted', 'dispositioned', "
      "'in_progress') AND due_at < ? AND escalated_at IS NULL LIMIT 500",
      {now});
  if (!rows) return rows.take_error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.text(0));
  return out;
}

core::Result<std::vector<StatRow>> Store::stat_rows(core::Timestamp from,
                                                    core::Timestamp to) const {
  auto rows = db_.query(
      "SELECT category_code, status, agency_code, village_code, created_at, verified_at, "
      "dispositioned_at, followed_up_at, resolved_at, rejection_reason, reopened, rating "
      "FROM complaints WHERE created_at >= ? AND created_at < ? AND merged_into = ''",
      {from, to});
  if (!rows) return rows.take_error();
  std::vector<StatRow> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    StatRow s;
    s.category_code = r.text(0);
    s.status = parse_status(r.text(1)).value_or(Status::submitted);
    s.agency_code = r.text(2);
    s.village_code = r.text(3);
    s.created_at = r.timestamp(4);
    s.verified_at = opt_time(r, 5);
    s.dispositioned_at = opt_time(r, 6);
    s.followed_up_at = opt_time(r, 7);
    s.resolved_at = opt_time(r, 8);
    s.rejected = !r.text(9).empty();
    s.reopened = static_cast<int>(r.int64(10));
    if (!r.is_null(11)) s.rating = static_cast<int>(r.int64(11));
    out.push_back(std::move(s));
  }
  return out;
}

core::Status Store::add_event(db::Connection& conn, int64_t complaint_key, const Event& e) const {
  auto q = conn.query(
      "INSERT INTO complaint_events (complaint_id, at, kind, actor_role, actor_id, agency_code, "
      "is_public, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {complaint_key, e.at, to_string(e.kind), e.actor_role, e.actor_id, e.agency_code,
       is_public(e.kind), e.body});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::vector<Event>> Store::events(int64_t complaint_key, bool with_internal) const {
  auto rows = db_.query(
      std::string("SELECT kind, at, actor_role, actor_id, agency_code, body FROM complaint_events "
                  "WHERE complaint_id = ?") +
          (with_internal ? "" : " AND is_public = 1") + " ORDER BY id",
      {complaint_key});
  if (!rows) return rows.take_error();
  std::vector<Event> out;
  for (const auto& r : *rows)
    out.push_back({parse_event_kind(r.text(0)).value_or(EventKind::comment), r.timestamp(1),
                   r.text(2), r.text(3), r.text(4), r.text(5)});
  return out;
}

core::Result<std::string> Store::add_photo(db::Connection& conn, int64_t complaint_key, bool after,
                                           std::string_view media_type, std::string_view bytes,
                                           core::Timestamp now) const {
  std::string id = core::new_uuid_v7(now);
  auto q = conn.query(
      "INSERT INTO complaint_photos (external_id, complaint_id, is_after, media_type, bytes, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {id, complaint_key, after, media_type, to_blob(bytes), now});
  if (!q) return q.take_error();
  return id;
}

core::Result<std::vector<Photo>> Store::photos(int64_t complaint_key) const {
  auto rows = db_.query(
      "SELECT external_id, media_type, is_after, created_at FROM complaint_photos "
      "WHERE complaint_id = ? ORDER BY id",
      {complaint_key});
  if (!rows) return rows.take_error();
  std::vector<Photo> out;
  for (const auto& r : *rows)
    out.push_back({r.text(0), r.text(1), r.int64(2) != 0, r.timestamp(3)});
  return out;
}

core::Result<std::optional<StoredPhoto>> Store::photo(int64_t complaint_key,
                                                      std::string_view photo_id) const {
  auto rows = db_.query(
      "SELECT media_type, bytes, is_after FROM complaint_photos WHERE complaint_id = ? AND "
      "external_id = ?",
      {complaint_key, photo_id});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<StoredPhoto>{};
  const auto& r = (*rows)[0];
  const auto& b = r.blob(1).bytes;
  return std::optional<StoredPhoto>(
      StoredPhoto{r.text(0), std::string(b.begin(), b.end()), r.int64(2) != 0});
}

core::Result<bool> Store::add_supporter(db::Connection& conn, int64_t complaint_key,
                                        int64_t account_key, core::Timestamp now) const {
  auto q = conn.query(
      "INSERT INTO complaint_supporters (complaint_id, account_id, at) VALUES (?, ?, ?) "
      "ON CONFLICT (complaint_id, account_id) DO NOTHING",
      {complaint_key, account_key, now});
  if (!q) return q.take_error();
  return q->affected > 0;
}

core::Result<bool> Store::is_supporter(int64_t complaint_key, int64_t account_key) const {
  auto rows =
      db_.query("SELECT 1 FROM complaint_supporters WHERE complaint_id = ? AND account_id = ?",
                {complaint_key, account_key});
  if (!rows) return rows.take_error();
  return !rows->empty();
}

core::Result<std::vector<std::string>> Store::supporters(db::Connection& conn,
                                                         int64_t complaint_key) const {
  auto rows = conn.query(
      "SELECT a.external_id FROM complaint_supporters s JOIN accounts a ON a.id = s.account_id "
      "WHERE s.complaint_id = ?",
      {complaint_key});
  if (!rows) return rows.take_error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.text(0));
  return out;
}

core::Result<int64_t> Store::count_supporters(db::Connection& conn, int64_t complaint_key) const {
  auto rows = conn.query("SELECT COUNT(*) FROM complaint_supporters WHERE complaint_id = ?",
                         {complaint_key});
  if (!rows) return rows.take_error();
  return (*rows)[0].int64(0);
}

core::Result<std::vector<Template>> Store::templates(std::string_view agency) const {
  auto rows = db_.query(
      "SELECT external_id, agency_code, title, body FROM complaint_templates "
      "WHERE agency_code = ? ORDER BY title",
      {agency});
  if (!rows) return rows.take_error();
  std::vector<Template> out;
  for (const auto& r : *rows) out.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
  return out;
}

core::Status Store::add_template(db::Connection& conn, const Template& t,
                                 core::Timestamp now) const {
  auto q = conn.query(
      "INSERT INTO complaint_templates (external_id, agency_code, title, body, created_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {t.id, t.agency_code, t.title, t.body, now});
  if (!q) return q.take_error();
  return {};
}

core::Result<bool> Store::delete_template(db::Connection& conn, std::string_view agency,
                                          std::string_view id) const {
  auto q = conn.query("DELETE FROM complaint_templates WHERE agency_code = ? AND external_id = ?",
                      {agency, id});
  if (!q) return q.take_error();
  return q->affected > 0;
}

}  // namespace balai::complaints
