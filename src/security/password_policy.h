#pragma once
// The password policy (DESIGN.md, security model; NIST SP 800-63B 5.1.1.2, OWASP ASVS 2.1):
// 12 to 128 characters, not a common password, not built from the person's own data. No
// composition rules (no "one digit, one capital"): length and the blocklists do the work.
//
// Checked when a password is set (registration, change, reset), never at sign-in: a password
// that was accepted once keeps working.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/result.h"
#include "core/time.h"

namespace balai::security {

// Length bounds in code points, counted after normalize_password (spaces collapsed, ends
// trimmed).
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 128;

// Why a password was refused. The stable machine name (to_string) is what check_password puts
// in Error::fields["password"]; the UI translates it (e.g. "security.password.too_short"),
// while Error::message is a short English sentence for the API and the logs.
enum class PasswordProblem {
  invalid_text,            // not valid UTF-8, or holds a NUL
  too_short,               // fewer than kMinPasswordLength code points
  too_long,                // more than kMaxPasswordLength code points
  common,                  // in the common-password list
  contains_personal_data,  // holds the person's name, NIK, birth date, email or city
};

// "invalid_text", "too_short", "too_long", "common", "contains_personal_data".
std::string_view to_string(PasswordProblem problem);

// The list of passwords too common to allow (data/passwords/10k-most-common.txt and any local
// additions). Loaded once at start-up; immutable afterwards, so reads are thread-safe.
class CommonPasswords {
 public:
  // Reads a file of one password per line (LF or CRLF; blank lines ignored). Each entry is
  // normalised like a password and ASCII lower-cased. Blocking file I/O: start-up only. Fails
  // with not_found when the file cannot be read.
  [[nodiscard]] static core::Result<CommonPasswords> load(const std::string& path);

  // True when the normalised, ASCII lower-cased password is in the list ("Unbelievable" matches
  // "unbelievable").
  // Also true when the password is a listed word with only digits, spaces and punctuation
  // around it ("password1234", "Dragon!!2026"): the core must be at least 4 characters.
  bool contains(std::string_view password) const;

  // Adds another list's entries (the Indonesian list beside the English one). Start-up only.
  void merge(const CommonPasswords& other);

  size_t size() const { return entries_.size(); }

 private:
  std::unordered_set<std::string> entries_;  // normalised and ASCII lower-case
};

// What the policy knows about the person whose password it checks. Empty fields are skipped.
struct PersonalContext {
  std::string full_name;
  std::string nik;  // NIK (Nomor Induk Kependudukan): the 16-digit national identity number
  std::optional<core::Date> birth_date;
  std::string email;
  std::string city_name;  // "Kota Madiun", "Kabupaten Sleman"
};

// The first rule a password breaks, or nothing when it is acceptable. Rules, in order:
//  1. valid UTF-8 without NUL;
//  2. 12..128 code points after normalize_password;
//  3. not in `common` (compared ASCII lower-case);
//  4. does not contain, ASCII case-insensitively and ignoring the separators " -/._", any of
//     the following that is at least 4 characters long: the NIK; the email, or its local part;
//     the full name, or any word of it; the city name, or any word of it other than "Kota" and
//     "Kabupaten"; the birth date as YYYYMMDD, DDMMYYYY or DDMMYY (so YYYY-MM-DD, DD-MM-YYYY and
//     DD/MM/YYYY are caught too). Words are runs of letters; "Sri" or "Nur" is too short to
//     count, "Budi" is not.
// Letters outside ASCII are compared as they are (no Unicode case folding). Pure and thread-safe.
std::optional<PasswordProblem> find_password_problem(std::string_view password,
                                                     const PersonalContext& who,
                                                     const CommonPasswords& common);

// find_password_problem as a Status: validation_failed with fields{"password": to_string(problem)}
// and a short English message.
[[nodiscard]] core::Status check_password(std::string_view password, const PersonalContext& who,
                                          const CommonPasswords& common);

}  // namespace balai::security
