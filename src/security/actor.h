#pragma once
// Who is making a request, as every module sees it: the security layer resolves a session
// cookie or a bearer token into an Actor before the handler runs; handlers read it with
// current_actor() and pass it to Policy::authorize. Anonymous callers have no actor.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "http/request.h"

namespace balai::security {

// DESIGN.md, security model: the seven roles. Staff roles (officer, supervisor, admin, auditor)
// sign in with a password and TOTP; device and integrator authenticate with bearer tokens.
enum class Role { citizen, officer, supervisor, admin, auditor, device, integrator };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
// Officer, supervisor, admin and auditor: people working for the city.
bool is_staff(Role role);

enum class AuthMethod { session, bearer };

struct Actor {
  std::string id;  // external id of the account or API token (never the internal key)
  Role role = Role::citizen;
  std::string agency;  // agency (OPD) code for agency-scoped staff and tokens; "" otherwise
  AuthMethod method = AuthMethod::session;
  std::string session_id;            // external id of the session (AuthMethod::session)
  core::Timestamp authenticated_at;  // last proof of password (and TOTP for staff)
  // The account's internal key when a session authenticated it (the session lookup already
  // checked the account is active), 0 otherwise. In-process only: never serialized.
  int64_t account_key = 0;
};

// The actor of a request, null when anonymous. Valid while the request lives.
const Actor* current_actor(const http::Request& req);
// Attaches an actor to a request (the authentication middleware; tests).
void set_actor(http::Request& req, Actor actor);

}  // namespace balai::security
