#include "security/authentication.h"

#include "core/log.h"
#include "core/text.h"
#include "http/form.h"
#include "security/firewall/firewall.h"
#include "security/secret_token.h"

namespace balai::security {
namespace {

bool is_unsafe(http::Method m) {
  return m == http::Method::post || m == http::Method::put || m == http::Method::patch ||
         m == http::Method::del;
}

bool starts_with_any(std::string_view path, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes)
    if (path.starts_with(p)) return true;
  return false;
}

// "https://Example.go.id:443/" -> "https://example.go.id"; the form browsers send in Origin.
std::string origin_of(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return core::ascii_lower(url);
  const size_t host_end = url.find('/', scheme_end + 3);
  std::string origin = core::ascii_lower(url.substr(0, host_end));
  if (origin.starts_with("https://") && origin.ends_with(":443")) origin.resize(origin.size() - 4);
  if (origin.starts_with("http://") && origin.ends_with(":80")) origin.resize(origin.size() - 3);
  return origin;
}

std::optional<std::string> bearer_token(const http::Request& req) {
  auto header = req.headers.get("Authorization");
  if (!header) return std::nullopt;
  std::string_view value = core::trim(*header);
  if (value.size() < 7 || !http::iequals(value.substr(0, 7), "Bearer ")) return std::nullopt;
  return std::string(core::trim(value.substr(7)));
}

std::string presented_csrf_token(const http::Request& req) {
  if (auto header = req.headers.get(kCsrfHeader)) return std::string(core::trim(*header));
  const std::string type = req.content_type();
  if (type != "application/x-www-form-urlencoded" && type != "multipart/form-data") return {};
  auto form = http::parse_form(req);
  if (!form) return {};
  if (auto field = form->get(kCsrfField)) return std::string(*field);
  return {};
}

}  // namespace

std::string_view to_string(Refusal refusal) {
  switch (refusal) {
    case Refusal::cross_origin:
      return "cross_origin_refused";
    case Refusal::csrf_missing:
      return "csrf_token_invalid";
    case Refusal::bad_bearer_token:
      return "bearer_token_invalid";
  }
  return "refused";
}

CookieNames cookie_names(const core::Config& config) {
  const bool secure =
      !config.server.tls_cert_file.empty() || config.server.public_url.starts_with("https://");
  if (secure) return CookieNames{true, "__Host-balai", "__Host-balai-visitor"};
  return CookieNames{false, "balai_insecure_dev_session", "balai_insecure_dev_visitor"};
}

AuthenticationSettings authentication_settings(const core::Config& config) {
  AuthenticationSettings s;
  s.cookies = cookie_names(config);
  for (auto& origin : firewall::split_list(config.security.allowed_origins))
    s.allowed_origins.push_back(origin_of(origin));
  if (!config.server.public_url.empty()) s.own_origin = origin_of(config.server.public_url);
  return s;
}

Authenticator::Authenticator(Sessions& sessions, ApiTokens& tokens, const CsrfTokens& csrf,
                             AuthenticationSettings settings, const core::Clock& clock,
                             http::ErrorRenderer render_error)
    : sessions_(sessions),
      tokens_(tokens),
      csrf_(csrf),
      settings_(std::move(settings)),
      clock_(clock),
      render_error_(std::move(render_error)) {}

http::Middleware Authenticator::middleware() {
  return [this](http::Request& req, const http::Handler& next) { return handle(req, next); };
}

bool Authenticator::origin_allowed(const http::Request& req) const {
  auto origin = req.headers.get("Origin");
  // No Origin: a client that is not a browser, or an old one; the CSRF token still guards.
  if (!origin) return true;
  const std::string presented = origin_of(core::trim(*origin));
  std::string own = settings_.own_origin;
  if (own.empty()) {
    auto host = req.headers.get("Host");
    own = origin_of(std::string(req.secure ? "https://" : "http://") +
                    std::string(host.value_or("")));
  }
  if (presented == own) return true;
  for (const auto& allowed : settings_.allowed_origins)
    if (presented == allowed) return true;
  return false;
}

http::Response Authenticator::refuse(const http::Request& req, Refusal why, int status) {
  if (observer_) observer_(req, why);
  http::Response res = render_error_(req, status);
  res.headers.set("Cache-Control", "no-store");
  if (why == Refusal::bad_bearer_token)
    res.headers.set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return res;
}

std::optional<std::string> Authenticator::session_token(const http::Request& req) const {
  if (starts_with_any(req.path, settings_.cookie_free_prefixes)) return std::nullopt;
  return req.cookie(settings_.cookies.session);
}

std::optional<std::string> Authenticator::presented_session_token(const http::Request& req) const {
  if (auto cookie = session_token(req)) return cookie;
  auto bearer = bearer_token(req);
  if (!bearer || bearer->starts_with(kApiTokenPrefix)) return std::nullopt;
  return bearer;
}

core::Result<std::optional<Session>> Authenticator::session_of(const http::Request& req) {
  auto token = session_token(req);
  if (!token) return std::optional<Session>{};
  return sessions_.resolve(*token, clock_.now());
}

std::string Authenticator::session_cookie(std::string_view token) const {
  // No Max-Age: the cookie ends with the browser; the server ends the session sooner or later.
  std::string c =
      settings_.cookies.session + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Lax";
  if (settings_.cookies.secure) c += "; Secure";
  return c;
}

std::string Authenticator::cleared_session_cookie() const {
  std::string c = settings_.cookies.session + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";
  if (settings_.cookies.secure) c += "; Secure";
  return c;
}

http::Response Authenticator::handle(http::Request& req, const http::Handler& next) {
  const core::Timestamp now = clock_.now();
  const bool unsafe = is_unsafe(req.method);
  const bool cookie_free = starts_with_any(req.path, settings_.cookie_free_prefixes);

  // Machines: a bearer token is not ambient (a browser never adds it by itself), so neither the
  // Origin check nor a CSRF token applies.
  if (auto bearer = bearer_token(req)) {
    if (bearer->starts_with(kApiTokenPrefix)) {
      auto token = tokens_.resolve(*bearer, now);
      if (!token) return render_error_(req, 503);
      if (!*token) return refuse(req, Refusal::bad_bearer_token, 401);
      const ApiToken& t = **token;
      set_actor(req, Actor{t.id, t.role, t.agency, AuthMethod::bearer, "", t.created_at});
    } else {
      // An app's session token (from /api/v1/auth/login with "client":"app").
      auto live = sessions_.resolve(*bearer, now);
      if (!live) return render_error_(req, 503);
      if (!*live) return refuse(req, Refusal::bad_bearer_token, 401);
      const Session& s = **live;
      if (s.stage == SessionStage::full)
        set_actor(req, Actor{s.account_id, s.role, s.agency, AuthMethod::bearer, s.id,
                             s.authenticated_at, s.account_key});
    }
    http::Response res = next(req);
    res.headers.set("Cache-Control", "no-store");
    return res;
  }
  if (cookie_free) return next(req);

  if (unsafe && !origin_allowed(req)) return refuse(req, Refusal::cross_origin, 403);

  std::optional<Session> session;
  std::string token;
  bool stale_cookie = false;
  if (auto cookie = req.cookie(settings_.cookies.session)) {
    auto live = sessions_.resolve(*cookie, now);
    if (!live) return render_error_(req, 503);
    if (*live) {
      session = std::move(*live);
      token = *cookie;
    } else {
      stale_cookie = true;
    }
  }

  std::string visitor;
  bool new_visitor = false;
  if (session) {
    req.context.csrf_token = csrf_.for_session(token);
  } else if (!req.path.starts_with("/api/")) {
    // Pages only: JSON answers carry no forms, and anonymous API calls need no token.
    auto cookie = req.cookie(settings_.cookies.visitor);
    if (cookie && looks_like_token(*cookie)) {
      visitor = *cookie;
    } else {
      visitor = new_secret_token();
      new_visitor = true;
    }
    req.context.csrf_token = csrf_.for_visitor(visitor);
  }

  // Unsafe requests that a browser could be tricked into sending with its cookies: any made
  // with a session, and every form post to a page (the sign-in form included, against login
  // CSRF). Anonymous JSON API calls carry no ambient authority and need no token.
  const bool needs_token = unsafe && (session || !req.path.starts_with("/api/"));
  if (needs_token && !CsrfTokens::matches(req.context.csrf_token, presented_csrf_token(req)))
    return refuse(req, Refusal::csrf_missing, 403);

  if (session && session->stage == SessionStage::full) {
    set_actor(req, Actor{session->account_id, session->role, session->agency, AuthMethod::session,
                         session->id, session->authenticated_at, session->account_key});
  }

  http::Response res = next(req);
  if (session) res.headers.set("Cache-Control", "no-store");
  if (stale_cookie && !res.headers.has("Set-Cookie"))
    res.headers.add("Set-Cookie", cleared_session_cookie());
  // The visitor cookie is set only when the page carries a form that uses it, so plain page
  // views stay cookie-free (and cacheable by the browser).
  if (new_visitor && res.body.find(req.context.csrf_token) != std::string::npos) {
    std::string c = settings_.cookies.visitor + "=" + visitor + "; Path=/; HttpOnly; SameSite=Lax";
    if (settings_.cookies.secure) c += "; Secure";
    res.headers.add("Set-Cookie", c);
    res.headers.set("Cache-Control", "no-store");
  }
  return res;
}

}  // namespace balai::security
