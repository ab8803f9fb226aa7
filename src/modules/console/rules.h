#pragma once
// Pure rules of the administrators' console: what counts as a recent sign-in, how a page number
// or an expiry typed into a form is read, what state an API token is in. No I/O; unit-tested
// alone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "security/actor.h"
#include "security/api_tokens.h"

namespace balai::console {

// How long a proof of the password (and TOTP) counts for a sensitive action such as creating
// an API token (OWASP ASVS V3.7: re-authenticate before sensitive transactions).
inline constexpr int64_t kRecentAuthenticationMs = 15 * 60 * 1000;

// True when `actor` last proved who they are less than kRecentAuthenticationMs before `now`.
// A proof stamped later than `now` (clocks of two instances a little apart) counts as recent.
bool recently_authenticated(const security::Actor& actor, core::Timestamp now);

// Security events on one page of the console's list.
inline constexpr int kEventsPerPage = 50;
// Pages beyond this are refused as 1 (the offset would only scan the table for nothing).
inline constexpr int kMaxEventPage = 10'000;

// The page of "?halaman=": 1 when absent, not a decimal number, below 1 or above kMaxEventPage.
int page_number(std::optional<std::string_view> text);

enum class TokenStatus { active, expired, revoked };
// Revoked wins over expired: a revoked token stays revoked whatever its end date.
TokenStatus token_status(const security::ApiToken& token, core::Timestamp now);
std::string_view to_string(TokenStatus status);

// "Valid for how many days" from a form: nullopt when left empty (never expires),
// validation_failed (field "expires") when it is not a whole number from 1 to 3650.
[[nodiscard]] core::Result<std::optional<int>> parse_expires_days(std::string_view text);

// Where a form of the events list sends the browser back to: `candidate` when it is a path of
// the events list made only of characters a filter link uses, `fallback` otherwise (so a forged
// field can neither leave the site nor inject a header).
std::string events_return_path(std::string_view candidate, std::string_view fallback);

}  // namespace balai::console
