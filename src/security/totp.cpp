#include "security/totp.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>
#include <string>

namespace balai::security {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int64_t kStepMillis = kTotpStepSeconds * 1000;

// liboath keeps global crypto state that must be set up once before the first HMAC, and
// oath_init itself is not safe to race.
void ensure_oath() {
  static std::once_flag once;
  std::call_once(once, [] {
    // An exception leaves the flag unset, so the next call tries again.
    if (oath_init() != OATH_OK) throw std::runtime_error("liboath could not initialise");
  });
}

// Value of one base32 character (either case), or -1.
int base32_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void append_percent_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
}

// A code as a fixed-size NUL-terminated buffer, wiped when it goes away: the codes of the steps
// around now are as good as the secret for the next minute.
struct CodeBuffer {
  std::array<char, kTotpDigits + 1> text{};
  ~CodeBuffer() { sodium_memzero(text.data(), text.size()); }
};

void compute_code(std::span<const uint8_t> secret, int64_t step, CodeBuffer& out) {
  ensure_oath();
  // TOTP is HOTP with the step as the moving factor (RFC 6238 section 4.2); giving liboath the
  // step rather than a time_t keeps the step arithmetic, and its tests, in one place.
  const int rc = oath_hotp_generate(reinterpret_cast<const char*>(secret.data()), secret.size(),
                                    static_cast<uint64_t>(step), kTotpDigits, false,
                                    OATH_HOTP_DYNAMIC_TRUNCATION, out.text.data());
  if (rc != OATH_OK) throw std::runtime_error("liboath could not compute a TOTP code");
}

}  // namespace

std::vector<uint8_t> generate_totp_secret() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  std::vector<uint8_t> secret(kTotpSecretBytes);
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string base32_encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kBase32Alphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

std::optional<std::vector<uint8_t>> base32_decode(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text)
    if (c != ' ') compact.push_back(c);

  const size_t data_chars = compact.find_last_not_of('=') + 1;  // npos + 1 == 0: all padding
  const size_t padding = compact.size() - data_chars;
  if (padding > 0 && (compact.size() % 8 != 0 || padding >= 8)) return std::nullopt;
  // 8 characters carry 5 bytes; a final group of 1, 3 or 6 characters would leave 5 or more
  // bits past the last whole byte, a character no encoder writes.
  const size_t tail = data_chars % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;

  std::vector<uint8_t> out;
  out.reserve(data_chars * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < data_chars; ++i) {
    const int value = base32_value(compact[i]);  // also rejects '=' before the data ends
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  return out;
}

int64_t totp_step(core::Timestamp at) {
  int64_t step = at.ms / kStepMillis;
  if (at.ms % kStepMillis < 0) --step;  // C++ division truncates towards zero
  return step;
}

std::string totp_code(std::span<const uint8_t> secret, int64_t step) {
  if (secret.empty()) throw std::invalid_argument("a TOTP secret must not be empty");
  if (step < 0) throw std::invalid_argument("a TOTP step must not be negative");
  CodeBuffer code;
  compute_code(secret, step, code);
  return std::string(code.text.data(), kTotpDigits);
}

std::optional<int64_t> verify_totp(std::span<const uint8_t> secret, std::string_view code,
                                   core::Timestamp now, int64_t last_used_step, int window) {
  if (secret.empty()) return std::nullopt;
  CodeBuffer typed;
  size_t digits = 0;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || digits == kTotpDigits) return std::nullopt;
    typed.text[digits++] = c;
  }
  if (digits != kTotpDigits) return std::nullopt;

  const int64_t now_step = totp_step(now);
  const int64_t reach = std::max(window, 0);
  std::optional<int64_t> matched;
  for (int64_t step = now_step - reach; step <= now_step + reach; ++step) {
    // Skipping steps already used leaks nothing: the last used step is not a secret.
    if (step < 0 || step <= last_used_step) continue;
    CodeBuffer expected;
    compute_code(secret, step, expected);
    if (sodium_memcmp(expected.text.data(), typed.text.data(), kTotpDigits) == 0) matched = step;
  }
  return matched;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account_label,
                        std::span<const uint8_t> secret) {
  std::string uri = "otpauth://totp/";
  append_percent_encoded(uri, issuer);
  uri.push_back(':');
  append_percent_encoded(uri, account_label);
  uri += "?secret=";
  uri += base32_encode(secret);
  uri += "&issuer=";
  append_percent_encoded(uri, issuer);
  uri += "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
  return uri;
}

}  // namespace balai::security
