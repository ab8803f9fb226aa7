#include "modules/notify/rules.h"

#include <algorithm>

#include "core/text.h"

namespace balai::notify {
namespace {

constexpr int64_t kFirstRetryMs = 30'000;
constexpr int64_t kLongestRetryMs = 3'600'000;

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// A character that may appear in an address: printable ASCII, minus what would end an address
// in a header or a command, or open a comment, a quoted string or a group.
bool is_address_char(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::string_view("<>()[],;:\"\\@").find(c) == std::string_view::npos;
}

// A subject is one line of text: no control character at all (a CR or LF would start a new
// header; a tab or an escape has no place in it either).
bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

}  // namespace

bool is_email_address(std::string_view address) {
  if (address.size() < 3 || address.size() > 254) return false;
  const size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (!std::all_of(local.begin(), local.end(), is_address_char)) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  // A domain: labels of letters, digits and hyphens, separated by single dots, at least two.
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos)
    return false;
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_ascii_digit(c) || c == '-' ||
           c == '.';
  });
}

bool is_phone_number(std::string_view number) {
  if (number.size() < 9 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
  return std::all_of(number.begin() + 1, number.end(), is_ascii_digit);
}

core::Status validate(const Message& message) {
  core::Error invalid{core::ErrorCode::validation_failed, "The message cannot be sent.", {}};
  if (message.to.empty()) {
    invalid.fields["to"] = "required";
  } else if (message.channel == Channel::email ? !is_email_address(message.to)
                                               : !is_phone_number(message.to)) {
    invalid.fields["to"] = "invalid";
  }

  if (!core::is_valid_utf8(message.subject) || has_control_character(message.subject) ||
      core::utf8_length(message.subject) > kMaxSubjectChars)
    invalid.fields["subject"] = "invalid";
  else if (message.channel == Channel::email && core::trim(message.subject).empty())
    invalid.fields["subject"] = "required";

  if (message.body.empty())
    invalid.fields["body"] = "required";
  else if (!core::is_valid_utf8(message.body))
    invalid.fields["body"] = "invalid";
  else if (message.channel == Channel::email ? message.body.size() > kMaxEmailBodyBytes
                                             : core::utf8_length(message.body) > kMaxSmsChars)
    invalid.fields["body"] = "too_long";

  const bool kind_ok =
      !message.kind.empty() && message.kind.size() <= kMaxKindBytes &&
      std::all_of(message.kind.begin(), message.kind.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || is_ascii_digit(c) || c == '.' || c == '_' || c == '-';
      });
  if (!kind_ok) invalid.fields["kind"] = message.kind.empty() ? "required" : "invalid";

  if (!invalid.fields.empty()) return invalid;
  return {};
}

int64_t retry_delay_ms(int failed_attempts) {
  if (failed_attempts <= 1) return kFirstRetryMs;
  int64_t delay = kFirstRetryMs;
  for (int i = 1; i < failed_attempts && delay < kLongestRetryMs; ++i) delay *= 2;
  return std::min(delay, kLongestRetryMs);
}

}  // namespace balai::notify
