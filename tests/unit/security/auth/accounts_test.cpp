// Accounts on both backends: created with the policy applied, found by their sign-in name
// through the blind index, and never stored in plain text.
#include "security/accounts.h"

#include <gtest/gtest.h>

#include "unit/security/auth/fixture.h"

namespace balai::security {
namespace {

class Accounts_ : public AuthStoreTest {};

TEST_P(Accounts_, CreatesAnAccountFoundByItsEmailInAnyCase) {
  const Account a = make_account(Role::citizen, "Siti.Rahayu@Example.id");
  auto found = accounts_->find_by_login("  siti.rahayu@example.ID ");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, a.id);
  EXPECT_EQ((*found)->display_name, "Siti Rahayu");
  EXPECT_EQ((*found)->email, "siti.rahayu@example.id");
  EXPECT_TRUE(hasher_->verify((*found)->password_hash, "lumpia semarang enak sekali"));
}

TEST_P(Accounts_, StoresNameAndEmailOnlyEncrypted) {
  make_account(Role::citizen, "siti@example.id");
  auto rows = db().query("SELECT display_name, email FROM accounts");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  for (size_t i = 0; i < 2; ++i) {
    const auto& bytes = (*rows)[0].blob(i).bytes;
    const std::string raw(bytes.begin(), bytes.end());
    EXPECT_EQ(raw.find("Siti"), std::string::npos);
    EXPECT_EQ(raw.find("siti@example.id"), std::string::npos);
  }
}

TEST_P(Accounts_, RefusesASecondAccountWithTheSameEmail) {
  make_account(Role::citizen, "siti@example.id");
  auto again = accounts_->create(
      NewAccount{Role::citizen, "", "Siti Lain", "SITI@example.id", "lumpia semarang enak sekali"},
      clock_.now());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::conflict);
  EXPECT_EQ(again.error().fields.at("email"), "taken");
}

TEST_P(Accounts_, AppliesThePasswordPolicyWithThePersonsOwnData) {
  auto common = accounts_->create(
      NewAccount{Role::citizen, "", "Budi Santoso", "budi@example.id", "Unbelievable"},
      clock_.now());
  ASSERT_FALSE(common.ok());
  EXPECT_EQ(common.error().fields.at("password"), "common");
  auto personal = accounts_->create(
      NewAccount{Role::citizen, "", "Budi Santoso", "budi@example.id", "santoso-dari-madiun"},
      clock_.now());
  ASSERT_FALSE(personal.ok());
  EXPECT_EQ(personal.error().fields.at("password"), "contains_personal_data");
}

TEST_P(Accounts_, NeedsAnAgencyForOfficersAndNoneForCitizens) {
  auto officer = accounts_->create(
      NewAccount{Role::officer, "", "Petugas", "p@example.id", "lumpia semarang enak sekali"},
      clock_.now());
  ASSERT_FALSE(officer.ok());
  EXPECT_TRUE(officer.error().fields.contains("agency"));
  auto citizen = accounts_->create(
      NewAccount{Role::citizen, "bapenda", "Warga", "w@example.id", "lumpia semarang enak sekali"},
      clock_.now());
  ASSERT_FALSE(citizen.ok());
  EXPECT_TRUE(citizen.error().fields.contains("agency"));
  auto device = accounts_->create(
      NewAccount{Role::device, "", "Sensor", "s@example.id", "lumpia semarang enak sekali"},
      clock_.now());
  ASSERT_FALSE(device.ok());
  EXPECT_TRUE(device.error().fields.contains("role"));
}

TEST_P(Accounts_, RejectsMalformedEmailsAndNames) {
  for (const char* email : {"", "no-at-sign", "with space@example.id"}) {
    auto a = accounts_->create(
        NewAccount{Role::citizen, "", "Warga", email, "lumpia semarang enak sekali"}, clock_.now());
    ASSERT_FALSE(a.ok()) << email;
    EXPECT_TRUE(a.error().fields.contains("email")) << email;
  }
  auto a = accounts_->create(
      NewAccount{Role::citizen, "", "   ", "x@example.id", "lumpia semarang enak sekali"},
      clock_.now());
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(a.error().fields.contains("display_name"));
}

TEST_P(Accounts_, UsesEachTotpStepOnlyOnce) {
  const Account a = make_account(Role::officer, "o@example.id", "bapenda");
  auto first = accounts_->use_totp_step(a.key, 100);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto replay = accounts_->use_totp_step(a.key, 100);
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(*replay);
  auto older = accounts_->use_totp_step(a.key, 99);
  ASSERT_TRUE(older.ok());
  EXPECT_FALSE(*older);
  auto later = accounts_->use_totp_step(a.key, 101);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(*later);
}

TEST_P(Accounts_, KeepsTheTotpSecretEncryptedAndReadsItBack) {
  const Account a = make_account(Role::officer, "o@example.id", "bapenda");
  const std::vector<uint8_t> secret(20, 0x5a);
  ASSERT_TRUE(accounts_->set_totp(a.key, secret, true, clock_.now()).ok());
  auto found = accounts_->find(a.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->totp_secret, secret);
  EXPECT_TRUE((*found)->totp_enabled);
  auto rows = db().query("SELECT totp_secret FROM accounts");
  ASSERT_TRUE(rows.ok());
  const auto& stored = (*rows)[0].blob(0).bytes;
  EXPECT_EQ(std::search(stored.begin(), stored.end(), secret.begin(), secret.end()), stored.end());
}

TEST_P(Accounts_, UnknownIdsAndNamesFindNothing) {
  auto by_id = accounts_->find("not-a-uuid");
  ASSERT_TRUE(by_id.ok());
  EXPECT_FALSE(by_id->has_value());
  auto by_login = accounts_->find_by_login("nobody@example.id");
  ASSERT_TRUE(by_login.ok());
  EXPECT_FALSE(by_login->has_value());
}

BALAI_INSTANTIATE_DATABASE_TESTS(Accounts_);

}  // namespace
}  // namespace balai::security
