#pragma once
// The identity module as the app sees it. Now: signing in and out, two-factor sign-in for
// staff, and each person's own sessions (the security layer does the work; this module is its
// pages and API). Registration, profiles and "Data Saya" come with the identity issue.

#include "app/app.h"
#include "core/result.h"

namespace balai::identity {

// Registers the sign-in pages and the /api/v1/auth routes and grants their actions.
void install(app::App& app);

// The demo accounts `make run` prints (an administrator, an officer, a citizen); idempotent.
[[nodiscard]] core::Status seed_demo(app::App& app);

}  // namespace balai::identity
