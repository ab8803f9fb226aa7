#include "security/password_policy.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <vector>

#include "core/text.h"
#include "security/passwords.h"

namespace balai::security {
namespace {

// Personal data shorter than this is too weak a signal to refuse a password for ("Sri", "Nur").
constexpr size_t kMinPersonalTokenLength = 4;

bool is_separator(char c) {
  return c == ' ' || c == '-' || c == '/' || c == '.' || c == '_';
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// ASCII lower-case with the separators removed: the form in which personal data is looked for,
// so "3201-0101" and "01/02/1990" hide nothing.
std::string squeeze(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : core::ascii_lower(text))
    if (!is_separator(c)) out.push_back(c);
  return out;
}

// Runs of letters (ASCII letters, and any non-ASCII code point, so "Nurhayati" and "Süleyman"
// stay whole); everything else in ASCII separates words.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const bool letter = i < text.size() &&
                        (is_ascii_letter(text[i]) || static_cast<unsigned char>(text[i]) >= 0x80);
    if (letter) continue;
    if (i > start) out.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  return out;
}

std::string two_digits(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", n % 100);
  return buf;
}

std::string four_digits(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d", n);
  return buf;
}

// Everything from `who` the password must not contain, squeezed.
std::vector<std::string> personal_tokens(const PersonalContext& who) {
  std::vector<std::string> out;
  out.push_back(squeeze(who.nik));
  const std::string email = squeeze(core::trim(who.email));
  out.push_back(email);
  if (auto at = email.find('@'); at != std::string::npos) out.push_back(email.substr(0, at));
  out.push_back(squeeze(who.full_name));
  for (auto w : words(who.full_name)) out.push_back(squeeze(w));
  out.push_back(squeeze(who.city_name));
  for (auto w : words(who.city_name)) {
    std::string word = squeeze(w);
    if (word != "kota" && word != "kabupaten") out.push_back(std::move(word));
  }
  if (who.birth_date) {
    const auto& d = *who.birth_date;
    const std::string yyyy = four_digits(d.year), mm = two_digits(d.month), dd = two_digits(d.day);
    out.push_back(yyyy + mm + dd);
    out.push_back(dd + mm + yyyy);
    out.push_back(dd + mm + two_digits(d.year));
  }
  std::erase_if(
      out, [](const std::string& t) { return core::utf8_length(t) < kMinPersonalTokenLength; });
  return out;
}

std::string_view message_for(PasswordProblem problem) {
  switch (problem) {
    case PasswordProblem::invalid_text:
      return "the password is not valid text";
    case PasswordProblem::too_short:
      return "the password must be at least 12 characters";
    case PasswordProblem::too_long:
      return "the password must be at most 128 characters";
    case PasswordProblem::common:
      return "the password is too common";
    case PasswordProblem::contains_personal_data:
      return "the password must not contain your name, NIK, birth date, email or city";
  }
  return "the password is not allowed";
}

}  // namespace

std::string_view to_string(PasswordProblem problem) {
  switch (problem) {
    case PasswordProblem::invalid_text:
      return "invalid_text";
    case PasswordProblem::too_short:
      return "too_short";
    case PasswordProblem::too_long:
      return "too_long";
    case PasswordProblem::common:
      return "common";
    case PasswordProblem::contains_personal_data:
      return "contains_personal_data";
  }
  return "invalid_text";
}

core::Result<CommonPasswords> CommonPasswords::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return core::make_error(core::ErrorCode::not_found,
                            "cannot read the common-password list " + path);
  CommonPasswords out;
  std::string line;
  while (std::getline(in, line)) {
    std::string entry = core::ascii_lower(normalize_password(line));  // also drops a CR
    if (!entry.empty()) out.entries_.insert(std::move(entry));
  }
  if (in.bad())
    return core::make_error(core::ErrorCode::not_found,
                            "cannot read the common-password list " + path);
  return out;
}

void CommonPasswords::merge(const CommonPasswords& other) {
  entries_.insert(other.entries_.begin(), other.entries_.end());
}

bool CommonPasswords::contains(std::string_view password) const {
  const std::string lowered = core::ascii_lower(normalize_password(password));
  if (entries_.contains(lowered)) return true;
  // "password1234", "!!dragon2026!!": the list's words dressed up with digits and symbols at
  // the ends are what people do to pass a length rule, and guessers try them first.
  const auto decoration = [](char c) {
    return (c >= '0' && c <= '9') || c == ' ' || (std::ispunct(static_cast<unsigned char>(c)) != 0);
  };
  size_t begin = 0;
  size_t end = lowered.size();
  while (begin < end && decoration(lowered[begin])) ++begin;
  while (end > begin && decoration(lowered[end - 1])) --end;
  if (end - begin < 4 || (begin == 0 && end == lowered.size())) return false;
  return entries_.contains(lowered.substr(begin, end - begin));
}

std::optional<PasswordProblem> find_password_problem(std::string_view password,
                                                     const PersonalContext& who,
                                                     const CommonPasswords& common) {
  if (!core::is_valid_utf8(password)) return PasswordProblem::invalid_text;
  const std::string normalised = normalize_password(password);
  const size_t length = core::utf8_length(normalised);
  if (length < kMinPasswordLength) return PasswordProblem::too_short;
  if (length > kMaxPasswordLength) return PasswordProblem::too_long;
  if (common.contains(normalised)) return PasswordProblem::common;
  const std::string haystack = squeeze(normalised);
  for (const auto& token : personal_tokens(who))
    if (haystack.find(token) != std::string::npos) return PasswordProblem::contains_personal_data;
  return std::nullopt;
}

core::Status check_password(std::string_view password, const PersonalContext& who,
                            const CommonPasswords& common) {
  const auto problem = find_password_problem(password, who, common);
  if (!problem) return {};
  core::Error e{core::ErrorCode::validation_failed, std::string(message_for(*problem)), {}};
  e.fields["password"] = std::string(to_string(*problem));
  return e;
}

}  // namespace balai::security
