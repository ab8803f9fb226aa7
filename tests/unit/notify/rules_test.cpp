// What the outbox accepts, and when it tries again.
#include "modules/notify/rules.h"

#include <gtest/gtest.h>

namespace balai::notify {
namespace {

Message email() {
  return Message{Channel::email, "warga@contoh.id", "Kode konfirmasi", "Kode Anda: 482913",
                 "identity.confirm_email"};
}

Message sms() {
  return Message{Channel::sms, "+6281234567890", "", "Kode: 482913", "identity.confirm_phone"};
}

std::string field_error(const Message& m, const std::string& field) {
  auto status = validate(m);
  if (status.ok()) return "ok";
  auto it = status.error().fields.find(field);
  return it == status.error().fields.end() ? "ok" : it->second;
}

TEST(NotifyRules, AcceptsAnEmailAndAnSms) {
  EXPECT_TRUE(validate(email()).ok());
  EXPECT_TRUE(validate(sms()).ok());
}

TEST(NotifyRules, RefusesAnEmailAddressThatCouldSplitAHeader) {
  for (const char* bad :
       {"warga@contoh.id\r\nBcc: x@y.id", "warga@contoh.id\n", "Warga <warga@contoh.id>",
        "warga@contoh.id, lain@contoh.id", "warga contoh@contoh.id", "warga@contoh", "@contoh.id",
        "warga@@contoh.id", "warga@contoh..id", "wärga@contoh.id", "warga@-"}) {
    Message m = email();
    m.to = bad;
    EXPECT_EQ(field_error(m, "to"), "invalid") << bad;
  }
}

TEST(NotifyRules, RefusesAPhoneNumberNotInInternationalForm) {
  for (const char* bad : {"081234567890", "+0812345678", "+62 812 3456 7890", "+62812",
                          "+6281234567890123", "+62812345678\r\n"}) {
    Message m = sms();
    m.to = bad;
    EXPECT_EQ(field_error(m, "to"), "invalid") << bad;
  }
}

TEST(NotifyRules, NamesAMissingRecipientAsRequired) {
  Message m = email();
  m.to.clear();
  EXPECT_EQ(field_error(m, "to"), "required");
}

TEST(NotifyRules, RefusesControlCharactersInTheSubject) {
  for (const char* bad : {"Kode\r\nBcc: x@y.id", "Kode\nX: 1", "Kode\rX", "Kode\tX"}) {
    Message m = email();
    m.subject = bad;
    EXPECT_EQ(field_error(m, "subject"), "invalid") << bad;
  }
}

TEST(NotifyRules, RequiresASubjectForEmailOnly) {
  Message m = email();
  m.subject = "  ";
  EXPECT_EQ(field_error(m, "subject"), "required");
  EXPECT_TRUE(validate(sms()).ok());
}

TEST(NotifyRules, RefusesABodyThatIsNotUtf8OrTooLong) {
  Message m = email();
  m.body = "Kode \xff";
  EXPECT_EQ(field_error(m, "body"), "invalid");
  m.body = std::string(kMaxEmailBodyBytes + 1, 'a');
  EXPECT_EQ(field_error(m, "body"), "too_long");
  Message s = sms();
  s.body = std::string(kMaxSmsChars + 1, 'a');
  EXPECT_EQ(field_error(s, "body"), "too_long");
}

TEST(NotifyRules, RequiresAKindOfLowerCaseNameCharacters) {
  Message m = email();
  m.kind = "";
  EXPECT_EQ(field_error(m, "kind"), "required");
  m.kind = "Identity Confirm";
  EXPECT_EQ(field_error(m, "kind"), "invalid");
}

TEST(NotifyRules, ErrorsNeverRepeatTheRejectedValue) {
  Message m = email();
  m.to = "rahasia\r\n@contoh.id";
  auto status = validate(m);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message.find("rahasia"), std::string::npos);
  for (const auto& [field, why] : status.error().fields)
    EXPECT_EQ(why.find("rahasia"), std::string::npos);
}

TEST(NotifyRetryDelay, DoublesFromThirtySecondsUpToAnHour) {
  EXPECT_EQ(retry_delay_ms(1), 30'000);
  EXPECT_EQ(retry_delay_ms(2), 60'000);
  EXPECT_EQ(retry_delay_ms(3), 120'000);
  EXPECT_EQ(retry_delay_ms(7), 1'920'000);
  EXPECT_EQ(retry_delay_ms(8), 3'600'000);
  EXPECT_EQ(retry_delay_ms(100), 3'600'000);
}

}  // namespace
}  // namespace balai::notify
