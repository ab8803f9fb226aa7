#pragma once
// The administrators' security console (DESIGN.md, security model): what intrusion detection
// found, who is banned, the WAF's mode, the key ring and the audit chain at a glance, and the
// few actions administrators take on them (acknowledge an event, lift a ban, verify the audit
// log, create and revoke API tokens) and the city's people and offices: the agencies (OPD) of
// the catalog and the staff accounts (created with a role and an agency, deactivated). The
// security layer and the catalog do the work; this module is their pages. Administrators and
// auditors read; only administrators change anything, except that an auditor may run the audit
// verification.

#include "app/app.h"

namespace balai::console {

// Registers the /konsol pages and grants their actions. Call once at start-up, after the catalog
// module (the agency and staff pages use its service); throws std::logic_error otherwise.
void install(app::App& app);

}  // namespace balai::console
