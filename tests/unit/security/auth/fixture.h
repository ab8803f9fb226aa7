#pragma once
// A migrated database with the security layer's stores over it (accounts, sessions, tokens),
// on every backend, with a clock the test moves. Argon2 runs at its minimum cost here: the
// tests are about the rules around the hash, not the hash.

#include <memory>

#include "core/time.h"
#include "db/migrator.h"
#include "security/accounts.h"
#include "security/api_tokens.h"
#include "security/field_cipher.h"
#include "security/key_ring.h"
#include "security/migrations.h"
#include "security/password_policy.h"
#include "security/passwords.h"
#include "security/sessions.h"
#include "support/databases.h"

namespace balai::security {

class AuthStoreTest : public balai::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    auto migrated = db::migrate(db(), migrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    auto common =
        CommonPasswords::load(balai::testing::source_dir() + "/data/passwords/10k-most-common.txt");
    ASSERT_TRUE(common.ok());
    common_ = std::make_unique<CommonPasswords>(std::move(common).value());
    cipher_ = std::make_unique<FieldCipher>(ring_);
    hasher_ = std::make_unique<PasswordHasher>(ring_.pepper(), Argon2Parameters{1, 8192});
    accounts_ =
        std::make_unique<Accounts>(db(), *cipher_, *hasher_, *common_, std::string("Kota Madiun"));
    sessions_ = std::make_unique<Sessions>(db(), *cipher_, SessionSettings{});
    tokens_ = std::make_unique<ApiTokens>(db());
  }

  Account make_account(Role role, const std::string& email, const std::string& agency = "") {
    auto a = accounts_->create(
        NewAccount{role, agency, "Siti Rahayu", email, "lumpia semarang enak sekali"},
        clock_.now());
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
    return a.ok() ? *a : Account{};
  }

  core::ManualClock clock_{core::Timestamp{1'795'000'000'000}};
  KeyRing ring_ = KeyRing::generate(core::Timestamp{1'795'000'000'000});
  std::unique_ptr<CommonPasswords> common_;
  std::unique_ptr<FieldCipher> cipher_;
  std::unique_ptr<PasswordHasher> hasher_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Sessions> sessions_;
  std::unique_ptr<ApiTokens> tokens_;
};

}  // namespace balai::security
