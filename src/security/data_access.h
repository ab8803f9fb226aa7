#pragma once
// What a module does each time staff read a citizen's personal data (DESIGN.md: "Every staff
// read of a citizen's personal data is an audit entry with a purpose, and the citizen sees
// it"): one call that writes the audit entry — inside the caller's transaction when it has
// one — and tells intrusion detection, which flags a staff account reading unusually many
// different citizens.

#include <string_view>

#include "core/result.h"
#include "db/database.h"
#include "security/actor.h"
#include "security/audit.h"
#include "security/monitor.h"

namespace balai::security {

struct PersonalDataRead {
  std::string_view subject;      // the citizen's external id
  std::string_view object_type;  // "citizen", "complaint", "ktp_photo"
  std::string_view object_id;
  std::string_view purpose;  // why: "verifikasi identitas", "penanganan pengaduan ADU-..."
  std::string_view request_id;
};

// validation_failed when the purpose is empty (staff must say why). Blocks on the database.
[[nodiscard]] core::Status record_personal_data_read(db::Connection& conn, const AuditLog& audit,
                                                     Monitor& monitor, const Actor& actor,
                                                     const PersonalDataRead& read,
                                                     core::Timestamp now);

}  // namespace balai::security
