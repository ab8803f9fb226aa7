// The access policy: deny by default, grants by role and scope, object-level ownership.
#include "security/policy.h"

#include <gtest/gtest.h>

#include "security/csrf.h"

namespace balai::security {
namespace {

Actor actor(Role role, std::string id, std::string agency = "") {
  return Actor{std::move(id), role, std::move(agency), AuthMethod::session, "", {}};
}

TEST(Policy, DeniesEverythingNobodyWasGranted) {
  Policy p;
  const Actor admin = actor(Role::admin, "a1");
  auto s = p.authorize(&admin, "complaints.report.delete", {"", ""});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::forbidden);
}

TEST(Policy, AsksAnonymousCallersToSignIn) {
  Policy p;
  p.allow("catalog.read", Role::citizen, Scope::any);
  auto s = p.authorize(nullptr, "catalog.read");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::unauthenticated);
}

TEST(Policy, LetsOwnersReachOnlyTheirOwnRecords) {
  Policy p;
  p.allow("complaints.report.read", Role::citizen, Scope::own);
  const Actor siti = actor(Role::citizen, "siti");
  EXPECT_TRUE(p.authorize(&siti, "complaints.report.read", {"siti", ""}).ok());
  EXPECT_FALSE(p.authorize(&siti, "complaints.report.read", {"budi", ""}).ok());
  EXPECT_FALSE(p.authorize(&siti, "complaints.report.read", {"", ""}).ok());
}

TEST(Policy, KeepsOfficersInsideTheirAgency) {
  Policy p;
  p.allow("complaints.report.read", Role::officer, Scope::agency);
  const Actor officer = actor(Role::officer, "o1", "bapenda");
  const Actor unscoped = actor(Role::officer, "o2", "");
  EXPECT_TRUE(p.authorize(&officer, "complaints.report.read", {"siti", "bapenda"}).ok());
  EXPECT_FALSE(p.authorize(&officer, "complaints.report.read", {"siti", "dinkes"}).ok());
  EXPECT_FALSE(p.authorize(&unscoped, "complaints.report.read", {"siti", ""}).ok());
}

TEST(Policy, AGrantForOneRoleGivesNothingToAnother) {
  Policy p;
  p.allow("console.read", Role::admin, Scope::any);
  const Actor officer = actor(Role::officer, "o1", "bapenda");
  const Actor integrator = actor(Role::integrator, "t1");
  EXPECT_FALSE(p.authorize(&officer, "console.read").ok());
  EXPECT_FALSE(p.authorize(&integrator, "console.read").ok());
}

TEST(Policy, ReportsEachRefusalOfASignedInActor) {
  Policy p;
  std::vector<std::string> seen;
  p.on_denied([&](const Actor& a, std::string_view action) {
    seen.push_back(a.id + " " + std::string(action));
  });
  p.allow("x", Role::citizen, Scope::own);
  const Actor siti = actor(Role::citizen, "siti");
  EXPECT_FALSE(p.authorize(&siti, "x", {"budi", ""}).ok());
  EXPECT_FALSE(p.authorize(nullptr, "x").ok());  // a 401 is not an attack on someone's record
  EXPECT_TRUE(p.authorize(&siti, "x", {"siti", ""}).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "siti x");
}

TEST(Csrf, TokensDependOnTheSecretTheyProtectAndTheKey) {
  std::vector<uint8_t> key1(32, 1), key2(32, 2);
  CsrfTokens a(key1), b(key2);
  const std::string t = a.for_session("session-token-1");
  EXPECT_EQ(t, a.for_session("session-token-1"));
  EXPECT_NE(t, a.for_session("session-token-2"));
  EXPECT_NE(t, b.for_session("session-token-1"));
  EXPECT_NE(t, a.for_visitor("session-token-1"));  // a visitor token is not a session token
  EXPECT_TRUE(CsrfTokens::matches(t, t));
  EXPECT_FALSE(CsrfTokens::matches(t, ""));
  EXPECT_FALSE(CsrfTokens::matches("", ""));
  EXPECT_FALSE(CsrfTokens::matches(t, t.substr(1)));
}

}  // namespace
}  // namespace balai::security
