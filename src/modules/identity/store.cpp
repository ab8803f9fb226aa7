#include "modules/identity/store.h"

#include "core/ids.h"
#include "modules/identity/rules.h"

namespace balai::identity {
namespace {

constexpr std::string_view kCitizenColumns =
    "SELECT c.account_id, c.external_id, c.nik, c.birth_date, c.sex, c.address, c.village_code, "
    "c.phone, c.email_confirmed_at, c.phone_confirmed_at, c.assurance, c.assurance_reason, "
    "c.decided_by, c.decided_at, c.created_at, "
    "(SELECT COUNT(*) FROM ktp_photos p WHERE p.account_id = c.account_id) "
    "FROM citizens c ";

constexpr std::string_view kRequestColumns =
    "SELECT r.external_id, a.external_id, r.kind, r.details, r.status, r.created_at, r.due_at, "
    "r.outcome, r.handled_by, r.handled_at FROM data_requests r "
    "JOIN accounts a ON a.id = r.account_id ";

std::optional<core::Timestamp> opt_time(const db::Row& r, size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return r.timestamp(i);
}

db::Value opt_value(const std::optional<core::Timestamp>& t) {
  return t ? db::Value(*t) : db::Value();
}

std::string_view confirmed_column(CodePurpose p) {
  return p == CodePurpose::confirm_phone ? "phone_confirmed_at" : "email_confirmed_at";
}

}  // namespace

db::Blob Store::seal(std::string_view table, std::string_view column, std::string_view id,
                     std::string_view plain) const {
  return cipher_.encrypt(plain,
                         std::string(table) + "." + std::string(column) + "/" + std::string(id));
}

std::string Store::open(std::string_view table, std::string_view column, std::string_view id,
                        const db::Blob& sealed) const {
  auto plain = cipher_.decrypt(
      sealed, std::string(table) + "." + std::string(column) + "/" + std::string(id));
  // A field that does not open (a lost key, tampering) shows as empty rather than failing the
  // whole page; re-encryption reports such rows to the administrator.
  return plain ? std::move(plain).value() : std::string();
}

core::Status Store::insert_citizen(db::Connection& conn, int64_t account_key, std::string_view id,
                                   const CheckedRegistration& r, core::Timestamp now) const {
  auto q = conn.query(
      "INSERT INTO citizens (account_id, external_id, nik, birth_date, sex, address, "
      "village_code, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {account_key, id, seal("citizens", "nik", id, r.nik),
       seal("citizens", "birth_date", id, rules::format_date(r.birth_date)),
       seal("citizens", "sex", id, to_string(r.sex)), seal("citizens", "address", id, r.street),
       seal("citizens", "village_code", id, r.village_code), seal("citizens", "phone", id, r.phone),
       now, now});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::optional<Citizen>> Store::find_citizen(int64_t account_key) const {
  auto rows = db_.query(std::string(kCitizenColumns) + "WHERE c.account_id = ?", {account_key});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Citizen>{};
  const db::Row& r = (*rows)[0];
  Citizen c;
  c.account_key = r.int64(0);
  c.id = r.text(1);
  c.nik = open("citizens", "nik", c.id, r.blob(2));
  c.birth_date =
      rules::parse_date(open("citizens", "birth_date", c.id, r.blob(3))).value_or(core::Date{});
  c.sex = parse_sex(open("citizens", "sex", c.id, r.blob(4))).value_or(Sex::male);
  c.street = open("citizens", "address", c.id, r.blob(5));
  c.village_code = open("citizens", "village_code", c.id, r.blob(6));
  c.phone = open("citizens", "phone", c.id, r.blob(7));
  c.email_confirmed_at = opt_time(r, 8);
  c.phone_confirmed_at = opt_time(r, 9);
  c.assurance = parse_assurance(r.text(10)).value_or(Assurance::unverified);
  c.assurance_reason = r.text(11);
  c.decided_by = r.text(12);
  c.decided_at = opt_time(r, 13);
  c.created_at = r.timestamp(14);
  c.has_ktp_photo = r.int64(15) > 0;
  return std::optional<Citizen>(std::move(c));
}

core::Status Store::mark_confirmed(db::Connection& conn, int64_t account_key, CodePurpose purpose,
                                   core::Timestamp now) const {
  auto q = conn.query("UPDATE citizens SET " + std::string(confirmed_column(purpose)) +
                          " = ?, updated_at = ? WHERE account_id = ?",
                      {now, now, account_key});
  if (!q) return q.take_error();
  return {};
}

core::Status Store::update_contact(db::Connection& conn, const Citizen& c, std::string_view street,
                                   std::string_view village_code, std::string_view phone,
                                   core::Timestamp now) const {
  // A new phone number must be confirmed again.
  const bool phone_changed = phone != c.phone;
  auto q = conn.query(
      "UPDATE citizens SET address = ?, village_code = ?, phone = ?, phone_confirmed_at = ?, "
      "updated_at = ? WHERE account_id = ?",
      {seal("citizens", "address", c.id, street),
       seal("citizens", "village_code", c.id, village_code), seal("citizens", "phone", c.id, phone),
       phone_changed ? db::Value() : opt_value(c.phone_confirmed_at), now, c.account_key});
  if (!q) return q.take_error();
  return {};
}

core::Status Store::set_assurance(db::Connection& conn, int64_t account_key, Assurance assurance,
                                  std::string_view reason, std::string_view decided_by,
                                  core::Timestamp now) const {
  const bool decision = assurance == Assurance::verified || assurance == Assurance::rejected;
  auto q = conn.query(
      "UPDATE citizens SET assurance = ?, assurance_reason = ?, decided_by = ?, decided_at = ?, "
      "updated_at = ? WHERE account_id = ?",
      {to_string(assurance), reason, decided_by, decision ? db::Value(now) : db::Value(), now,
       account_key});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::vector<Store::Waiting>> Store::waiting_for_verification(int limit) const {
  auto rows = db_.query(
      "SELECT c.external_id, c.account_id, p.uploaded_at FROM citizens c "
      "JOIN ktp_photos p ON p.account_id = c.account_id "
      "WHERE c.assurance = 'pending' ORDER BY p.uploaded_at LIMIT ?",
      {int64_t{limit}});
  if (!rows) return rows.take_error();
  std::vector<Waiting> out;
  for (const auto& r : *rows) out.push_back({r.text(0), r.int64(1), r.timestamp(2)});
  return out;
}

core::Result<std::vector<int64_t>> Store::stale_registrations(core::Timestamp before) const {
  auto rows = db_.query(
      "SELECT a.id FROM accounts a JOIN citizens c ON c.account_id = a.id "
      "WHERE a.status = 'pending' AND a.created_at < ?",
      {before});
  if (!rows) return rows.take_error();
  std::vector<int64_t> out;
  for (const auto& r : *rows) out.push_back(r.int64(0));
  return out;
}

core::Status Store::delete_account(db::Connection& conn, int64_t account_key) const {
  // Children first: PostgreSQL and SQLite both cascade, but saying it keeps the order explicit.
  for (std::string_view table : {"identity_codes", "ktp_photos", "consents", "citizens"}) {
    auto q =
        conn.query("DELETE FROM " + std::string(table) + " WHERE account_id = ?", {account_key});
    if (!q) return q.take_error();
  }
  for (std::string_view sql : {"DELETE FROM sessions WHERE account_id = ?",
                               "DELETE FROM account_logins WHERE account_id = ?",
                               "DELETE FROM accounts WHERE id = ? AND status = 'pending'"}) {
    auto q = conn.query(sql, {account_key});
    if (!q) return q.take_error();
  }
  return {};
}

core::Status Store::erase_citizen(db::Connection& conn, int64_t account_key) const {
  for (std::string_view table : {"identity_codes", "ktp_photos", "consents", "citizens"}) {
    auto q =
        conn.query("DELETE FROM " + std::string(table) + " WHERE account_id = ?", {account_key});
    if (!q) return q.take_error();
  }
  // The requests stay for the public record, without what they said.
  auto q = conn.query("UPDATE data_requests SET details = ?, outcome = NULL WHERE account_id = ?",
                      {db::Blob{}, account_key});
  if (!q) return q.take_error();
  return {};
}

core::Status Store::insert_code(db::Connection& conn, int64_t account_key, CodePurpose purpose,
                                const db::Blob& digest, std::string_view target,
                                core::Timestamp expires_at, core::Timestamp now) const {
  auto voided = conn.query(
      "UPDATE identity_codes SET used_at = ? WHERE account_id = ? AND purpose = ? AND "
      "used_at IS NULL",
      {now, account_key, to_string(purpose)});
  if (!voided) return voided.take_error();
  const std::string id = core::new_uuid_v7(now);
  auto q = conn.query(
      "INSERT INTO identity_codes (external_id, account_id, purpose, digest, target, expires_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {id, account_key, to_string(purpose), digest,
       target.empty() ? db::Value() : db::Value(seal("identity_codes", "target", id, target)),
       expires_at, now});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::optional<StoredCode>> Store::live_code(int64_t account_key, CodePurpose purpose,
                                                         core::Timestamp now) const {
  auto rows = db_.query(
      "SELECT id, external_id, digest, target, attempts, expires_at FROM identity_codes "
      "WHERE account_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? "
      "ORDER BY id DESC LIMIT 1",
      {account_key, to_string(purpose), now});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<StoredCode>{};
  const db::Row& r = (*rows)[0];
  StoredCode c;
  c.key = r.int64(0);
  c.id = r.text(1);
  c.purpose = purpose;
  c.digest = r.blob(2);
  if (!r.is_null(3)) c.target = open("identity_codes", "target", c.id, r.blob(3));
  c.attempts = static_cast<int>(r.int64(4));
  c.expires_at = r.timestamp(5);
  return std::optional<StoredCode>(std::move(c));
}

core::Result<bool> Store::count_code_attempt(int64_t code_key, int max_attempts) const {
  // The last allowed wrong try also voids the code (used_at set), in the same statement.
  auto changed =
      db::execute(db_,
                  "UPDATE identity_codes SET attempts = attempts + 1, "
                  "used_at = CASE WHEN attempts + 1 >= ? THEN expires_at ELSE used_at END "
                  "WHERE id = ? AND used_at IS NULL",
                  {int64_t{max_attempts}, code_key});
  if (!changed) return changed.take_error();
  return *changed == 1;
}

core::Result<bool> Store::use_code(db::Connection& conn, int64_t code_key,
                                   core::Timestamp now) const {
  auto q = conn.query("UPDATE identity_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
                      {now, code_key});
  if (!q) return q.take_error();
  return q->affected == 1;
}

core::Result<int64_t> Store::codes_sent_since(int64_t account_key, CodePurpose purpose,
                                              core::Timestamp since) const {
  auto rows = db_.query(
      "SELECT COUNT(*) FROM identity_codes WHERE account_id = ? AND purpose = ? AND "
      "created_at >= ?",
      {account_key, to_string(purpose), since});
  if (!rows) return rows.take_error();
  return (*rows)[0].int64(0);
}

core::Status Store::put_ktp_photo(db::Connection& conn, int64_t account_key,
                                  std::string_view media_type, std::string_view bytes,
                                  core::Timestamp now) const {
  auto removed = conn.query("DELETE FROM ktp_photos WHERE account_id = ?", {account_key});
  if (!removed) return removed.take_error();
  const std::string id = core::new_uuid_v7(now);
  auto q = conn.query(
      "INSERT INTO ktp_photos (external_id, account_id, media_type, photo, uploaded_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {id, account_key, media_type, seal("ktp_photos", "photo", id, bytes), now});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::optional<KtpPhoto>> Store::ktp_photo(int64_t account_key) const {
  auto rows = db_.query(
      "SELECT external_id, media_type, photo, uploaded_at FROM ktp_photos WHERE account_id = ?",
      {account_key});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<KtpPhoto>{};
  const db::Row& r = (*rows)[0];
  return std::optional<KtpPhoto>(
      KtpPhoto{r.text(1), open("ktp_photos", "photo", r.text(0), r.blob(2)), r.timestamp(3)});
}

core::Status Store::schedule_ktp_deletion(db::Connection& conn, int64_t account_key,
                                          core::Timestamp at) const {
  auto q =
      conn.query("UPDATE ktp_photos SET delete_after = ? WHERE account_id = ?", {at, account_key});
  if (!q) return q.take_error();
  return {};
}

core::Result<int64_t> Store::delete_due_ktp_photos(core::Timestamp now) const {
  return db::execute(
      db_, "DELETE FROM ktp_photos WHERE delete_after IS NOT NULL AND delete_after <= ?", {now});
}

core::Status Store::add_consent(db::Connection& conn, int64_t account_key,
                                const ConsentChange& change) const {
  auto q = conn.query(
      "INSERT INTO consents (account_id, purpose, granted, via, at) VALUES (?, ?, ?, ?, ?)",
      {account_key, change.purpose, int64_t{change.granted ? 1 : 0}, change.via, change.at});
  if (!q) return q.take_error();
  return {};
}

core::Result<std::vector<ConsentChange>> Store::consent_history(int64_t account_key) const {
  auto rows = db_.query(
      "SELECT purpose, granted, via, at FROM consents WHERE account_id = ? ORDER BY id DESC",
      {account_key});
  if (!rows) return rows.take_error();
  std::vector<ConsentChange> out;
  for (const auto& r : *rows)
    out.push_back({r.text(0), r.int64(1) != 0, r.text(2), r.timestamp(3)});
  return out;
}

core::Status Store::insert_request(db::Connection& conn, int64_t account_key,
                                   const DataRequest& r) const {
  auto q = conn.query(
      "INSERT INTO data_requests (external_id, account_id, kind, details, status, due_at, "
      "created_at) VALUES (?, ?, ?, ?, 'open', ?, ?)",
      {r.id, account_key, to_string(r.kind), seal("data_requests", "details", r.id, r.details),
       r.due_at, r.created_at});
  if (!q) return q.take_error();
  return {};
}

DataRequest Store::read_request(const db::Row& r) const {
  DataRequest d;
  d.id = r.text(0);
  d.citizen_id = r.text(1);
  d.kind = parse_data_request_kind(r.text(2)).value_or(DataRequestKind::correction);
  if (!r.blob(3).bytes.empty()) d.details = open("data_requests", "details", d.id, r.blob(3));
  const std::string& status = r.text(4);
  d.status = status == "done"      ? DataRequestStatus::done
             : status == "refused" ? DataRequestStatus::refused
                                   : DataRequestStatus::open;
  d.created_at = r.timestamp(5);
  d.due_at = r.timestamp(6);
  if (!r.is_null(7)) d.outcome = open("data_requests", "outcome", d.id, r.blob(7));
  d.handled_by = r.text(8);
  d.handled_at = opt_time(r, 9);
  return d;
}

core::Result<std::vector<DataRequest>> Store::requests_of(int64_t account_key) const {
  auto rows = db_.query(
      std::string(kRequestColumns) + "WHERE r.account_id = ? ORDER BY r.created_at DESC, r.id DESC",
      {account_key});
  if (!rows) return rows.take_error();
  std::vector<DataRequest> out;
  for (const auto& r : *rows) out.push_back(read_request(r));
  return out;
}

core::Result<std::optional<DataRequest>> Store::find_request(std::string_view id) const {
  auto rows = db_.query(std::string(kRequestColumns) + "WHERE r.external_id = ?", {id});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<DataRequest>{};
  return std::optional<DataRequest>(read_request((*rows)[0]));
}

core::Result<std::vector<DataRequest>> Store::request_queue(int limit) const {
  auto rows = db_.query(std::string(kRequestColumns) +
                            "ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, "
                            "CASE WHEN r.status = 'open' THEN r.due_at ELSE -r.handled_at END "
                            "LIMIT ?",
                        {int64_t{limit}});
  if (!rows) return rows.take_error();
  std::vector<DataRequest> out;
  for (const auto& r : *rows) out.push_back(read_request(r));
  return out;
}

core::Result<bool> Store::close_request(db::Connection& conn, std::string_view id,
                                        DataRequestStatus status, std::string_view outcome,
                                        std::string_view handled_by, core::Timestamp now) const {
  auto q = conn.query(
      "UPDATE data_requests SET status = ?, outcome = ?, handled_by = ?, handled_at = ? "
      "WHERE external_id = ? AND status = 'open'",
      {to_string(status), seal("data_requests", "outcome", id, outcome), handled_by, now, id});
  if (!q) return q.take_error();
  return q->affected == 1;
}

core::Result<std::vector<Store::RequestMonth>> Store::request_months(core::Zone zone,
                                                                     core::Timestamp now) const {
  auto rows = db_.query("SELECT created_at, due_at, handled_at FROM data_requests ORDER BY id");
  if (!rows) return rows.take_error();
  std::vector<RequestMonth> out;
  for (const auto& r : *rows) {
    const std::string month = core::format_year_month(r.timestamp(0), zone);
    if (out.empty() || out.back().month != month) out.push_back({month, 0, 0, 0});
    RequestMonth& m = out.back();
    ++m.made;
    const auto handled = opt_time(r, 2);
    if (handled && handled->ms <= r.int64(1))
      ++m.handled_in_time;
    else if (handled || now.ms > r.int64(1))
      ++m.late_or_overdue;
  }
  return out;
}

}  // namespace balai::identity
