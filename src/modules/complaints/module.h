#pragma once
// The complaints module as the app sees it: citizens' reports from submission to rating,
// officers' queues, the public record and statistics, and Open311 GeoReport v2.

#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "db/migrator.h"
#include "security/reencryption.h"

namespace balai::complaints {

std::vector<db::Migration> migrations();
std::vector<security::EncryptedColumn> encrypted_columns();
// Registers routes, policy grants and jobs (escalation, automatic closing).
void install(app::App& app);
// Demo categories (with their agencies), a routing rule and a few public reports; idempotent.
[[nodiscard]] core::Status seed_demo(app::App& app);

}  // namespace balai::complaints
