// Staff reads of personal data: audited with a purpose, refused without one, and a staff
// account reading unusually many citizens raises a security event. Plus the per-account API
// budget.
#include "security/data_access.h"

#include <gtest/gtest.h>

#include "security/monitor.h"
#include "security/security_events.h"
#include "support/auth_helpers.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

TEST(PersonalDataReads, AreAuditedWithAPurposeAndManyRaiseAnEvent) {
  ServerHarness server([](core::Config& c) { c.security.staff_reads_per_hour = 10; });
  auto& rt = server.runtime();
  auto& sec = rt.security();
  const security::Actor officer{"01900000-0000-7000-8000-00000000000a",
                                security::Role::officer,
                                "disdukcapil",
                                security::AuthMethod::session,
                                "",
                                {}};
  auto read = [&](const std::string& subject, std::string_view purpose) {
    return rt.database().transact([&](db::Connection& c) {
      return security::record_personal_data_read(c, sec.audit, sec.monitor, officer,
                                                 {subject, "citizen", subject, purpose, "req-1"},
                                                 core::SystemClock{}.now());
    });
  };
  auto no_purpose = read("citizen-0", "  ");
  ASSERT_FALSE(no_purpose.ok());
  EXPECT_EQ(no_purpose.error().fields.at("purpose"), "required");
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(read("citizen-" + std::to_string(i), "verifikasi identitas").ok());
  auto rows = rt.database().query(
      "SELECT COUNT(*) FROM audit_entries WHERE action = 'citizen.personal_data.read' AND "
      "purpose = 'verifikasi identitas' AND actor = ?",
      {officer.id});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].int64(0), 10);
  sec.monitor.flush();
  auto events = sec.events.list(security::EventQuery{{}, false, 100, 0});
  ASSERT_TRUE(events.ok());
  bool flagged = false;
  for (const auto& e : *events) flagged |= e.type == "mass_data_access" && e.account == officer.id;
  EXPECT_TRUE(flagged);
  auto verified = rt.audit().verify(rt.database());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok);
}

TEST(AccountBudget, OneAccountCannotSpendMoreThanItsOwnShare) {
  ServerHarness server([](core::Config& c) {
    c.security.api_burst = 5;
    c.security.api_per_second = 1;
    c.security.trusted_proxies = "127.0.0.1";
  });
  const std::string token =
      sign_in_bearer(server, "warga@demo.balai.id", "kereta api lewat tengah kota");
  int ok = 0;
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    // A new address each time: the address budget never runs out, the account's does.
    auto headers = bearer_headers(token);
    headers["X-Forwarded-For"] = "198.51.100." + std::to_string(10 + i);
    auto r = server.get("/api/v1/auth/sessions", headers);
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++limited;
      EXPECT_FALSE(r.header("retry-after").empty());
    }
  }
  EXPECT_LE(ok, 5);
  EXPECT_GE(limited, 3);
}

}  // namespace
}  // namespace balai::testing
