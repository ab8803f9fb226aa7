#pragma once
// The identity module's use cases and its public face for other modules: registering a
// citizen and confirming their contacts, passwords, identity verification by the population
// agency, and "Data Saya" (a person's own data, who read it, consents, export, requests under
// UU 27/2022). Every method authorizes through the policy, writes its audit entry in the same
// transaction as its change, and records every staff read of a citizen's data with its purpose.
// Thread-safe; every method blocks on the database (and some on Argon2): worker threads only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "modules/identity/model.h"
#include "modules/identity/store.h"
#include "security/accounts.h"
#include "security/actor.h"

namespace balai::identity {

// Who is asking, as far as auditing and throttling need to know.
struct RequestFacts {
  std::string address;     // client address after proxies
  std::string request_id;  // for the audit entry
  std::string via = "portal";
};

// A person's own data in full (decrypted for them alone).
struct Profile {
  Citizen citizen;
  std::string region_names;  // "Kelurahan, Kecamatan, Kota, Provinsi" of the village
};

// Everything held about a person, for the export (portability).
struct PersonalExport {
  Profile profile;
  std::vector<ConsentChange> consents;
  std::vector<DataRequest> requests;
  std::vector<AccessLogEntry> access_log;
};

// An identity waiting for an officer.
struct VerificationCase {
  std::string citizen_id;
  core::Timestamp uploaded_at;
};

// The public transparency figures (counts only).
struct Transparency {
  std::vector<MonthCount> reads_by_agency;  // key: agency code
  std::vector<Store::RequestMonth> requests;
  std::vector<MonthCount> security_events;  // key: severity
};

class IdentityService final : public app::ModuleState {
 public:
  explicit IdentityService(app::App& app);

  // --- Registration and contacts (registration.cpp) ---
  // Creates a pending account with its profile and sends one code to the email and one to the
  // phone. Errors: rate_limited (per address), validation_failed (fields), conflict (the NIK or
  // email has an account: reported on the field, without saying whose). Returns the account's
  // external id. Argon2 runs here.
  [[nodiscard]] core::Result<std::string> register_citizen(const RegistrationForm& form,
                                                           const RequestFacts& facts);
  // Confirms the email or the phone of a registration (or of an account whose phone changed)
  // with its code. When both are confirmed a pending account becomes active. unauthenticated
  // for a wrong, used or expired code (the same answer for all), not_found for an unknown id.
  [[nodiscard]] core::Status confirm_contact(std::string_view account_id, CodePurpose purpose,
                                             std::string_view code, const RequestFacts& facts);
  // Sends a new code (at most 5 an hour per purpose). rate_limited beyond.
  [[nodiscard]] core::Status resend_code(std::string_view account_id, CodePurpose purpose,
                                         const RequestFacts& facts);
  // Sends a reset code to the account's confirmed email. Always succeeds when the
  // input is well formed, so nobody learns whether an account exists.
  [[nodiscard]] core::Status request_password_reset(std::string_view login,
                                                    const RequestFacts& facts);
  // Sets a new password with a reset code; ends every session of the account.
  [[nodiscard]] core::Status reset_password(std::string_view login, std::string_view code,
                                            std::string_view new_password,
                                            const RequestFacts& facts);
  // Changes the password of the signed-in person (current password required); ends every
  // session of the account, this one too (they sign in again with the new password).
  [[nodiscard]] core::Status change_password(const security::Actor& actor,
                                             std::string_view current_password,
                                             std::string_view new_password,
                                             const RequestFacts& facts);
  // Starts an email change: a code goes to the new address; confirm_email_change finishes it.
  [[nodiscard]] core::Status request_email_change(const security::Actor& actor,
                                                  std::string_view new_email,
                                                  const RequestFacts& facts);
  [[nodiscard]] core::Status confirm_email_change(const security::Actor& actor,
                                                  std::string_view code, const RequestFacts& facts);
  // Deletes registrations never confirmed within identity.unconfirmed_hours (a job).
  void expire_registrations(core::Timestamp now);

  // --- Identity verification (verification.cpp) ---
  // The citizen uploads a photo of their KTP (JPEG, PNG or WebP by content; size-limited).
  [[nodiscard]] core::Status upload_ktp(const security::Actor& actor, std::string_view bytes,
                                        const RequestFacts& facts);
  // Officers of the verifying agency: the waiting list, oldest first.
  [[nodiscard]] core::Result<std::vector<VerificationCase>> verification_queue(
      const security::Actor& officer);
  // The photo, for the officer deciding (recorded as a read of the citizen's data).
  [[nodiscard]] core::Result<KtpPhoto> ktp_photo_for_officer(const security::Actor& officer,
                                                             std::string_view citizen_id,
                                                             const RequestFacts& facts);
  // Verified, or rejected with one of rules::rejection_reasons(). conflict when the case is
  // not waiting; forbidden for staff of other agencies; not_found for unknown ids.
  [[nodiscard]] core::Status decide_identity(const security::Actor& officer,
                                             std::string_view citizen_id, bool verified,
                                             std::string_view reason, const RequestFacts& facts);
  // Deletes KTP photos past their retention (a job).
  void delete_due_photos(core::Timestamp now);
  // For other modules: whether the account's identity is verified (services may require it).
  [[nodiscard]] core::Result<bool> identity_verified(std::string_view account_id);
  // For other modules that send a person updates by SMS: the account's confirmed phone
  // (+62...), "" when it has none or it is not confirmed. Not a staff read: the number goes
  // only to the notification outbox, encrypted.
  [[nodiscard]] core::Result<std::string> confirmed_phone(int64_t account_key) const;

  // --- Data Saya (my_data.cpp) ---
  [[nodiscard]] core::Result<Profile> my_profile(const security::Actor& actor);
  [[nodiscard]] core::Status update_my_contact(const security::Actor& actor,
                                               std::string_view street,
                                               std::string_view village_code,
                                               std::string_view phone, const RequestFacts& facts);
  [[nodiscard]] core::Result<std::vector<AccessLogEntry>> my_access_log(
      const security::Actor& actor);
  [[nodiscard]] core::Result<std::vector<ConsentChange>> my_consents(const security::Actor& actor);
  [[nodiscard]] core::Status set_consent(const security::Actor& actor, std::string_view purpose,
                                         bool granted, const RequestFacts& facts);
  [[nodiscard]] core::Result<PersonalExport> export_my_data(const security::Actor& actor,
                                                            const RequestFacts& facts);
  [[nodiscard]] core::Result<DataRequest> make_data_request(const security::Actor& actor,
                                                            std::string_view kind,
                                                            std::string_view details,
                                                            const RequestFacts& facts);
  [[nodiscard]] core::Result<std::vector<DataRequest>> my_data_requests(
      const security::Actor& actor);

  // --- Staff (my_data.cpp) ---
  // A citizen's profile for staff with a stated purpose (the read is audited and shown to the
  // citizen). validation_failed without a purpose; not_found for unknown ids.
  [[nodiscard]] core::Result<Profile> citizen_for_staff(const security::Actor& staff,
                                                        std::string_view citizen_id,
                                                        std::string_view purpose,
                                                        const RequestFacts& facts);
  [[nodiscard]] core::Result<std::vector<DataRequest>> data_request_queue(
      const security::Actor& officer);
  // Records the outcome (done or refused). A done deletion request erases the person's
  // profile and account data (audit entries stay). conflict when already handled.
  [[nodiscard]] core::Result<DataRequest> handle_data_request(const security::Actor& officer,
                                                              std::string_view request_id,
                                                              bool done, std::string_view outcome,
                                                              const RequestFacts& facts);

  // --- Public (transparency.cpp) ---
  [[nodiscard]] core::Result<Transparency> transparency(core::Timestamp now);

  const Store& store() const { return store_; }

 private:
  [[nodiscard]] core::Result<security::Account> signed_in_citizen(const security::Actor* actor);
  [[nodiscard]] core::Result<Profile> profile_of(const security::Account& account);
  [[nodiscard]] core::Status send_code(db::Connection& conn, const security::Account& account,
                                       CodePurpose purpose, std::string_view to,
                                       core::Timestamp now);
  [[nodiscard]] core::Status set_new_password(const security::Account& account,
                                              std::optional<int64_t> code_key,
                                              std::string_view new_password,
                                              const RequestFacts& facts);
  [[nodiscard]] core::Status check_code(const security::Account& account, CodePurpose purpose,
                                        std::string_view code, StoredCode& out);
  [[nodiscard]] core::Status audit(db::Connection& conn, const security::Actor* actor,
                                   std::string_view action, std::string_view object_type,
                                   std::string_view object_id, std::string_view subject,
                                   const RequestFacts& facts, core::Timestamp now) const;
  [[nodiscard]] core::Status record_read(db::Connection& conn, const security::Actor& staff,
                                         std::string_view subject, std::string_view object_type,
                                         std::string_view purpose, const RequestFacts& facts,
                                         core::Timestamp now);
  db::Blob code_digest(const security::Account& account, CodePurpose purpose,
                       std::string_view code) const;
  std::string region_names(std::string_view village_code) const;

  app::App& app_;
  Store store_;
};

// The identity service installed in `app` (null before install).
IdentityService* service_of(app::App& app);

}  // namespace balai::identity
