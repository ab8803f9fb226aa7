#pragma once
// SQL of the identity module (citizens, one-time codes, KTP photos, consents, data requests).
// Personal fields are sealed with the field cipher, bound to "<table>.<column>/<external_id>".
// Writes take the caller's transaction (`db::Connection&`) so that a change commits with its
// audit entry and its outbox messages; reads use the database's readers. Thread-safe; blocks.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "modules/identity/model.h"
#include "security/field_cipher.h"

namespace balai::identity {

// A one-time code as stored (the code itself is never stored, only its digest).
struct StoredCode {
  int64_t key = 0;
  std::string id;
  CodePurpose purpose = CodePurpose::confirm_email;
  db::Blob digest;
  std::string target;  // decrypted (the new email of change_email), "" otherwise
  int attempts = 0;
  core::Timestamp expires_at;
};

struct KtpPhoto {
  std::string media_type;
  std::string bytes;  // decrypted
  core::Timestamp uploaded_at;
};

// Counts for the public transparency page (no personal data).
struct MonthCount {
  std::string month;  // "2026-11" in the city's zone
  std::string key;    // an agency code, a kind, ...
  int64_t count = 0;
};

class Store {
 public:
  Store(db::Database& db, const security::FieldCipher& cipher) : db_(db), cipher_(cipher) {}

  // Citizens. The account (name, email) is the security layer's; this is the profile.
  [[nodiscard]] core::Status insert_citizen(db::Connection& conn, int64_t account_key,
                                            std::string_view account_id,
                                            const CheckedRegistration& r,
                                            core::Timestamp now) const;
  // The profile of an account (without name and email: the caller joins the account).
  [[nodiscard]] core::Result<std::optional<Citizen>> find_citizen(int64_t account_key) const;
  [[nodiscard]] core::Status mark_confirmed(db::Connection& conn, int64_t account_key,
                                            CodePurpose purpose, core::Timestamp now) const;
  [[nodiscard]] core::Status update_contact(db::Connection& conn, const Citizen& citizen,
                                            std::string_view street, std::string_view village_code,
                                            std::string_view phone, core::Timestamp now) const;
  [[nodiscard]] core::Status set_assurance(db::Connection& conn, int64_t account_key,
                                           Assurance assurance, std::string_view reason,
                                           std::string_view decided_by, core::Timestamp now) const;
  // Citizens waiting for verification, oldest first (external ids and when they uploaded).
  struct Waiting {
    std::string id;
    int64_t account_key = 0;
    core::Timestamp uploaded_at;
  };
  [[nodiscard]] core::Result<std::vector<Waiting>> waiting_for_verification(int limit) const;
  // Registrations still pending whose codes were never confirmed and are older than `before`.
  [[nodiscard]] core::Result<std::vector<int64_t>> stale_registrations(
      core::Timestamp before) const;
  [[nodiscard]] core::Status delete_account(db::Connection& conn, int64_t account_key) const;
  // Deletes the profile, codes, photo and consents of an account (erasure on request).
  [[nodiscard]] core::Status erase_citizen(db::Connection& conn, int64_t account_key) const;

  // One-time codes: a new code for a purpose voids the earlier ones of that purpose.
  [[nodiscard]] core::Status insert_code(db::Connection& conn, int64_t account_key,
                                         CodePurpose purpose, const db::Blob& digest,
                                         std::string_view target, core::Timestamp expires_at,
                                         core::Timestamp now) const;
  [[nodiscard]] core::Result<std::optional<StoredCode>> live_code(int64_t account_key,
                                                                  CodePurpose purpose,
                                                                  core::Timestamp now) const;
  // Counts a wrong try; returns false when the code was already used up by another request.
  [[nodiscard]] core::Result<bool> count_code_attempt(int64_t code_key, int max_attempts) const;
  // Uses a code once: true when this call used it (the database decides, so two concurrent
  // requests cannot both succeed).
  [[nodiscard]] core::Result<bool> use_code(db::Connection& conn, int64_t code_key,
                                            core::Timestamp now) const;
  // How many codes of a purpose were sent to an account since `since` (resend budget).
  [[nodiscard]] core::Result<int64_t> codes_sent_since(int64_t account_key, CodePurpose purpose,
                                                       core::Timestamp since) const;

  // KTP photos.
  [[nodiscard]] core::Status put_ktp_photo(db::Connection& conn, int64_t account_key,
                                           std::string_view media_type, std::string_view bytes,
                                           core::Timestamp now) const;
  [[nodiscard]] core::Result<std::optional<KtpPhoto>> ktp_photo(int64_t account_key) const;
  [[nodiscard]] core::Status schedule_ktp_deletion(db::Connection& conn, int64_t account_key,
                                                   core::Timestamp at) const;
  // Deletes photos whose time has come; returns how many.
  [[nodiscard]] core::Result<int64_t> delete_due_ktp_photos(core::Timestamp now) const;

  // Consents: append a change; the history newest first.
  [[nodiscard]] core::Status add_consent(db::Connection& conn, int64_t account_key,
                                         const ConsentChange& change) const;
  [[nodiscard]] core::Result<std::vector<ConsentChange>> consent_history(int64_t account_key) const;

  // Data requests.
  [[nodiscard]] core::Status insert_request(db::Connection& conn, int64_t account_key,
                                            const DataRequest& request) const;
  [[nodiscard]] core::Result<std::vector<DataRequest>> requests_of(int64_t account_key) const;
  [[nodiscard]] core::Result<std::optional<DataRequest>> find_request(std::string_view id) const;
  // For officers: open requests first by due time, then recently handled ones.
  [[nodiscard]] core::Result<std::vector<DataRequest>> request_queue(int limit) const;
  // Records the outcome once: false when the request was no longer open.
  [[nodiscard]] core::Result<bool> close_request(db::Connection& conn, std::string_view id,
                                                 DataRequestStatus status, std::string_view outcome,
                                                 std::string_view handled_by,
                                                 core::Timestamp now) const;

  // Transparency: requests per month with how many were handled in time.
  struct RequestMonth {
    std::string month;
    int64_t made = 0;
    int64_t handled_in_time = 0;
    int64_t late_or_overdue = 0;
  };
  [[nodiscard]] core::Result<std::vector<RequestMonth>> request_months(core::Zone zone,
                                                                       core::Timestamp now) const;

 private:
  db::Blob seal(std::string_view table, std::string_view column, std::string_view id,
                std::string_view plain) const;
  std::string open(std::string_view table, std::string_view column, std::string_view id,
                   const db::Blob& sealed) const;
  DataRequest read_request(const db::Row& row) const;

  db::Database& db_;
  const security::FieldCipher& cipher_;
};

}  // namespace balai::identity
