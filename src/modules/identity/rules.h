#pragma once
// The identity module's pure rules: what a registration must satisfy (the NIK agrees with the
// birth date and sex; the address is a real village), one-time codes, consents, and the legal
// deadline of data requests. No database, no clock (times are passed in).

#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "modules/identity/model.h"
#include "modules/regions/directory.h"

namespace balai::identity::rules {

// Checks every field of a registration and reports all problems at once (validation_failed,
// one entry per field: "required", "invalid", "does_not_match_nik", "unknown_region", ...).
// The password is only checked for presence here; the password policy runs when the account is
// prepared (it needs the common-password list).
[[nodiscard]] core::Result<CheckedRegistration> check_registration(
    const RegistrationForm& form, const regions::Directory& regions, core::Date today);

// "YYYY-MM-DD" -> a real date; nullopt otherwise.
std::optional<core::Date> parse_date(std::string_view text);
std::string format_date(core::Date date);

// A person's name: 1..100 characters after trimming, valid UTF-8, letters, spaces and
// the marks names carry (. , ' -); runs of spaces collapsed. nullopt when not acceptable.
std::optional<std::string> normalize_full_name(std::string_view text);

// An email address as registered: trimmed, lower-case, one '@' with a dotted domain after it,
// no spaces or list separators, at most 254 characters. nullopt when not acceptable.
std::optional<std::string> normalize_email(std::string_view text);

// One-time codes: six digits; compared in constant time by digest (see service).
constexpr int kCodeDigits = 6;
bool looks_like_code(std::string_view text);

// Consent purposes a person can give or withdraw (UU 27/2022 art. 20-22: specific, informed).
std::span<const std::string_view> consent_purposes();
bool is_consent_purpose(std::string_view purpose);

// Data requests are due 3 x 24 hours after they are made (UU 27/2022 art. 32-34 as applied in
// the city's service standard).
constexpr int64_t kDataRequestHours = 72;
core::Timestamp data_request_due(core::Timestamp created_at);
// Whether a request was (or, while open, still can be) handled within its deadline.
bool handled_in_time(const DataRequest& request, core::Timestamp now);

// Why an officer may reject an identity (shown to the citizen through i18n).
std::span<const std::string_view> rejection_reasons();
bool is_rejection_reason(std::string_view reason);

// Data request details and outcomes: 1..2000 characters, valid UTF-8.
constexpr size_t kMaxRequestText = 2000;
bool acceptable_request_text(std::string_view text);

}  // namespace balai::identity::rules
