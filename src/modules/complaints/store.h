#pragma once
// SQL of the complaints module. Writes take the caller's transaction (`db::Connection&`) so a
// change commits with its timeline entry, its audit entry and its outbox messages; reads use
// the database's readers. An Open311 reporter's contact is sealed with the field cipher, bound
// to "complaints.contact/<tracking>". Thread-safe; blocks.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "modules/complaints/model.h"
#include "security/field_cipher.h"

namespace balai::complaints {

// The contact an Open311 client gave for a person without an account.
struct Contact {
  std::string name;
  std::string email;
  std::string phone;
  bool empty() const { return name.empty() && email.empty() && phone.empty(); }
};

struct StoredPhoto {
  std::string media_type;
  std::string bytes;
  bool after = false;
};

// One page of a list and how many match in all.
struct Page {
  std::vector<Complaint> items;
  int64_t total = 0;
};

// Which reports a staff queue shows: those waiting for this agency's verification, and those
// dispositioned to it (all agencies for `all_agencies`, the supervisors' overview).
struct QueueScope {
  std::string agency;
  bool all_agencies = false;
};

// The columns statistics need, for every report created in a period.
struct StatRow {
  std::string category_code;
  Status status = Status::submitted;
  std::string agency_code;
  std::string village_code;
  core::Timestamp created_at;
  std::optional<core::Timestamp> verified_at;
  std::optional<core::Timestamp> dispositioned_at;
  std::optional<core::Timestamp> followed_up_at;
  std::optional<core::Timestamp> resolved_at;
  bool rejected = false;
  int reopened = 0;
  std::optional<int> rating;
};

class Store {
 public:
  Store(db::Database& db, const security::FieldCipher& cipher) : db_(db), cipher_(cipher) {}

  // --- Categories and routes ---
  [[nodiscard]] core::Result<std::vector<Category>> categories() const;
  [[nodiscard]] core::Status save_category(db::Connection& conn, const Category& c,
                                           core::Timestamp now) const;
  [[nodiscard]] core::Result<std::vector<Route>> routes() const;
  [[nodiscard]] core::Status save_route(db::Connection& conn, const Route& r) const;
  [[nodiscard]] core::Result<bool> delete_route(db::Connection& conn, std::string_view category,
                                                std::string_view region_prefix) const;

  // --- Reports ---
  // The next number of a year's sequence (ADU-<year>-<n>), inside the caller's transaction so
  // that numbers are never given twice (and a rolled-back report's number is given again).
  [[nodiscard]] core::Result<int64_t> next_sequence(db::Connection& conn, int year) const;
  // Inserts the report (its key is filled in).
  [[nodiscard]] core::Status insert(db::Connection& conn, Complaint& c,
                                    const Contact& contact) const;
  // Writes the state a use case changed (status, agency, dates, counts, notes).
  [[nodiscard]] core::Status update(db::Connection& conn, const Complaint& c) const;
  [[nodiscard]] core::Result<std::optional<Complaint>> find(std::string_view tracking) const;
  // Inside a write transaction (PostgreSQL: the row is locked until the transaction ends), so a
  // decision reads the state it changes.
  [[nodiscard]] core::Result<std::optional<Complaint>> find_for_update(
      db::Connection& conn, std::string_view tracking) const;
  [[nodiscard]] core::Result<std::optional<std::string>> tracking_of_token(
      std::string_view token) const;
  [[nodiscard]] core::Result<Contact> contact(const Complaint& c) const;

  // Public list (non-confidential, not merged), newest first.
  [[nodiscard]] core::Result<Page> list_public(const Filter& f) const;
  // A person's own reports, newest first.
  [[nodiscard]] core::Result<std::vector<Complaint>> of_reporter(int64_t account_key) const;
  // Staff queue: oldest deadline first.
  [[nodiscard]] core::Result<Page> queue(const QueueScope& scope, const Filter& f) const;
  // Open public reports of a category whose pin is within the box (the caller checks the
  // distance).
  [[nodiscard]] core::Result<std::vector<Complaint>> open_in_box(std::string_view category,
                                                                 core::GeoBox box) const;
  // Reports whose step deadline passed: resolved ones to close, staff steps to escalate.
  [[nodiscard]] core::Result<std::vector<std::string>> due_to_close(core::Timestamp now) const;
  [[nodiscard]] core::Result<std::vector<std::string>> due_to_escalate(core::Timestamp now) const;
  [[nodiscard]] core::Result<std::vector<StatRow>> stat_rows(core::Timestamp from,
                                                             core::Timestamp to) const;

  // --- Timeline, photos, supporters ---
  [[nodiscard]] core::Status add_event(db::Connection& conn, int64_t complaint_key,
                                       const Event& e) const;
  [[nodiscard]] core::Result<std::vector<Event>> events(int64_t complaint_key,
                                                        bool with_internal) const;
  // Returns the photo's external id.
  [[nodiscard]] core::Result<std::string> add_photo(db::Connection& conn, int64_t complaint_key,
                                                    bool after, std::string_view media_type,
                                                    std::string_view bytes,
                                                    core::Timestamp now) const;
  [[nodiscard]] core::Result<std::vector<Photo>> photos(int64_t complaint_key) const;
  [[nodiscard]] core::Result<std::optional<StoredPhoto>> photo(int64_t complaint_key,
                                                               std::string_view photo_id) const;
  // true when this account was not yet a supporter.
  [[nodiscard]] core::Result<bool> add_supporter(db::Connection& conn, int64_t complaint_key,
                                                 int64_t account_key, core::Timestamp now) const;
  [[nodiscard]] core::Result<bool> is_supporter(int64_t complaint_key, int64_t account_key) const;
  // External ids of the accounts following a report (its supporters), for notifications.
  [[nodiscard]] core::Result<std::vector<std::string>> supporters(db::Connection& conn,
                                                                  int64_t complaint_key) const;
  [[nodiscard]] core::Result<int64_t> count_supporters(db::Connection& conn,
                                                       int64_t complaint_key) const;

  // --- Answer templates ---
  [[nodiscard]] core::Result<std::vector<Template>> templates(std::string_view agency) const;
  [[nodiscard]] core::Status add_template(db::Connection& conn, const Template& t,
                                          core::Timestamp now) const;
  [[nodiscard]] core::Result<bool> delete_template(db::Connection& conn, std::string_view agency,
                                                   std::string_view id) const;

 private:
  Complaint read(const db::Row& r) const;
  db::Database& db_;
  const security::FieldCipher& cipher_;
};

}  // namespace balai::complaints
