#include "modules/identity/numbers.h"

#include <utility>

namespace balai::identity {
namespace {

// Error messages name the part of the number that is wrong, never the number itself (a NIK is
// personal data and messages end up in logs).
core::Error invalid(std::string_view field, std::string_view reason, std::string message) {
  core::Error e{core::ErrorCode::validation_failed, std::move(message), {}};
  e.fields.emplace(field, reason);
  return e;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
  for (char c : text)
    if (!is_digit(c)) return false;
  return true;
}

// The value of `n` ASCII digits at `pos` (the caller checked they are digits).
int number_at(std::string_view digits, size_t pos, size_t n) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) value = value * 10 + (digits[i] - '0');
  return value;
}

// `text` without the characters in `separators`.
std::string without(std::string_view text, std::string_view separators) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (separators.find(c) == std::string_view::npos) out.push_back(c);
  return out;
}

// A two-digit year as the latest year ending in those digits whose date is not after `today`.
// Precondition: 1 <= month <= 12, 1 <= day <= 31 (the date may still be impossible).
core::Date in_latest_century(int two_digit_year, int month, int day, core::Date today) {
  core::Date date{today.year - today.year % 100 + two_digit_year, month, day};
  if (date > today) date.year -= 100;
  return date;
}

// Checks the parts a NIK and a KK share: 16 digits once spaces and dots are removed, and a
// known district in digits 1-6. Returns the 16 digits. `label` names the number in messages.
core::Result<std::string> sixteen_digits_in_a_district(std::string_view text,
                                                       const regions::Directory& regions,
                                                       std::string_view field,
                                                       std::string_view label) {
  std::string digits = without(text, " .");
  if (digits.empty()) return invalid(field, "missing", std::string(label) + " is required");
  if (!all_digits(digits))
    return invalid(field, "not_digits", std::string(label) + " may contain only digits");
  if (digits.size() != 16)
    return invalid(field, "wrong_length", std::string(label) + " must have exactly 16 digits");
  const std::string district =
      regions::district_code_from_digits(std::string_view(digits).substr(0, 6));
  const regions::Region* region = regions.find(district);
  if (region == nullptr || region->level != regions::Level::district)
    return invalid(
        field, "unknown_region",
        "the first six digits of " + std::string(label) + " are not a known district code");
  return digits;
}

// True when the nine digits (eight plus a check digit) pass the Luhn check.
bool passes_luhn(std::string_view nine_digits) {
  int sum = 0;
  for (size_t i = 0; i < nine_digits.size(); ++i) {
    int d = nine_digits[nine_digits.size() - 1 - i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

}  // namespace

std::string_view to_string(Sex sex) {
  return sex == Sex::female ? "female" : "male";
}

std::optional<Sex> parse_sex(std::string_view text) {
  if (text == "female" || text == "P" || text == "p") return Sex::female;
  if (text == "male" || text == "L" || text == "l") return Sex::male;
  return std::nullopt;
}

core::Result<NikFacts> parse_nik(std::string_view text, const regions::Directory& regions,
                                 core::Date today) {
  auto digits = sixteen_digits_in_a_district(text, regions, "nik", "the NIK");
  if (!digits) return digits.take_error();
  const std::string_view d = *digits;

  NikFacts facts;
  facts.district_code = regions::district_code_from_digits(d.substr(0, 6));
  int day = number_at(d, 6, 2);
  const int month = number_at(d, 8, 2);
  facts.sex = day > 40 ? Sex::female : Sex::male;
  if (day > 40) day -= 40;
  const core::Date birth = in_latest_century(number_at(d, 10, 2), month, day, today);
  if (day < 1 || day > 31 || month < 1 || month > 12 || !core::is_valid_date(birth))
    return invalid("nik", "invalid_date",
                   "digits 7 to 12 of the NIK are not a birth date (DDMMYY, with 40 added to "
                   "the day for women)");
  facts.birth_date = birth;
  facts.serial = number_at(d, 12, 4);
  if (facts.serial == 0)
    return invalid("nik", "zero_serial", "the last four digits of the NIK must not be 0000");
  return facts;
}

core::Result<KkFacts> parse_kk(std::string_view text, const regions::Directory& regions,
                               core::Date today) {
  auto digits = sixteen_digits_in_a_district(text, regions, "kk", "the KK number");
  if (!digits) return digits.take_error();
  const std::string_view d = *digits;

  KkFacts facts;
  facts.district_code = regions::district_code_from_digits(d.substr(0, 6));
  const int day = number_at(d, 6, 2);
  const int month = number_at(d, 8, 2);
  const core::Date issued = in_latest_century(number_at(d, 10, 2), month, day, today);
  if (day < 1 || day > 31 || month < 1 || month > 12 || !core::is_valid_date(issued))
    return invalid("kk", "invalid_date",
                   "digits 7 to 12 of the KK number are not a registration date (DDMMYY)");
  facts.issued = issued;
  facts.serial = number_at(d, 12, 4);
  if (facts.serial == 0)
    return invalid("kk", "zero_serial", "the last four digits of the KK number must not be 0000");
  return facts;
}

core::Result<std::string> normalize_npwp(std::string_view text, const regions::Directory& regions,
                                         core::Date today) {
  const std::string digits = without(text, " .-");
  if (digits.empty()) return invalid("npwp", "missing", "the NPWP is required");
  if (!all_digits(digits))
    return invalid("npwp", "not_digits",
                   "the NPWP may contain only digits, dots, dashes and spaces");
  std::string_view old_form;
  if (digits.size() == 15) {
    old_form = digits;
  } else if (digits.size() == 16 && digits.front() == '0') {
    old_form = std::string_view(digits).substr(1);
  } else if (digits.size() == 16) {
    // A resident's NPWP is their NIK.
    auto nik = parse_nik(digits, regions, today);
    if (!nik) {
      core::Error e = nik.take_error();
      const std::string reason = e.fields["nik"];
      return invalid("npwp", reason, "the 16-digit NPWP is not a valid NIK: " + e.message);
    }
    return digits;
  } else {
    return invalid("npwp", "wrong_length", "the NPWP must have 15 or 16 digits");
  }
  if (!passes_luhn(old_form.substr(0, 9)))
    return invalid("npwp", "check_digit",
                   "the ninth digit of the NPWP does not match the first eight (check digit)");
  return "0" + std::string(old_form);
}

core::Result<std::string> normalize_phone(std::string_view text) {
  // Separators people write; anything else but digits and one leading '+' is refused.
  std::string compact = without(text, " .-()/\t");
  if (compact.empty()) return invalid("phone", "missing", "the phone number is required");
  const bool plus = compact.front() == '+';
  if (plus) compact.erase(0, 1);
  if (!all_digits(compact))
    return invalid("phone", "not_digits",
                   "the phone number may contain only digits, spaces, dots, dashes, parentheses "
                   "and a leading +");

  std::string_view national = compact;
  if (plus || national.starts_with("00")) {
    if (!plus) national.remove_prefix(2);  // 00 is the international call prefix
    if (!national.starts_with("62"))
      return invalid("phone", "other_country", "only Indonesian (+62) numbers are accepted");
    national.remove_prefix(2);
    if (national.starts_with("0")) national.remove_prefix(1);  // "+62 (0)812 ..."
  } else if (national.starts_with("62")) {
    national.remove_prefix(2);
  } else if (national.starts_with("0")) {
    national.remove_prefix(1);
  } else {
    return invalid("phone", "missing_prefix",
                   "the phone number must start with 0, 62 or +62 (e.g. 0812 or 021)");
  }
  // Area codes and mobile prefixes start with 2 to 9 (021, 0361, 08xx).
  if (national.empty() || national.front() < '2')
    return invalid("phone", "invalid_prefix",
                   "the phone number does not start with an Indonesian area code or mobile prefix");
  if (national.size() < 8 || national.size() > 13)
    return invalid("phone", "wrong_length",
                   "the phone number must have 8 to 13 digits after the leading 0");
  return "+62" + std::string(national);
}

}  // namespace balai::identity
