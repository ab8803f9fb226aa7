#pragma once
// Pure rules of the console's agency and staff pages (and of `balai agency`): what an agency
// code is, which roles an administrator gives to staff, which of them need an agency, and how a
// staff member's email shows in a list. No I/O; unit-tested alone.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "security/actor.h"

namespace balai::console {

// Agency (OPD, organisasi perangkat daerah) codes: short, stable, part of URLs and scopes.
inline constexpr size_t kMinAgencyCodeLength = 2;
inline constexpr size_t kMaxAgencyCodeLength = 40;
// An agency's name, per language, in bytes (the catalog's limit).
inline constexpr size_t kMaxAgencyNameBytes = 200;

// True for 2 to 40 of [a-z0-9-], not starting or ending with '-' ("disdukcapil", "dinas-pu").
bool is_agency_code(std::string_view code);

// An agency as an administrator typed it (trimmed by the caller).
struct AgencyInput {
  std::string code;
  std::string name_id;  // Bahasa Indonesia
  std::string name_en;  // English
};

// Ok, or validation_failed naming each bad field: "code" (not an agency code), "name_id",
// "name_en" ("required" when empty and `english_required`, "too_long", "invalid" for control
// characters). The console asks for both names; the command line may leave English out.
[[nodiscard]] core::Status validate(const AgencyInput& agency, bool english_required);

// The roles given to people working for the city: officer, supervisor, admin, auditor. Any
// other text (citizen, device, integrator, "") is nullopt: those are not made here.
std::optional<security::Role> parse_staff_role(std::string_view text);

// Officers and supervisors work for one agency (the policy scopes them to it); administrators
// and auditors see across agencies.
bool needs_agency(security::Role role);

// An email as a list of staff shows it: the first two characters of the local part (one when it
// has two, none when it has one), "***", then the domain: "pe***@demo.balai.id". Only ASCII
// characters are kept from the local part. "***" when there is no '@'.
std::string mask_email(std::string_view email);

}  // namespace balai::console
