// Which relay counts as this machine's (reached without STARTTLS), and reading a URL's host.
#include "modules/notify/channels.h"

#include <gtest/gtest.h>

#include "support/smtp_sink.h"

namespace balai::notify {
namespace {

TEST(NotifyChannels, TreatsOnlyThisMachineAsLoopback) {
  for (const char* host : {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"})
    EXPECT_TRUE(is_loopback_host(host)) << host;
  for (const char* host : {"127.example.id", "localhost.example.id", "10.0.0.1", "mail.kota.id",
                           "::2", "128.0.0.1", ""})
    EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(NotifyChannels, ReadsTheHostOfARelayUrl) {
  EXPECT_EQ(url_host("smtp://mail.contoh.go.id:587"), "mail.contoh.go.id");
  EXPECT_EQ(url_host("smtps://127.0.0.1:465/balai.contoh.go.id"), "127.0.0.1");
  EXPECT_EQ(url_host("https://sms.contoh.go.id/kirim"), "sms.contoh.go.id");
  EXPECT_FALSE(url_host("not a url").has_value());
}

TEST(NotifyChannels, SendsNothingToARemoteRelayThatDoesNotOfferStarttls) {
  // The sink offers no STARTTLS. Reached as ::ffff:127.0.0.1 it counts as remote (only ::1,
  // 127.0.0.0/8 and "localhost" are exempt), so the exchange must stop before MAIL FROM.
  balai::testing::SmtpSink sink;
  SmtpSettings settings;
  settings.url = "smtp://[::ffff:127.0.0.1]:" + std::to_string(sink.port());
  settings.envelope_from = "balai@contoh.go.id";
  settings.timeout_ms = 5'000;
  auto sent = send_email(settings, "warga@contoh.id", "Subject: x\r\n\r\nx\r\n");
  ASSERT_FALSE(sent.ok());
  if (sink.connections() == 0) GTEST_SKIP() << "no IPv6 here: " << sent.error().message;
  EXPECT_EQ(sent.error().code, core::ErrorCode::unavailable);
  EXPECT_NE(sent.error().message.find("SSL"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(sink.mails().empty());
}

TEST(NotifyChannels, SendsToALocalRelayWithoutStarttls) {
  balai::testing::SmtpSink sink;
  SmtpSettings settings;
  settings.url = "smtp://localhost:" + std::to_string(sink.port());
  settings.envelope_from = "balai@contoh.go.id";
  auto sent = send_email(settings, "warga@contoh.id", "Subject: x\r\n\r\nx\r\n");
  if (!sent.ok() && sink.connections() == 0)
    GTEST_SKIP() << "localhost does not resolve to 127.0.0.1 here: " << sent.error().message;
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sink.wait_for(1).size(), 1u);
  EXPECT_EQ(sink.mails()[0].mail_from, "balai@contoh.go.id");
}

}  // namespace
}  // namespace balai::notify
