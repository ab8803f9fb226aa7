#pragma once
// The authentication step of a request's way (DESIGN.md: ... -> session/auth -> CSRF -> router):
// a middleware that turns a bearer token or a session cookie into the request's Actor, refuses
// cross-origin and token-less unsafe requests that ride on a cookie, and marks every
// authenticated answer `Cache-Control: no-store`.
//
// Cookies: `__Host-balai` (Secure, HttpOnly, SameSite=Lax, Path=/, no Domain) when the site is
// served over HTTPS (TLS here, or a public_url with https behind a proxy). Browsers refuse
// Secure cookies over plain HTTP, so a development server on http://127.0.0.1 uses the
// clearly named `balai_insecure_dev_session` instead, and the log says so at start.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/time.h"
#include "http/server.h"
#include "security/api_tokens.h"
#include "security/csrf.h"
#include "security/sessions.h"

namespace balai::security {

struct CookieNames {
  bool secure = false;
  std::string session;  // "__Host-balai" or "balai_insecure_dev_session"
  std::string visitor;  // the pre-session CSRF secret: "__Host-balai-visitor" or
                        // "balai_insecure_dev_visitor"
};
// Chosen from the configuration: secure when TLS is configured or public_url is https.
CookieNames cookie_names(const core::Config& config);

// Why the middleware refused a request; the monitor records these as security events.
enum class Refusal { cross_origin, csrf_missing, bad_bearer_token };
std::string_view to_string(Refusal refusal);

struct AuthenticationSettings {
  CookieNames cookies;
  // Origins besides the site's own allowed to send unsafe requests ("https://sso.example.go.id").
  std::vector<std::string> allowed_origins;
  // The site's origin from public_url ("https://layanan.madiunkota.go.id"); empty: derived from
  // the request's Host header and scheme (development).
  std::string own_origin;
  // Path prefixes of machine APIs that never take cookies (Open311's api_key, NGSI-v2 tokens):
  // a cookie there is ignored, so no cross-site request can borrow a browser's session.
  std::vector<std::string> cookie_free_prefixes = {"/open311/", "/v2/"};
};
AuthenticationSettings authentication_settings(const core::Config& config);

class Authenticator {
 public:
  using RefusalObserver = std::function<void(const http::Request& req, Refusal refusal)>;

  // Every reference must outlive the authenticator. `render_error` renders refusals as the
  // rest of the site does (JSON under /api/, an HTML page elsewhere).
  Authenticator(Sessions& sessions, ApiTokens& tokens, const CsrfTokens& csrf,
                AuthenticationSettings settings, const core::Clock& clock,
                http::ErrorRenderer render_error);

  void on_refused(RefusalObserver observer) { observer_ = std::move(observer); }

  // The middleware; runs on the worker pool (it reads the database).
  http::Middleware middleware();

  // The session cookie's token in a request, if any (logout, rotation).
  std::optional<std::string> session_token(const http::Request& req) const;
  // The session token a request presents: its cookie, else an app's "Authorization: Bearer"
  // session token (API tokens, "bt_...", are not sessions and are not returned).
  std::optional<std::string> presented_session_token(const http::Request& req) const;
  // The live session of a request at any stage (the second-factor page needs the unfinished
  // one, which gives no Actor). Blocks on the database.
  [[nodiscard]] core::Result<std::optional<Session>> session_of(const http::Request& req);
  // Set-Cookie values: a new session, and its removal.
  std::string session_cookie(std::string_view token) const;
  std::string cleared_session_cookie() const;
  // The CSRF token forms must carry after a sign-in rotated the session to `token`.
  std::string csrf_for(std::string_view token) const { return csrf_.for_session(token); }

  const CookieNames& cookies() const { return settings_.cookies; }
  Sessions& sessions() { return sessions_; }

 private:
  http::Response handle(http::Request& req, const http::Handler& next);
  bool origin_allowed(const http::Request& req) const;
  http::Response refuse(const http::Request& req, Refusal why, int status);

  Sessions& sessions_;
  ApiTokens& tokens_;
  const CsrfTokens& csrf_;
  AuthenticationSettings settings_;
  const core::Clock& clock_;
  http::ErrorRenderer render_error_;
  RefusalObserver observer_;
};

}  // namespace balai::security
