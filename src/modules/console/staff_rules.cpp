#include "modules/console/staff_rules.h"

#include "core/text.h"

namespace balai::console {
namespace {

bool has_control_character(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

void check_name(std::string_view name, bool required, const char* field, core::Error& e) {
  if (name.empty()) {
    if (required) e.fields[field] = "required";
  } else if (name.size() > kMaxAgencyNameBytes) {
    e.fields[field] = "too_long";
  } else if (!core::is_valid_utf8(name) || has_control_character(name)) {
    e.fields[field] = "invalid";
  }
}

}  // namespace

bool is_agency_code(std::string_view code) {
  if (code.size() < kMinAgencyCodeLength || code.size() > kMaxAgencyCodeLength) return false;
  if (code.front() == '-' || code.back() == '-') return false;
  for (char c : code)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

core::Status validate(const AgencyInput& agency, bool english_required) {
  core::Error e{core::ErrorCode::validation_failed, "The agency is not valid.", {}};
  if (!is_agency_code(agency.code)) e.fields["code"] = "invalid";
  check_name(agency.name_id, true, "name_id", e);
  check_name(agency.name_en, english_required, "name_en", e);
  if (!e.fields.empty()) return e;
  return {};
}

std::optional<security::Role> parse_staff_role(std::string_view text) {
  const auto role = security::parse_role(text);
  if (!role || !security::is_staff(*role)) return std::nullopt;
  return role;
}

bool needs_agency(security::Role role) {
  return role == security::Role::officer || role == security::Role::supervisor;
}

std::string mask_email(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return "***";
  const std::string_view local = email.substr(0, at);
  const size_t keep = local.size() > 2 ? 2 : local.size() == 2 ? 1 : 0;
  std::string out;
  for (size_t i = 0; i < keep && static_cast<unsigned char>(local[i]) < 0x80; ++i) {
    if (has_control_character(local.substr(i, 1))) break;
    out += local[i];
  }
  out += "***";
  out += email.substr(at);
  return out;
}

}  // namespace balai::console
