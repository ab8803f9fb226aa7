#include "modules/identity/rules.h"

#include <array>
#include <cctype>

#include "core/text.h"

namespace balai::identity {

std::string_view to_string(Assurance a) {
  switch (a) {
    case Assurance::unverified:
      return "unverified";
    case Assurance::pending:
      return "pending";
    case Assurance::verified:
      return "verified";
    case Assurance::rejected:
      return "rejected";
  }
  return "unverified";
}

std::optional<Assurance> parse_assurance(std::string_view text) {
  for (Assurance a :
       {Assurance::unverified, Assurance::pending, Assurance::verified, Assurance::rejected})
    if (to_string(a) == text) return a;
  return std::nullopt;
}

std::string_view to_string(CodePurpose p) {
  switch (p) {
    case CodePurpose::confirm_email:
      return "confirm_email";
    case CodePurpose::confirm_phone:
      return "confirm_phone";
    case CodePurpose::reset_password:
      return "reset_password";
    case CodePurpose::change_email:
      return "change_email";
  }
  return "confirm_email";
}

std::optional<CodePurpose> parse_code_purpose(std::string_view text) {
  for (CodePurpose p : {CodePurpose::confirm_email, CodePurpose::confirm_phone,
                        CodePurpose::reset_password, CodePurpose::change_email})
    if (to_string(p) == text) return p;
  return std::nullopt;
}

std::string_view to_string(DataRequestKind k) {
  switch (k) {
    case DataRequestKind::correction:
      return "correction";
    case DataRequestKind::deletion:
      return "deletion";
    case DataRequestKind::restriction:
      return "restriction";
  }
  return "correction";
}

std::optional<DataRequestKind> parse_data_request_kind(std::string_view text) {
  for (DataRequestKind k :
       {DataRequestKind::correction, DataRequestKind::deletion, DataRequestKind::restriction})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

std::string_view to_string(DataRequestStatus s) {
  switch (s) {
    case DataRequestStatus::open:
      return "open";
    case DataRequestStatus::done:
      return "done";
    case DataRequestStatus::refused:
      return "refused";
  }
  return "open";
}

namespace rules {
namespace {

constexpr std::array<std::string_view, 4> kConsentPurposes = {
    "notifications_email", "notifications_sms", "notifications_whatsapp", "service_statistics"};

constexpr std::array<std::string_view, 4> kRejectionReasons = {"photo_unreadable", "data_mismatch",
                                                               "not_identity_card", "other"};

bool digits_only(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::optional<core::Date> parse_date(std::string_view text) {
  text = core::trim(text);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!digits_only(text.substr(0, 4)) || !digits_only(text.substr(5, 2)) ||
      !digits_only(text.substr(8, 2)))
    return std::nullopt;
  core::Date d{std::stoi(std::string(text.substr(0, 4))), std::stoi(std::string(text.substr(5, 2))),
               std::stoi(std::string(text.substr(8, 2)))};
  if (!core::is_valid_date(d)) return std::nullopt;
  return d;
}

std::string format_date(core::Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::optional<std::string> normalize_full_name(std::string_view text) {
  text = core::trim(text);
  if (text.empty() || !core::is_valid_utf8(text)) return std::nullopt;
  std::string out;
  bool space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (c < 0x80 && !std::isalpha(c) && c != '.' && c != ',' && c != '\'' && c != '-')
      return std::nullopt;  // digits, symbols and control characters are not in names
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  if (core::utf8_length(out) > 100) return std::nullopt;
  return out;
}

core::Result<CheckedRegistration> check_registration(const RegistrationForm& form,
                                                     const regions::Directory& regions,
                                                     core::Date today) {
  core::Error invalid{core::ErrorCode::validation_failed, "Some fields need attention.", {}};
  CheckedRegistration out;

  std::optional<NikFacts> nik;
  if (core::trim(form.nik).empty()) {
    invalid.fields["nik"] = "required";
  } else if (auto parsed = parse_nik(form.nik, regions, today)) {
    nik = *parsed;
    for (char c : form.nik)
      if (c >= '0' && c <= '9') out.nik += c;
  } else {
    invalid.fields["nik"] =
        parsed.error().fields.contains("nik") ? parsed.error().fields.at("nik") : "invalid";
  }

  if (core::trim(form.full_name).empty()) {
    invalid.fields["full_name"] = "required";
  } else if (auto name = normalize_full_name(form.full_name)) {
    out.full_name = *name;
  } else {
    invalid.fields["full_name"] = "invalid";
  }

  if (core::trim(form.birth_date).empty()) {
    invalid.fields["birth_date"] = "required";
  } else if (auto date = parse_date(form.birth_date); !date || *date > today) {
    invalid.fields["birth_date"] = "invalid";
  } else {
    out.birth_date = *date;
    if (nik && nik->birth_date != *date) invalid.fields["birth_date"] = "does_not_match_nik";
  }

  if (core::trim(form.sex).empty()) {
    invalid.fields["sex"] = "required";
  } else if (auto sex = parse_sex(core::trim(form.sex))) {
    out.sex = *sex;
    if (nik && nik->sex != *sex) invalid.fields["sex"] = "does_not_match_nik";
  } else {
    invalid.fields["sex"] = "invalid";
  }

  const std::string_view street = core::trim(form.street);
  if (street.empty()) {
    invalid.fields["street"] = "required";
  } else if (!core::is_valid_utf8(street) || core::utf8_length(street) > 200 ||
             street.find_first_of("\r\n") != std::string_view::npos) {
    invalid.fields["street"] = "invalid";
  } else {
    out.street = std::string(street);
  }

  const std::string_view village = core::trim(form.village_code);
  const regions::Region* region = village.empty() ? nullptr : regions.find(village);
  if (village.empty()) {
    invalid.fields["village_code"] = "required";
  } else if (!region || region->level != regions::Level::village) {
    invalid.fields["village_code"] = "unknown_region";
  } else {
    out.village_code = region->code;
  }

  if (core::trim(form.phone).empty()) {
    invalid.fields["phone"] = "required";
  } else if (auto phone = normalize_phone(form.phone)) {
    out.phone = *phone;
  } else {
    invalid.fields["phone"] = "invalid";
  }

  if (core::trim(form.email).empty()) {
    invalid.fields["email"] = "required";
  } else if (auto email = normalize_email(form.email)) {
    out.email = *email;
  } else {
    invalid.fields["email"] = "invalid";
  }

  if (form.password.empty()) invalid.fields["password"] = "required";

  if (!invalid.fields.empty()) return invalid;
  return out;
}

std::optional<std::string> normalize_email(std::string_view text) {
  const std::string email = core::ascii_lower(core::trim(text));
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= email.size() || email.size() > 254 ||
      email.find_first_of(" \t\r\n,;<>") != std::string::npos ||
      email.find('.', at) == std::string::npos)
    return std::nullopt;
  return email;
}

bool looks_like_code(std::string_view text) {
  return text.size() == kCodeDigits && digits_only(text);
}

std::span<const std::string_view> consent_purposes() {
  return kConsentPurposes;
}

bool is_consent_purpose(std::string_view purpose) {
  for (auto p : kConsentPurposes)
    if (p == purpose) return true;
  return false;
}

core::Timestamp data_request_due(core::Timestamp created_at) {
  return core::Timestamp{created_at.ms + kDataRequestHours * 3'600'000};
}

bool handled_in_time(const DataRequest& request, core::Timestamp now) {
  const core::Timestamp end = request.handled_at.value_or(now);
  return end.ms <= request.due_at.ms;
}

std::span<const std::string_view> rejection_reasons() {
  return kRejectionReasons;
}

bool is_rejection_reason(std::string_view reason) {
  for (auto r : kRejectionReasons)
    if (r == reason) return true;
  return false;
}

bool acceptable_request_text(std::string_view text) {
  text = core::trim(text);
  return !text.empty() && text.size() <= kMaxRequestText && core::is_valid_utf8(text);
}

}  // namespace rules
}  // namespace balai::identity
