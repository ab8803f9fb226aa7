#pragma once
// Cross-site request forgery defence (OWASP ASVS 4.2.2, 13.2.3): synchronizer tokens. The token
// is a keyed MAC of the secret it protects — the session token when signed in, a random
// pre-session cookie otherwise (the sign-in form itself) — so nothing extra is stored and a
// token from one session is worthless in another. SameSite=Lax cookies and the Origin check
// are the other two layers.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace balai::security {

// The form field and the header that carry the token.
inline constexpr std::string_view kCsrfField = "_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

class CsrfTokens {
 public:
  // `master` is a 32-byte secret of the key ring (the pepper); the CSRF key is derived from it
  // with its own label, so it never equals a key used for anything else.
  explicit CsrfTokens(std::span<const uint8_t> master);
  ~CsrfTokens();
  CsrfTokens(const CsrfTokens&) = delete;
  CsrfTokens& operator=(const CsrfTokens&) = delete;

  // The token for forms of a signed-in session (its cookie token).
  std::string for_session(std::string_view session_token) const;
  // The token for forms of a visitor who is not signed in (their pre-session cookie).
  std::string for_visitor(std::string_view visitor_secret) const;
  // Constant-time comparison of the expected and presented tokens; false when either is empty.
  static bool matches(std::string_view expected, std::string_view presented);

 private:
  std::string mac(std::string_view label, std::string_view secret) const;
  std::array<uint8_t, 32> key_{};
};

}  // namespace balai::security
