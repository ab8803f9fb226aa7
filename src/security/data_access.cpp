#include "security/data_access.h"

#include "core/text.h"

namespace balai::security {

core::Status record_personal_data_read(db::Connection& conn, const AuditLog& audit,
                                       Monitor& monitor, const Actor& actor,
                                       const PersonalDataRead& read, core::Timestamp now) {
  if (core::trim(read.purpose).empty())
    return core::Error{core::ErrorCode::validation_failed,
                       "State why you need this person's data.",
                       {{"purpose", "required"}}};
  AuditEntry entry;
  entry.at = now;
  entry.actor = actor.id;
  entry.actor_role = std::string(to_string(actor.role));
  entry.action = std::string(read.object_type) + ".personal_data.read";
  entry.object_type = std::string(read.object_type);
  entry.object_id = std::string(read.object_id);
  entry.subject = std::string(read.subject);
  entry.purpose = std::string(core::trim(read.purpose));
  entry.request_id = std::string(read.request_id);
  BALAI_TRY(audit.append(conn, entry));
  monitor.observe(ids::Observation{ids::ObservationKind::personal_data_read,
                                   now,
                                   "",
                                   actor.id,
                                   is_staff(actor.role),
                                   0,
                                   std::string(read.subject),
                                   true,
                                   {}});
  return {};
}

}  // namespace balai::security
