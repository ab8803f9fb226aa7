// Emails in RFC 5322 form: headers, encoded words, quoted-printable, CRLF.
#include "modules/notify/email.h"

#include <gtest/gtest.h>

namespace balai::notify {
namespace {

constexpr core::Timestamp kDate{1'795'746'600'000};  // 2026-11-27 02:30 UTC

Email sample() {
  return Email{parse_mailbox("balai@contoh.go.id"),
               "warga@contoh.id",
               "Kode konfirmasi",
               "Kode Anda: 482913\n",
               kDate,
               "0190f3a2-7b1c-7d2e-8f00-1a2b3c4d5e6f"};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

TEST(EmailMailbox, ReadsANameAndAnAddressOrABareAddress) {
  const Mailbox named = parse_mailbox("Balai Kota Contoh <balai@contoh.go.id>");
  EXPECT_EQ(named.display_name, "Balai Kota Contoh");
  EXPECT_EQ(named.address, "balai@contoh.go.id");
  const Mailbox quoted = parse_mailbox("\"Pemkot Contoh, Diskominfo\" <balai@contoh.go.id>");
  EXPECT_EQ(quoted.display_name, "Pemkot Contoh, Diskominfo");
  EXPECT_EQ(parse_mailbox("balai@contoh.go.id").address, "balai@contoh.go.id");
  EXPECT_TRUE(parse_mailbox("Balai <bukan alamat>").address.empty());
  EXPECT_TRUE(parse_mailbox("").address.empty());
}

TEST(EmailHeaders, LeavesShortAsciiTextAsItIs) {
  EXPECT_EQ(encode_header_text("Kode konfirmasi", 9), "Kode konfirmasi");
}

TEST(EmailHeaders, EncodesUtf8AsQEncodedWords) {
  EXPECT_EQ(encode_header_text("Pendaftaran — selesai", 9),
            "=?UTF-8?Q?Pendaftaran_=E2=80=94_selesai?=");
  // "=?" in plain text would read as the start of an encoded word: it is encoded too.
  EXPECT_EQ(encode_header_text("a =?b", 9), "=?UTF-8?Q?a_=3D=3Fb?=");
}

TEST(EmailHeaders, FoldsLongTextIntoWordsThatNeverSplitACharacter) {
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "é";  // two bytes each, six characters encoded
  const std::string encoded = encode_header_text(subject, 9);
  const auto lines = lines_of(encoded + "\r\n");
  ASSERT_GT(lines.size(), 1u);
  size_t characters = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string word = lines[i];
    if (i > 0) {
      ASSERT_EQ(word[0], ' ');  // folded: continuation lines start with white space
      word.erase(0, 1);
    }
    EXPECT_LE(word.size(), 75u);
    EXPECT_LE(word.size() + (i == 0 ? 9 : 1), 76u);
    ASSERT_TRUE(word.starts_with("=?UTF-8?Q?") && word.ends_with("?="));
    const std::string payload = word.substr(10, word.size() - 12);
    ASSERT_EQ(payload.size() % 6, 0u) << payload;  // whole "=C3=A9" characters only
    characters += payload.size() / 6;
  }
  EXPECT_EQ(characters, 30u);
}

TEST(QuotedPrintable, EncodesUtf8EqualsSignsAndTrailingWhitespace) {
  EXPECT_EQ(quoted_printable("Terima kasih — Balai\n1 = 1 \nakhir\t"),
            "Terima kasih =E2=80=94 Balai\r\n1 =3D 1=20\r\nakhir=09");
}

TEST(QuotedPrintable, BreaksLongLinesSoftlyAtSeventySixCharacters) {
  const std::string line(100, 'a');
  const std::string encoded = quoted_printable(line + "é");
  const auto lines = lines_of(encoded + "\r\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string(75, 'a') + "=");
  EXPECT_EQ(lines[1], std::string(25, 'a') + "=C3=A9");
  // An encoded byte is never split by a soft break.
  const std::string tight = quoted_printable(std::string(74, 'a') + "ééé");
  for (const auto& l : lines_of(tight + "\r\n")) EXPECT_LE(l.size(), 76u) << l;
  EXPECT_EQ(lines_of(tight + "\r\n")[0], std::string(74, 'a') + "=");
}

TEST(EmailDate, IsRfc5322InUtc) {
  EXPECT_EQ(format_mail_date(kDate), "Fri, 27 Nov 2026 02:30:00 +0000");
}

TEST(ComposeEmail, WritesTheHeadersAndA7bitBodyWithCrlf) {
  auto message = compose_email(sample());
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(*message,
            "Date: Fri, 27 Nov 2026 02:30:00 +0000\r\n"
            "From: balai@contoh.go.id\r\n"
            "To: warga@contoh.id\r\n"
            "Subject: Kode konfirmasi\r\n"
            "Message-ID: <0190f3a2-7b1c-7d2e-8f00-1a2b3c4d5e6f@contoh.go.id>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "\r\n"
            "Kode Anda: 482913\r\n");
}

TEST(ComposeEmail, UsesQuotedPrintableForUtf8Bodies) {
  Email e = sample();
  e.body = "Salam — Balai";
  auto message = compose_email(e);
  ASSERT_TRUE(message.ok());
  EXPECT_NE(message->find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_TRUE(message->ends_with("\r\n\r\nSalam =E2=80=94 Balai\r\n"));
}

TEST(ComposeEmail, EncodesADisplayNameThatNeedsIt) {
  Email e = sample();
  e.from = parse_mailbox("\"Pemkot Contoh, Diskominfo\" <balai@contoh.go.id>");
  auto message = compose_email(e);
  ASSERT_TRUE(message.ok());
  EXPECT_NE(message->find("From: =?UTF-8?Q?Pemkot_Contoh=2C_Diskominfo?=\r\n <balai@contoh.go.id>"),
            std::string::npos)
      << *message;
  e.from = parse_mailbox("Balai Kota Contoh <balai@contoh.go.id>");
  EXPECT_NE(compose_email(e)->find("From: Balai Kota Contoh <balai@contoh.go.id>\r\n"),
            std::string::npos);
}

TEST(ComposeEmail, RefusesHeaderInjection) {
  Email to = sample();
  to.to = "warga@contoh.id\r\nBcc: semua@contoh.id";
  Email subject = sample();
  subject.subject = "Kode\r\nBcc: semua@contoh.id";
  for (const Email& e : {to, subject}) {
    auto message = compose_email(e);
    ASSERT_FALSE(message.ok());
    EXPECT_EQ(message.error().code, core::ErrorCode::validation_failed);
  }
}

}  // namespace
}  // namespace balai::notify
