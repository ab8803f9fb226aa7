#pragma once
// Internal to the notify module: an email as it travels over SMTP, in RFC 5322 form with a
// single MIME text/plain part. Pure text work, no I/O; unit-tested alone.

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace balai::notify {

// The parts of notify.mail_from: "Balai Kota Contoh <balai@contoh.go.id>" or a bare
// "balai@contoh.go.id". `address` is empty when the setting holds no valid address.
struct Mailbox {
  std::string display_name;  // may be empty; any UTF-8
  std::string address;       // passes is_email_address
};
Mailbox parse_mailbox(std::string_view text);

// `text` as a header value: as it is when it is printable ASCII that fits on the header's line,
// otherwise as RFC 2047 encoded-words ("=?UTF-8?Q?...?=", each at most 75 characters, never
// splitting a UTF-8 character) folded with CRLF SP so no line passes 76 characters.
// `used` is how much of the first line the header's name already takes ("Subject: " is 9).
// Precondition: `text` holds no CR or LF (rules.h validate refuses them).
std::string encode_header_text(std::string_view text, size_t used);

// The body in quoted-printable (RFC 2045 section 6.7): line breaks (LF or CRLF) become CRLF,
// bytes outside printable ASCII and "=" become "=XX", a space or tab ending a line is encoded,
// and soft line breaks ("=" CRLF) keep every line at most 76 characters.
std::string quoted_printable(std::string_view text);

// RFC 5322 date-time in UTC: "Fri, 27 Nov 2026 02:30:00 +0000".
std::string format_mail_date(core::Timestamp t);

struct Email {
  Mailbox from;
  std::string to;       // a bare address
  std::string subject;  // one line of UTF-8
  std::string body;     // UTF-8 text, LF or CRLF line breaks
  core::Timestamp date;
  // Unique per message (the outbox's external id); the Message-ID is <unique@from's domain>.
  std::string unique;
};

// The whole message: Date, From, To, Subject, Message-ID, MIME-Version, Content-Type
// (text/plain; charset=UTF-8), Content-Transfer-Encoding (7bit when every line is short
// printable ASCII, quoted-printable otherwise) and Auto-Submitted: auto-generated (RFC 3834, so
// out-of-office replies stay away), a blank line and the body, every line ending in CRLF.
// validation_failed when the from or to address is not valid or the subject holds a control
// character: a CR or LF there would let the text add headers of its own (header injection).
// Dot-stuffing for SMTP's DATA is left to the transport (libcurl does it).
[[nodiscard]] core::Result<std::string> compose_email(const Email& email);

}  // namespace balai::notify
