// Sessions on both backends: idle and absolute timeouts, rotation, revocation, listing.
#include "security/sessions.h"

#include <gtest/gtest.h>

#include "unit/security/auth/fixture.h"

namespace balai::security {
namespace {

constexpr int64_t kMinute = 60 * 1000;

class Sessions_ : public AuthStoreTest {
 protected:
  std::optional<Session> resolve(const std::string& token) {
    auto s = sessions_->resolve(token, clock_.now());
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : std::nullopt;
  }
};

TEST_P(Sessions_, StoresOnlyADigestOfTheToken) {
  const Account a = make_account(Role::citizen, "w@example.id");
  auto started = sessions_->start(a, SessionStage::full, "Firefox", clock_.now());
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->token.size(), 43u);
  auto rows = db().query("SELECT token_hash FROM sessions");
  ASSERT_TRUE(rows.ok());
  EXPECT_NE((*rows)[0].text(0), started->token);
  EXPECT_EQ((*rows)[0].text(0).find(started->token), std::string::npos);
  auto live = resolve(started->token);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->account_id, a.id);
  EXPECT_EQ(live->client, "Firefox");
}

TEST_P(Sessions_, EndsAStaffSessionAfterThirtyIdleMinutes) {
  const Account a = make_account(Role::officer, "o@example.id", "bapenda");
  auto started = sessions_->start(a, SessionStage::full, "", clock_.now());
  ASSERT_TRUE(started.ok());
  clock_.advance_ms(29 * kMinute);
  EXPECT_TRUE(resolve(started->token));  // activity refreshes last_seen
  clock_.advance_ms(29 * kMinute);
  EXPECT_TRUE(resolve(started->token));
  clock_.advance_ms(30 * kMinute);
  EXPECT_FALSE(resolve(started->token));
}

TEST_P(Sessions_, GivesCitizensALongerIdleTimeout) {
  const Account a = make_account(Role::citizen, "w@example.id");
  auto started = sessions_->start(a, SessionStage::full, "", clock_.now());
  ASSERT_TRUE(started.ok());
  clock_.advance_ms(100 * kMinute);
  EXPECT_TRUE(resolve(started->token));
  clock_.advance_ms(120 * kMinute);
  EXPECT_FALSE(resolve(started->token));
}

TEST_P(Sessions_, EndsEverySessionAfterTwelveHoursHoweverActive) {
  const Account a = make_account(Role::citizen, "w@example.id");
  auto started = sessions_->start(a, SessionStage::full, "", clock_.now());
  ASSERT_TRUE(started.ok());
  for (int i = 0; i < 23; ++i) {
    clock_.advance_ms(30 * kMinute);
    ASSERT_TRUE(resolve(started->token)) << i;
  }
  clock_.advance_ms(30 * kMinute);
  EXPECT_FALSE(resolve(started->token));
}

TEST_P(Sessions_, RotationRevokesTheOldTokenAndKeepsTheAbsoluteEnd) {
  const Account a = make_account(Role::officer, "o@example.id", "bapenda");
  auto first = sessions_->start(a, SessionStage::second_factor, "", clock_.now());
  ASSERT_TRUE(first.ok());
  clock_.advance_ms(kMinute);
  auto second = sessions_->rotate(first->token, SessionStage::full, clock_.now());
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->token, first->token);
  EXPECT_FALSE(resolve(first->token));
  auto live = resolve(second->token);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->stage, SessionStage::full);
  EXPECT_EQ(live->expires_at, first->session.expires_at);
  auto again = sessions_->rotate(first->token, SessionStage::full, clock_.now());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::unauthenticated);
}

TEST_P(Sessions_, RevokesOnlyTheOwnersSessions) {
  const Account a = make_account(Role::citizen, "a@example.id");
  const Account b = make_account(Role::citizen, "b@example.id");
  auto sa = sessions_->start(a, SessionStage::full, "", clock_.now());
  auto sb = sessions_->start(b, SessionStage::full, "", clock_.now());
  ASSERT_TRUE(sa.ok() && sb.ok());
  auto wrong = sessions_->revoke(a.key, sb->session.id, clock_.now());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::not_found);
  EXPECT_TRUE(resolve(sb->token));
  ASSERT_TRUE(sessions_->revoke(b.key, sb->session.id, clock_.now()).ok());
  EXPECT_FALSE(resolve(sb->token));
  EXPECT_TRUE(resolve(sa->token));
}

TEST_P(Sessions_, ListsLiveSessionsNewestFirstAndRevokesAllButOne) {
  const Account a = make_account(Role::citizen, "a@example.id");
  auto s1 = sessions_->start(a, SessionStage::full, "Phone", clock_.now());
  clock_.advance_ms(1000);
  auto s2 = sessions_->start(a, SessionStage::full, "Laptop", clock_.now());
  ASSERT_TRUE(s1.ok() && s2.ok());
  auto list = sessions_->list(a.key, clock_.now());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].client, "Laptop");
  ASSERT_TRUE(sessions_->revoke_all(a.key, clock_.now(), s2->session.key).ok());
  EXPECT_FALSE(resolve(s1->token));
  EXPECT_TRUE(resolve(s2->token));
}

TEST_P(Sessions_, ADisabledAccountHasNoLiveSession) {
  const Account a = make_account(Role::citizen, "a@example.id");
  auto s = sessions_->start(a, SessionStage::full, "", clock_.now());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(accounts_->set_active(a.key, false, clock_.now()).ok());
  EXPECT_FALSE(resolve(s->token));
}

TEST_P(Sessions_, JunkTokensFindNothingWithoutError) {
  for (const char* junk : {"", "x", "' OR 1=1 --", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    auto s = sessions_->resolve(junk, clock_.now());
    ASSERT_TRUE(s.ok()) << junk;
    EXPECT_FALSE(s->has_value()) << junk;
  }
}

BALAI_INSTANTIATE_DATABASE_TESTS(Sessions_);

class ApiTokens_ : public AuthStoreTest {};

TEST_P(ApiTokens_, CreatesAPrefixedTokenThatResolvesUntilRevoked) {
  auto created =
      tokens_->create(NewApiToken{"Open311 bridge", Role::integrator, "", {}}, clock_.now());
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->token.starts_with("bt_"));
  auto live = tokens_->resolve(created->token, clock_.now());
  ASSERT_TRUE(live.ok() && live->has_value());
  EXPECT_EQ((*live)->role, Role::integrator);
  ASSERT_TRUE(tokens_->revoke(created->info.id, clock_.now()).ok());
  auto dead = tokens_->resolve(created->token, clock_.now());
  ASSERT_TRUE(dead.ok());
  EXPECT_FALSE(dead->has_value());
  auto unknown = tokens_->revoke("01900000-0000-7000-8000-000000000000", clock_.now());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::not_found);
}

TEST_P(ApiTokens_, ExpiresAfterItsDays) {
  auto created = tokens_->create(NewApiToken{"AWS-07", Role::device, "bpbd", 1}, clock_.now());
  ASSERT_TRUE(created.ok());
  clock_.advance_ms(24LL * 60 * kMinute - 1);
  auto live = tokens_->resolve(created->token, clock_.now());
  ASSERT_TRUE(live.ok() && live->has_value());
  clock_.advance_ms(1);
  auto expired = tokens_->resolve(created->token, clock_.now());
  ASSERT_TRUE(expired.ok());
  EXPECT_FALSE(expired->has_value());
}

TEST_P(ApiTokens_, RefusesPeopleRolesEmptyNamesAndOddExpiries) {
  auto admin = tokens_->create(NewApiToken{"x", Role::admin, "", {}}, clock_.now());
  ASSERT_FALSE(admin.ok());
  EXPECT_TRUE(admin.error().fields.contains("role"));
  auto unnamed = tokens_->create(NewApiToken{"  ", Role::device, "", {}}, clock_.now());
  ASSERT_FALSE(unnamed.ok());
  EXPECT_TRUE(unnamed.error().fields.contains("name"));
  auto forever = tokens_->create(NewApiToken{"x", Role::device, "", 0}, clock_.now());
  ASSERT_FALSE(forever.ok());
  EXPECT_TRUE(forever.error().fields.contains("expires"));
}

TEST_P(ApiTokens_, ListsTokensWithoutTheirSecrets) {
  auto created = tokens_->create(NewApiToken{"bridge", Role::integrator, "", {}}, clock_.now());
  ASSERT_TRUE(created.ok());
  auto list = tokens_->list();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "bridge");
  auto rows = db().query("SELECT token_hash FROM api_tokens");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].text(0).find(created->token.substr(3)), std::string::npos);
}

BALAI_INSTANTIATE_DATABASE_TESTS(ApiTokens_);

}  // namespace
}  // namespace balai::security
