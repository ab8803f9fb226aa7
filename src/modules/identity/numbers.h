#pragma once
// Indonesian identity numbers, as pure rules (no database, no clock: "today" is passed in).
// nik: Nomor Induk Kependudukan, the 16-digit population number on the KTP (identity card).
// kk: Nomor Kartu Keluarga, the 16-digit family card number.
// npwp: Nomor Pokok Wajib Pajak, the taxpayer number (15-digit old form, 16-digit new form).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "modules/regions/directory.h"

namespace balai::identity {

enum class Sex { female, male };
// "female" / "male".
std::string_view to_string(Sex sex);
// "female"/"male", or the KTP's "P" (perempuan) / "L" (laki-laki); nullopt otherwise.
std::optional<Sex> parse_sex(std::string_view text);

// What a NIK says about its holder.
struct NikFacts {
  std::string district_code;  // dotted Kemendagri code of the district, e.g. "35.77.01"
  core::Date birth_date;
  Sex sex = Sex::male;
  int serial = 0;  // 1..9999
};

// Parses a NIK: exactly 16 ASCII digits (spaces and dots a person may type are removed first);
// digits 1-6 a district that exists in `regions`; digits 7-12 the birth date DDMMYY, 40 added
// to the day for women, a real calendar date; the two-digit year resolves to the latest century
// in which the date is not after `today` (born "010110" is 2010 while today is 2026, "010185"
// is 1985); digits 13-16 a serial other than 0000. validation_failed with field "nik" set to a
// machine reason (missing, not_digits, wrong_length, unknown_region, invalid_date, zero_serial)
// and a message saying which part is wrong. Messages never contain the number (personal data).
[[nodiscard]] core::Result<NikFacts> parse_nik(std::string_view text,
                                               const regions::Directory& regions, core::Date today);

// What a KK number says.
struct KkFacts {
  std::string district_code;  // dotted district code (digits 1-6)
  core::Date issued;          // digits 7-12, DDMMYY, the date the card was registered
  int serial = 0;             // digits 13-16, >= 1
};

// Parses a KK number: 16 digits (spaces and dots removed), a known district, a real
// registration date not after `today` (the two-digit year resolves to the latest century in
// which the date is not after `today`, as for a NIK), a serial of at least 1.
// validation_failed with field "kk" set to the same reasons as parse_nik's.
[[nodiscard]] core::Result<KkFacts> parse_kk(std::string_view text,
                                             const regions::Directory& regions, core::Date today);

// Normalises an NPWP: the old 15-digit form (dots, dashes and spaces allowed,
// "01.855.081.4-412.000": the 9th digit is a Luhn check digit, so digits 1-9 together pass the
// Luhn check) or the 16-digit form (a resident's NIK, checked with parse_nik, or "0" followed
// by a valid old form). Returns the 16 digits without separators. validation_failed with field
// "npwp": missing, not_digits, wrong_length, check_digit, or parse_nik's reason.
[[nodiscard]] core::Result<std::string> normalize_npwp(std::string_view text,
                                                       const regions::Directory& regions,
                                                       core::Date today);

// Normalises an Indonesian mobile or landline number to E.164 "+62...": accepts "08..",
// "628..", "+62 8..", "0062 8..", "(021) 555-1234", with spaces, dots, dashes, slashes and
// parentheses; 8 to 13 national digits after the leading zero, starting with an area code or
// mobile prefix (2-9). validation_failed with field "phone": missing, not_digits (letters or
// other characters), other_country, missing_prefix, invalid_prefix, wrong_length.
[[nodiscard]] core::Result<std::string> normalize_phone(std::string_view text);

}  // namespace balai::identity
