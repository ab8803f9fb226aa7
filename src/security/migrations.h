#pragma once
// The security layer's schema (sessions, tokens, audit, security events, bans), embedded from
// src/security/migrations/ at build time.

#include <vector>

#include "db/migrator.h"

namespace balai::security {

std::vector<db::Migration> migrations();

}  // namespace balai::security
