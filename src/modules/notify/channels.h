#pragma once
// Internal to the notify module: the two ways a message leaves the server, both over libcurl.
// Each call is one blocking exchange bounded by timeouts; the outbox's delivery thread makes it.
//
// Failures are core::Status errors whose code says what the outbox does next:
//   validation_failed  this message can never be delivered (a refused recipient): mark it failed
//   unavailable        try again later (network, the relay or the gateway down or busy)
// Their messages are short and safe to store and log: a curl error text or a status number,
// never the recipient, the text or the server's reply.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace balai::notify {

// The host of a URL as libcurl parses it ("mail.example.go.id", "127.0.0.1", "::1"), nullopt
// when the URL cannot be parsed.
std::optional<std::string> url_host(std::string_view url);

// True for "localhost", an address in 127.0.0.0/8 and ::1 (bracketed or not): a relay on the
// same machine. A name that merely starts with "127." is not one, nor is any other spelling
// of a loopback address (::ffff:127.0.0.1): unknown cases fall on the safe side, TLS required.
bool is_loopback_host(std::string_view host);

struct SmtpSettings {
  // smtp://host[:port][/ehlo-name] or smtps://host[:port]. With smtp:// the connection must be
  // upgraded by STARTTLS before anything is sent (CURLUSESSL_ALL), except to a loopback host: a
  // local relay (postfix on the same machine) is reached in plain text, never leaves the host,
  // and takes over TLS for the next hop. smtps:// is TLS from the first byte. Certificates are
  // verified against the system's CA store.
  std::string url;
  std::string user;           // empty: no AUTH
  std::string password;       // read from notify.smtp_password_file
  std::string envelope_from;  // MAIL FROM, a bare address
  long timeout_ms = 60'000;   // the whole exchange
};

// Sends one message composed by compose_email to `recipient` (RCPT TO). A 550/551/553 answer
// (the relay refuses the recipient for good) is validation_failed; anything else unavailable.
[[nodiscard]] core::Status send_email(const SmtpSettings& settings, std::string_view recipient,
                                      std::string_view message);

struct SmsSettings {
  // https://... (http:// only to a loopback host: the bearer token must not cross a network
  // in clear).
  std::string url;
  std::string token;  // "Authorization: Bearer <token>"; empty: no Authorization header
  long timeout_ms = 15'000;
};

// POSTs {"to":"+62...","text":"..."} as JSON. A 2xx answer is success; 4xx other than 401, 403,
// 408 and 429 (the gateway refuses this message) is validation_failed; anything else
// (unreachable, 5xx, a token the gateway does not take) unavailable.
[[nodiscard]] core::Status send_sms(const SmsSettings& settings, std::string_view to,
                                    std::string_view text);

}  // namespace balai::notify
