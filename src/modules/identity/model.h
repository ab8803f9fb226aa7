#pragma once
// A citizen as the identity module keeps them: the account (security layer) plus a profile of
// personal data, an identity assurance level set by the population agency (Dukcapil: Dinas
// Kependudukan dan Pencatatan Sipil), consents, and requests under UU 27/2022 (PDP: Pelindungan
// Data Pribadi, the personal data protection law).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "modules/identity/numbers.h"

namespace balai::identity {

// How sure the city is that the account belongs to the person its NIK names.
enum class Assurance {
  unverified,  // registered; no KTP photo yet
  pending,     // a KTP photo waits for an officer
  verified,    // an officer matched the photo with the data
  rejected     // an officer refused (reason given); a new photo starts again
};
std::string_view to_string(Assurance a);
std::optional<Assurance> parse_assurance(std::string_view text);

struct Citizen {
  int64_t account_key = 0;  // internal
  std::string id;           // external id of the account (UUIDv7)
  std::string nik;
  std::string full_name;
  core::Date birth_date;
  Sex sex = Sex::male;
  std::string street;        // street, house number, RT/RW
  std::string village_code;  // Kemendagri code of the kelurahan/desa
  std::string phone;         // +62...
  std::string email;
  std::optional<core::Timestamp> email_confirmed_at;
  std::optional<core::Timestamp> phone_confirmed_at;
  Assurance assurance = Assurance::unverified;
  std::string assurance_reason;  // a rejection reason code
  std::string decided_by;        // external id of the officer who decided
  std::optional<core::Timestamp> decided_at;
  bool has_ktp_photo = false;
  core::Timestamp created_at;
};

// What a person types to register (strings as received; rules::check_registration decides).
struct RegistrationForm {
  std::string nik;
  std::string full_name;
  std::string birth_date;  // YYYY-MM-DD
  std::string sex;         // "female" | "male"
  std::string street;
  std::string village_code;
  std::string phone;
  std::string email;
  std::string password;
};

// A registration that passed the rules: normalised values.
struct CheckedRegistration {
  std::string nik;
  std::string full_name;
  core::Date birth_date;
  Sex sex = Sex::male;
  std::string street;
  std::string village_code;
  std::string phone;  // +62...
  std::string email;  // lower-case
};

// What a one-time code is for.
enum class CodePurpose { confirm_email, confirm_phone, reset_password, change_email };
std::string_view to_string(CodePurpose p);
std::optional<CodePurpose> parse_code_purpose(std::string_view text);

// A consent's current state and the history behind it.
struct ConsentChange {
  std::string purpose;  // one of rules::consent_purposes()
  bool granted = false;
  std::string via;  // "portal", "api"
  core::Timestamp at;
};

enum class DataRequestKind { correction, deletion, restriction };
std::string_view to_string(DataRequestKind k);
std::optional<DataRequestKind> parse_data_request_kind(std::string_view text);

enum class DataRequestStatus { open, done, refused };
std::string_view to_string(DataRequestStatus s);

struct DataRequest {
  std::string id;          // external id
  std::string citizen_id;  // the requester's account id
  DataRequestKind kind = DataRequestKind::correction;
  std::string details;  // what the person asks (decrypted)
  DataRequestStatus status = DataRequestStatus::open;
  core::Timestamp created_at;
  core::Timestamp due_at;
  std::string outcome;     // what was done (decrypted), "" while open
  std::string handled_by;  // officer's external id
  std::optional<core::Timestamp> handled_at;
};

// One staff read of a person's data, as that person sees it.
struct AccessLogEntry {
  core::Timestamp at;
  std::string actor_name;  // the officer's name ("" for the system)
  std::string actor_role;
  std::string agency_code;
  std::string object_type;  // "citizen", "ktp_photo", "complaint", ...
  std::string object_id;
  std::string purpose;
};

}  // namespace balai::identity
