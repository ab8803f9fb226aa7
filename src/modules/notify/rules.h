#pragma once
// Internal to the notify module: pure rules of the outbox (what a message may hold, when a
// failed delivery is tried again). No I/O; unit-tested alone.

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "modules/notify/outbox.h"

namespace balai::notify {

// Limits of what the outbox accepts (a confirmation code or a status update is far below them).
inline constexpr size_t kMaxSubjectChars = 200;
inline constexpr size_t kMaxEmailBodyBytes = 64 * 1024;
inline constexpr size_t kMaxSmsChars = 1'600;  // ten concatenated SMS segments
inline constexpr size_t kMaxKindBytes = 64;

// True for an address that can stand alone in a To header and in SMTP's RCPT TO: one "@" with
// a non-empty local part and a dotted domain, printable ASCII only, none of the characters that
// would end or split an address or a header (space, CR, LF, < > ( ) [ ] , ; : " \), at most 254
// bytes. Stricter than RFC 5321 on purpose: quoted local parts and address literals are refused.
bool is_email_address(std::string_view address);

// True for a phone number in E.164 form, as the SMS gateway takes it: "+", a non-zero digit, then
// 7 to 14 more digits ("+6281234567890"). Callers normalise local forms (0812...) to +62 first.
bool is_phone_number(std::string_view number);

// Whether `message` may be queued: validation_failed naming each bad field otherwise:
//   to       required; an email address (is_email_address) or a phone number (is_phone_number)
//            for its channel; CR/LF and other header breakers are refused here (header injection)
//   subject  valid UTF-8 without control characters, at most kMaxSubjectChars; required for
//            email
//   body     required, valid UTF-8 without NUL; at most kMaxEmailBodyBytes (email) or
//            kMaxSmsChars characters (SMS)
//   kind     required, [a-z0-9._-], at most kMaxKindBytes
// Error messages and fields never repeat the rejected value (it may be personal data).
[[nodiscard]] core::Status validate(const Message& message);

// How long to wait after the `failed_attempts`-th failed try (>= 1) before the next one:
// 30 s, 1 min, 2 min, ... doubling, at most 1 h.
int64_t retry_delay_ms(int failed_attempts);

}  // namespace balai::notify
