#pragma once
// Internal to the identity module: its route tables and what they share.

#include <optional>
#include <string>

#include "app/app.h"
#include "http/request.h"
#include "security/sign_in.h"

namespace balai::identity {

void install_api(app::App& app);
void install_pages(app::App& app);

// The facts of a sign-in attempt a handler can see (address after proxies, browser, request).
security::Attempt attempt_of(const http::Request& req);

// A local path to go to after signing in: only "/..." paths of this site ("//evil" and
// "/\evil" are other sites to a browser); "/akun" otherwise.
std::string safe_next(std::optional<std::string> next);

}  // namespace balai::identity
