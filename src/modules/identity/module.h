#pragma once
// The identity module as the app sees it: registration with the NIK, signing in and out,
// two-factor sign-in for staff, identity verification by the population agency, and "Data
// Saya" (a person's own data, who read it, consents, export, requests under UU 27/2022).

#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "db/migrator.h"
#include "security/reencryption.h"

namespace balai::identity {

// The module's schema: citizens' profiles, codes, consents, data requests, KTP photos.
std::vector<db::Migration> migrations();

// The module's encrypted columns (for re-encryption after a key rotation).
std::vector<security::EncryptedColumn> encrypted_columns();

// Registers the sign-in pages and the /api/v1/auth routes and grants their actions.
void install(app::App& app);

// The demo accounts `make run` prints (an administrator, an officer, a citizen); idempotent.
[[nodiscard]] core::Status seed_demo(app::App& app);

}  // namespace balai::identity
