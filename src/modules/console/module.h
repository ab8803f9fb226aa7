#pragma once
// The administrators' security console (DESIGN.md, security model): what intrusion detection
// found, who is banned, the WAF's mode, the key ring and the audit chain at a glance, and the
// few actions administrators take on them (acknowledge an event, lift a ban, verify the audit
// log, create and revoke API tokens). The security layer does the work; this module is its
// pages. Administrators and auditors read; only administrators change anything, except that an
// auditor may run the audit verification.

#include "app/app.h"

namespace balai::console {

// Registers the /konsol pages and grants their actions. Call once at start-up.
void install(app::App& app);

}  // namespace balai::console
