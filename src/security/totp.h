#pragma once
// Time-based one-time passwords (RFC 6238), the second factor staff sign in with (DESIGN.md,
// security model). The parameters are the ones every authenticator app understands without
// being told: HMAC-SHA-1, 6 digits, 30-second steps counted from the Unix epoch. SHA-1 is not a
// weakness here: HOTP needs only HMAC's pseudo-randomness, which SHA-1 still gives, and apps that
// honour "algorithm=SHA256" are too few to rely on.
//
// What a caller stores per account: the secret (sealed with FieldCipher, it opens every future
// code) and the last step a code was accepted for, which verify_totp needs so that a code, once
// used, is never accepted again.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace balai::security {

// 160 bits, the secret length RFC 4226 recommends (128 is its minimum); 32 base32 characters
// without padding, which apps accept when a person types them in.
constexpr size_t kTotpSecretBytes = 20;
constexpr int kTotpDigits = 6;
constexpr int64_t kTotpStepSeconds = 30;
// The last used step of an account that has never had a code accepted: below every real step.
constexpr int64_t kTotpNoStepUsed = -1;

// kTotpSecretBytes fresh random bytes from libsodium's CSPRNG. The caller owns them and should
// seal them before they reach the database. Thread-safe; does not block.
std::vector<uint8_t> generate_totp_secret();

// RFC 4648 base32 of `bytes`: upper-case, without '=' padding, the form authenticator apps
// expect in a URI and show to people. Thread-safe.
std::string base32_encode(std::span<const uint8_t> bytes);

// The bytes of base32 `text`, or nullopt when it is not base32. Takes untrusted input (a secret
// typed or pasted by a person): accepts lower case, ASCII spaces anywhere, and trailing '='
// padding (which then must make the length a multiple of 8); rejects any other character, '='
// followed by data, and lengths no encoder produces (1, 3 or 6 characters past a multiple of 8).
// Leftover bits past the last whole byte are ignored rather than required to be zero, because
// some secret generators emit them random. Thread-safe.
std::optional<std::vector<uint8_t>> base32_decode(std::string_view text);

// The TOTP time step containing `at`: floor(Unix seconds / 30), rounding towards minus infinity
// for times before 1970. Thread-safe.
int64_t totp_step(core::Timestamp at);

// The 6-digit code (zero-padded, ASCII) of `secret` for `step`, as an authenticator app shows
// it. `secret` must not be empty and `step` must be >= 0 (a moment after 1970); either broken is
// a bug and throws std::invalid_argument. Throws std::runtime_error if liboath fails, which it
// does only when it cannot start. Thread-safe; does not block.
std::string totp_code(std::span<const uint8_t> secret, int64_t step);

// Checks a code typed by a person against `secret` at `now`. Returns the step the code belongs
// to when `code`, after ASCII spaces are removed, is exactly 6 ASCII digits equal to the code of
// a step s with |s - totp_step(now)| <= `window` (clock drift between phone and server; a
// negative window counts as 0) and s > `last_used_step`; nullopt otherwise. The caller must store
// the returned step as the account's new last used step, atomically with accepting the sign-in:
// that is what makes a code single-use, even within its own 30 seconds (RFC 6238 section 5.2).
// Pass kTotpNoStepUsed for an account with no accepted code yet. When two steps in the window
// share a code, the later is returned, so storing it blocks the code for both. Every candidate
// is compared in constant time and all of them are compared, so the timing tells nothing about
// which step matched. An empty secret matches nothing. Takes untrusted input. Thread-safe; does
// not block.
std::optional<int64_t> verify_totp(std::span<const uint8_t> secret, std::string_view code,
                                   core::Timestamp now, int64_t last_used_step, int window = 1);

// The enrolment URI for an authenticator app (Google's Key Uri Format, which the others follow):
//   otpauth://totp/<issuer>:<account_label>?secret=<base32>&issuer=<issuer>&algorithm=SHA1
//     &digits=6&period=30
// `issuer` and `account_label` are percent-encoded (UTF-8 bytes; everything but RFC 3986
// unreserved characters, so a space is %20, never '+'). Neither should contain ':' — it would
// be encoded as %3A, but some apps split the label there after decoding. The URI holds the
// secret: show it only to the person enrolling (as a QR code, qr_svg), never log or cache it.
// Thread-safe.
std::string otpauth_uri(std::string_view issuer, std::string_view account_label,
                        std::span<const uint8_t> secret);

}  // namespace balai::security
