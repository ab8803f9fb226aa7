#include "modules/notify/email.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "modules/notify/rules.h"

namespace balai::notify {
namespace {

constexpr size_t kMaxLine = 76;
constexpr std::string_view kWordStart = "=?UTF-8?Q?";
constexpr std::string_view kWordEnd = "?=";
constexpr size_t kMaxWord = 75;  // RFC 2047 section 2
constexpr char kHex[] = "0123456789ABCDEF";

void append_hex(std::string& out, unsigned char c) {
  out += '=';
  out += kHex[c >> 4];
  out += kHex[c & 0x0f];
}

// What a Q-encoded word may carry as itself. The set RFC 2047 (section 5, rule 3) allows in a
// phrase, the strictest place a word can stand, so one encoder serves Subject and From alike.
bool is_q_literal(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
         c == '*' || c == '+' || c == '-' || c == '/';
}

// One character (a whole UTF-8 sequence) in Q encoding.
std::string q_encode(std::string_view character) {
  std::string out;
  for (char ch : character) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ')
      out += '_';
    else if (is_q_literal(c))
      out += ch;
    else
      append_hex(out, c);
  }
  return out;
}

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// A display name that can stand in a header as plain words (RFC 5322 atext and spaces).
bool is_plain_phrase(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view(" !#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
  });
}

std::string encoded_words(std::string_view text, size_t used) {
  std::string out;
  std::string word;    // payload of the word being built
  size_t line = used;  // characters on the current output line
  const auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) {
      out += "\r\n ";
      line = 1;
    }
    out += kWordStart;
    out += word;
    out += kWordEnd;
    line += kWordStart.size() + word.size() + kWordEnd.size();
    word.clear();
  };
  // The room a word's payload has: the word's own limit, and the line's.
  const auto room = [&] {
    const size_t start = out.empty() ? line : 1;
    const size_t overhead = kWordStart.size() + kWordEnd.size();
    const size_t by_line = kMaxLine > start + overhead ? kMaxLine - start - overhead : 0;
    return std::min(kMaxWord - overhead, std::max<size_t>(by_line, 12));
  };
  for (size_t i = 0; i < text.size();) {
    size_t len = core::utf8_sequence_length(text, i);
    if (len == 0) len = 1;  // not UTF-8: encoded byte by byte, still never raw
    const std::string piece = q_encode(text.substr(i, len));
    if (!word.empty() && word.size() + piece.size() > room()) flush();
    word += piece;
    i += len;
  }
  flush();
  return out;
}

std::string normalized_lines_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

// True when the body can travel as 7bit: printable ASCII (and tabs), lines of at most 76
// characters, no whitespace ending a line (some relays strip it).
bool fits_7bit(std::string_view crlf_text) {
  size_t start = 0;
  while (start <= crlf_text.size()) {
    size_t end = crlf_text.find("\r\n", start);
    if (end == std::string_view::npos) end = crlf_text.size();
    const std::string_view line = crlf_text.substr(start, end - start);
    if (line.size() > kMaxLine) return false;
    if (!std::all_of(line.begin(), line.end(),
                     [](char c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; }))
      return false;
    if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return false;
    start = end + 2;
  }
  return true;
}

}  // namespace

Mailbox parse_mailbox(std::string_view text) {
  text = core::trim(text);
  Mailbox out;
  const size_t open = text.rfind('<');
  if (open == std::string_view::npos) {
    if (is_email_address(text)) out.address = std::string(text);
    return out;
  }
  if (text.back() != '>') return out;
  const std::string_view address = text.substr(open + 1, text.size() - open - 2);
  if (!is_email_address(address)) return out;
  std::string_view name = core::trim(text.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
    name = name.substr(1, name.size() - 2);
  if (!core::is_valid_utf8(name) ||
      std::any_of(name.begin(), name.end(), [](char c) { return c == '\r' || c == '\n'; }))
    return out;
  out.display_name = std::string(name);
  out.address = std::string(address);
  return out;
}

std::string encode_header_text(std::string_view text, size_t used) {
  if (is_printable_ascii(text) && used + text.size() <= kMaxLine &&
      text.find("=?") == std::string_view::npos)
    return std::string(text);
  return encoded_words(text, used);
}

std::string quoted_printable(std::string_view text) {
  const std::string crlf = normalized_lines_crlf(text);
  std::string out;
  out.reserve(crlf.size() + crlf.size() / 8);
  size_t start = 0;
  while (start <= crlf.size()) {
    size_t end = crlf.find("\r\n", start);
    const bool last = end == std::string::npos;
    if (last) end = crlf.size();
    size_t line = 0;  // characters on the current output line
    for (size_t i = start; i < end; ++i) {
      const auto c = static_cast<unsigned char>(crlf[i]);
      const bool at_line_end = i + 1 == end;
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end))
        piece = static_cast<char>(c);
      else
        append_hex(piece, c);
      // Leave room for the soft break's "=" unless this piece ends the line.
      const size_t limit = at_line_end ? kMaxLine : kMaxLine - 1;
      if (line + piece.size() > limit) {
        out += "=\r\n";
        line = 0;
      }
      out += piece;
      line += piece.size();
    }
    if (last) break;
    out += "\r\n";
    start = end + 2;
  }
  return out;
}

std::string format_mail_date(core::Timestamp t) {
  // IMF-fixdate is RFC 5322's date-time with the obsolete zone name "GMT"; say +0000 instead.
  std::string http = core::format_http_date(t);
  if (http.ends_with(" GMT")) http.replace(http.size() - 3, 3, "+0000");
  return http;
}

core::Result<std::string> compose_email(const Email& email) {
  core::Error invalid{core::ErrorCode::validation_failed, "The email cannot be composed.", {}};
  if (email.from.address.empty() || !is_email_address(email.from.address))
    invalid.fields["from"] = "invalid";
  if (!is_email_address(email.to)) invalid.fields["to"] = "invalid";
  if (!core::is_valid_utf8(email.subject) ||
      std::any_of(email.subject.begin(), email.subject.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    invalid.fields["subject"] = "invalid";
  if (!core::is_valid_utf8(email.body)) invalid.fields["body"] = "invalid";
  if (!invalid.fields.empty()) return invalid;

  std::string from;
  if (email.from.display_name.empty())
    from = email.from.address;
  else if (is_plain_phrase(email.from.display_name) &&
           6 + email.from.display_name.size() + email.from.address.size() + 3 <= kMaxLine)
    from = email.from.display_name + " <" + email.from.address + ">";
  else  // words that need quoting or encoding: encoded-words, the address on a folded line
    from = encoded_words(email.from.display_name, 6) + "\r\n <" + email.from.address + ">";
  const std::string domain = email.from.address.substr(email.from.address.find('@') + 1);
  const std::string body = normalized_lines_crlf(email.body);
  const bool plain = fits_7bit(body);

  std::string out;
  out.reserve(512 + body.size() * (plain ? 1 : 2));
  out += "Date: " + format_mail_date(email.date) + "\r\n";
  out += "From: " + from + "\r\n";
  out += "To: " + email.to + "\r\n";
  out += "Subject: " + encode_header_text(email.subject, 9) + "\r\n";
  out += "Message-ID: <" + email.unique + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += plain ? "Content-Transfer-Encoding: 7bit\r\n"
               : "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "\r\n";
  out += plain ? body : quoted_printable(email.body);
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

}  // namespace balai::notify
