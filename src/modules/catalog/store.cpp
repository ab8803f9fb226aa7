#include "modules/catalog/store.h"

#include <boost/json.hpp>

namespace balai::catalog {
namespace {

constexpr std::string_view kSelectService =
    "SELECT s.code, a.code, a.name_id, a.name_en, s.category, s.icon, s.name_id, s.name_en, "
    "s.summary_id, s.summary_en, s.description_id, s.description_en, s.requirements_json, "
    "s.privacy_id, s.privacy_en, s.cost_rupiah, s.processing_days, s.legal_basis, s.online, "
    "s.position, s.personal_data_json, s.privacy_purpose_id, s.privacy_purpose_en, "
    "s.privacy_recipients_id, s.privacy_recipients_en, s.privacy_retention_id, "
    "s.privacy_retention_en, s.start_path FROM services s JOIN agencies a ON a.id = s.agency_id";

// A JSON list of {"id": ..., "en": ...}; entries that are not objects are skipped, and text
// that is not a JSON list reads as an empty list (a hand-edited row never breaks a page).
std::vector<LocalizedText> parse_localized_list(std::string_view json) {
  std::vector<LocalizedText> out;
  boost::system::error_code ec;
  const auto list = boost::json::parse(json, ec);
  if (ec || !list.is_array()) return out;
  for (const auto& item : list.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    LocalizedText t;
    if (auto* id = o.if_contains("id"); id && id->is_string()) t.id = id->as_string();
    if (auto* en = o.if_contains("en"); en && en->is_string()) t.en = en->as_string();
    out.push_back(std::move(t));
  }
  return out;
}

std::string localized_list_json(const std::vector<LocalizedText>& list) {
  boost::json::array a;
  for (const auto& t : list) a.push_back(boost::json::object{{"id", t.id}, {"en", t.en}});
  return boost::json::serialize(a);
}

Service read_service(const db::Row& r) {
  Service s;
  s.code = r.text(0);
  s.agency_code = r.text(1);
  s.agency_name = {r.text(2), r.text(3)};
  parse_category(r.text(4), s.category);
  s.icon = r.text(5);
  s.name = {r.text(6), r.text(7)};
  s.summary = {r.text(8), r.text(9)};
  s.description = {r.text(10), r.text(11)};
  s.requirements = parse_localized_list(r.text(12));
  s.privacy = {r.text(13), r.text(14)};
  s.cost_rupiah = r.int64(15);
  s.processing_days = static_cast<int>(r.int64(16));
  s.legal_basis = r.text(17);
  s.online = r.int64(18) != 0;
  s.position = static_cast<int>(r.int64(19));
  s.privacy_notice.data_items = parse_localized_list(r.text(20));
  s.privacy_notice.purpose = {r.text(21), r.text(22)};
  s.privacy_notice.recipients = {r.text(23), r.text(24)};
  s.privacy_notice.retention = {r.text(25), r.text(26)};
  s.start_path = r.text(27);
  return s;
}

}  // namespace

core::Result<std::vector<Service>> Store::list_services() const {
  auto rows = db_.query(std::string(kSelectService) + " ORDER BY s.position, s.code");
  if (!rows) return rows.take_error();
  std::vector<Service> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(read_service(r));
  return out;
}

core::Result<std::optional<Service>> Store::find_service(std::string_view code) const {
  auto rows = db_.query(std::string(kSelectService) + " WHERE s.code = ?", {code});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Service>{};
  return std::optional<Service>{read_service((*rows)[0])};
}

core::Result<std::vector<Agency>> Store::list_agencies() const {
  auto rows = db_.query("SELECT code, name_id, name_en FROM agencies ORDER BY code");
  if (!rows) return rows.take_error();
  std::vector<Agency> out;
  for (const auto& r : *rows) out.push_back({r.text(0), {r.text(1), r.text(2)}});
  return out;
}

core::Status Store::upsert_agency(const Agency& a, core::Timestamp now) {
  return db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query(
        "INSERT INTO agencies (code, name_id, name_en, created_at, updated_at) VALUES (?, ?, ?, ?, "
        "?) "
        "ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en, "
        "updated_at = excluded.updated_at",
        {a.code, a.name.id, a.name.en, now, now});
    if (!r) return r.take_error();
    return {};
  });
}

core::Status Store::upsert_service(const Service& s, core::Timestamp now) {
  return db_.transact([&](db::Connection& c) -> core::Status {
    auto agency = c.query("SELECT id FROM agencies WHERE code = ?", {s.agency_code});
    if (!agency) return agency.take_error();
    if (agency->empty()) {
      core::Error e{core::ErrorCode::validation_failed, "the agency does not exist", {}};
      e.fields["agency_code"] = "no such agency";
      return e;
    }
    auto r = c.query(
        "INSERT INTO services (code, agency_id, category, icon, name_id, name_en, summary_id, "
        "summary_en, description_id, description_en, requirements_json, privacy_id, privacy_en, "
        "cost_rupiah, processing_days, legal_basis, online, position, personal_data_json, "
        "privacy_purpose_id, privacy_purpose_en, privacy_recipients_id, privacy_recipients_en, "
        "privacy_retention_id, privacy_retention_en, start_path, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?) "
        "ON CONFLICT (code) DO UPDATE SET agency_id = excluded.agency_id, "
        "category = excluded.category, icon = excluded.icon, name_id = excluded.name_id, "
        "name_en = excluded.name_en, summary_id = excluded.summary_id, "
        "summary_en = excluded.summary_en, description_id = excluded.description_id, "
        "description_en = excluded.description_en, requirements_json = excluded.requirements_json, "
        "privacy_id = excluded.privacy_id, privacy_en = excluded.privacy_en, "
        "cost_rupiah = excluded.cost_rupiah, processing_days = excluded.processing_days, "
        "legal_basis = excluded.legal_basis, online = excluded.online, "
        "position = excluded.position, personal_data_json = excluded.personal_data_json, "
        "privacy_purpose_id = excluded.privacy_purpose_id, "
        "privacy_purpose_en = excluded.privacy_purpose_en, "
        "privacy_recipients_id = excluded.privacy_recipients_id, "
        "privacy_recipients_en = excluded.privacy_recipients_en, "
        "privacy_retention_id = excluded.privacy_retention_id, "
        "privacy_retention_en = excluded.privacy_retention_en, start_path = excluded.start_path, "
        "updated_at = excluded.updated_at",
        {s.code,
         (*agency)[0].int64(0),
         to_string(s.category),
         s.icon,
         s.name.id,
         s.name.en,
         s.summary.id,
         s.summary.en,
         s.description.id,
         s.description.en,
         localized_list_json(s.requirements),
         s.privacy.id,
         s.privacy.en,
         s.cost_rupiah,
         s.processing_days,
         s.legal_basis,
         s.online,
         s.position,
         localized_list_json(s.privacy_notice.data_items),
         s.privacy_notice.purpose.id,
         s.privacy_notice.purpose.en,
         s.privacy_notice.recipients.id,
         s.privacy_notice.recipients.en,
         s.privacy_notice.retention.id,
         s.privacy_notice.retention.en,
         s.start_path,
         now,
         now});
    if (!r) return r.take_error();
    return {};
  });
}

}  // namespace balai::catalog
