#pragma once
// Signing people in against a running ServerHarness the way an app does (POST /api/v1/auth/login
// with "client":"app"), finishing the staff steps in-process: TOTP enrolment for a staff account
// that has none, or a code computed from the stored secret for one that has. What comes back is
// a full session token to send as "Authorization: Bearer <token>" (bearer requests need no CSRF
// token).

#include <map>
#include <string>

#include "support/server_harness.h"

namespace balai::testing {

// A full session token for `login` / `password`. Throws std::runtime_error (with what went
// wrong) when signing in fails, so a test reports it instead of going on without a session.
// Each call is a fresh sign-in (a new session; authenticated_at is now).
std::string sign_in_bearer(ServerHarness& server, const std::string& login,
                           const std::string& password);

// The headers of a bearer request, plus any given.
std::map<std::string, std::string> bearer_headers(const std::string& token,
                                                  std::map<std::string, std::string> more = {});

// The demo accounts seeded by `balai demo` (and by ServerHarness unless told otherwise).
inline constexpr const char* kDemoAdminLogin = "admin@demo.balai.id";
inline constexpr const char* kDemoAdminPassword = "sambel pecel pedas manis";
inline constexpr const char* kDemoOfficerLogin = "petugas@demo.balai.id";
inline constexpr const char* kDemoOfficerPassword = "brem caruban manis legit";
inline constexpr const char* kDemoCitizenLogin = "warga@demo.balai.id";
inline constexpr const char* kDemoCitizenPassword = "kereta api lewat tengah kota";

}  // namespace balai::testing
