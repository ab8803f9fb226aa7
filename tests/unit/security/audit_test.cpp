// The audit chain on both backends: appends verify, and every kind of tampering is named.
#include "security/audit.h"

#include <gtest/gtest.h>

#include "db/migrator.h"
#include "security/migrations.h"
#include "support/databases.h"

namespace balai::security {
namespace {

class AuditChain : public balai::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    auto migrated = db::migrate(db(), migrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }

  void append_entries(const AuditLog& log, int n) {
    for (int i = 0; i < n; ++i) {
      AuditEntry e;
      e.at = core::Timestamp{1'795'000'000'000 + i};
      e.actor = "officer-" + std::to_string(i % 3);
      e.actor_role = "officer";
      e.action = "identity.citizen.read";
      e.object_type = "citizen";
      e.object_id = "c-" + std::to_string(i);
      e.subject = "c-" + std::to_string(i);
      e.purpose = "verification";
      ASSERT_TRUE(log.append(db(), e).ok());
    }
  }

  void exec(const std::string& sql) {
    ASSERT_TRUE(db().transact([&](db::Connection& c) -> core::Status {
                      auto r = c.query(sql);
                      if (!r) return r.take_error();
                      return {};
                    })
                    .ok());
  }

  KeyRing ring_ = KeyRing::generate(core::Timestamp{1'795'000'000'000});
};

TEST_P(AuditChain, AnUntouchedChainVerifies) {
  AuditLog log(ring_, 4);
  append_entries(log, 10);
  auto v = log.verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, 10);
  EXPECT_EQ(v->checkpoints, 2);  // at entries 4 and 8
}

TEST_P(AuditChain, AnEditedEntryIsNamed) {
  AuditLog log(ring_, 100);
  append_entries(log, 6);
  exec("UPDATE audit_entries SET purpose = 'curiosity' WHERE seq = 3");
  auto v = log.verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 3);
}

TEST_P(AuditChain, ARemovedEntryIsNamed) {
  AuditLog log(ring_, 100);
  append_entries(log, 6);
  exec("DELETE FROM audit_entries WHERE seq = 4");
  auto v = log.verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 4);
}

TEST_P(AuditChain, ARenumberedRemovalIsStillCaught) {
  AuditLog log(ring_, 100);
  append_entries(log, 6);
  exec("DELETE FROM audit_entries WHERE seq = 4");
  exec("UPDATE audit_entries SET seq = seq - 1 WHERE seq > 4");
  auto v = log.verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 4);
}

TEST_P(AuditChain, SwappedEntriesAreCaught) {
  AuditLog log(ring_, 100);
  append_entries(log, 6);
  exec("UPDATE audit_entries SET seq = -1 WHERE seq = 2");
  exec("UPDATE audit_entries SET seq = 2 WHERE seq = 5");
  exec("UPDATE audit_entries SET seq = 5 WHERE seq = -1");
  auto v = log.verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 2);
}

TEST_P(AuditChain, RemovingTheTailIsCaughtByTheCheckpoint) {
  AuditLog log(ring_, 5);
  append_entries(log, 5);
  exec("DELETE FROM audit_entries WHERE seq >= 4");
  auto v = log.verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 4);
}

TEST_P(AuditChain, AForgedCheckpointIsCaught) {
  AuditLog log(ring_, 5);
  append_entries(log, 5);
  exec("UPDATE audit_checkpoints SET signature = '" + std::string(128, '0') + "'");
  auto v = log.verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 5);
}

TEST_P(AuditChain, ACheckpointFromAnotherKeyIsCaught) {
  AuditLog log(ring_, 5);
  append_entries(log, 5);
  KeyRing other = KeyRing::generate(core::Timestamp{1'795'000'000'000});
  auto v = AuditLog(other, 5).verify(db());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
}

TEST_P(AuditChain, ExportsTheLatestSignedCheckpoint) {
  AuditLog log(ring_, 100);
  append_entries(log, 3);
  ASSERT_TRUE(log.checkpoint(db(), core::Timestamp{1'795'000'100'000}).ok());
  auto cp = log.latest_checkpoint(db());
  ASSERT_TRUE(cp.ok());
  ASSERT_TRUE(cp->has_value());
  EXPECT_EQ((*cp)->seq, 3);
  EXPECT_EQ((*cp)->hash.size(), 64u);
  EXPECT_EQ((*cp)->signature.size(), 128u);
}

TEST(AuditHash, DependsOnEveryFieldAndThePreviousHash) {
  AuditEntry e;
  e.action = "a";
  const std::string base = audit_hash("p", 1, e);
  AuditEntry changed = e;
  changed.purpose = "x";
  EXPECT_NE(audit_hash("p", 1, changed), base);
  EXPECT_NE(audit_hash("q", 1, e), base);
  EXPECT_NE(audit_hash("p", 2, e), base);
  // Length prefixes keep field boundaries: moving a character between fields changes the hash.
  AuditEntry left = e, right = e;
  left.object_type = "ab";
  left.object_id = "c";
  right.object_type = "a";
  right.object_id = "bc";
  EXPECT_NE(audit_hash("p", 1, left), audit_hash("p", 1, right));
}

BALAI_INSTANTIATE_DATABASE_TESTS(AuditChain);

}  // namespace
}  // namespace balai::security
