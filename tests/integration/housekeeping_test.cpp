// The runtime's periodic work: a signed checkpoint over a quiet chain's last entries, and
// long-ended sessions deleted.
#include <gtest/gtest.h>

#include "security/audit.h"
#include "security/sessions.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

TEST(Housekeeping, SignsACheckpointOverTheLastEntriesWhenNoneIsRecent) {
  ServerHarness server;
  auto& rt = server.runtime();
  security::AuditEntry e;
  e.at = core::SystemClock{}.now();
  e.action = "test.entry";
  e.object_type = "test";
  ASSERT_TRUE(rt.audit().append(rt.database(), e).ok());
  auto before = rt.audit().latest_checkpoint(rt.database());
  ASSERT_TRUE(before.ok());
  // The demo's few entries and this one: far from the 100 that sign by themselves.
  EXPECT_FALSE(before->has_value());
  auto head = rt.database().query("SELECT MAX(seq) FROM audit_entries");
  ASSERT_TRUE(head.ok());
  rt.housekeeping_once();
  auto after = rt.audit().latest_checkpoint(rt.database());
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->seq, (*head)[0].int64(0));
  auto verified = rt.audit().verify(rt.database());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok);
  EXPECT_EQ(verified->checkpoints, 1);
}

TEST(Housekeeping, DeletesSessionsLongAfterTheyEnded) {
  ServerHarness server;
  auto& rt = server.runtime();
  auto& sec = rt.security();
  auto account = sec.accounts.find_by_login("warga@demo.balai.id");
  ASSERT_TRUE(account.ok() && account->has_value());
  auto old =
      sec.sessions.start(**account, security::SessionStage::full, "", core::SystemClock{}.now());
  auto live =
      sec.sessions.start(**account, security::SessionStage::full, "", core::SystemClock{}.now());
  ASSERT_TRUE(old.ok() && live.ok());
  ASSERT_TRUE(rt.database()
                  .transact([&](db::Connection& c) -> core::Status {
                    auto r = c.query("UPDATE sessions SET revoked_at = 1 WHERE id = ?",
                                     {old->session.key});
                    if (!r) return r.take_error();
                    return {};
                  })
                  .ok());
  rt.housekeeping_once();
  auto gone = sec.sessions.find(old->session.id);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto kept = sec.sessions.find(live->session.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->has_value());
}

}  // namespace
}  // namespace balai::testing
