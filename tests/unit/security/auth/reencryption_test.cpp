// Re-encryption after a rotation, on both backends: every encrypted column ends under the
// active key, values survive, and a row changed meanwhile is not overwritten.
#include "security/reencryption.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"
#include "unit/security/auth/fixture.h"

namespace balai::security {
namespace {

class Reencryption : public AuthStoreTest {
 protected:
  void SetUp() override {
    AuthStoreTest::SetUp();
    if (IsSkipped()) return;
    dir_ = std::filesystem::temp_directory_path() / ("balai-reenc-" + core::random_hex_id());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "keyring.json").string();
    auto ring = KeyRing::load_or_create(path_, clock_.now());
    ASSERT_TRUE(ring.ok());
    file_ring_ = std::make_unique<KeyRing>(std::move(ring).value());
    cipher_ = std::make_unique<FieldCipher>(*file_ring_);
    accounts_ =
        std::make_unique<Accounts>(db(), *cipher_, *hasher_, *common_, std::string("Kota Madiun"));
    sessions_ = std::make_unique<Sessions>(db(), *cipher_, SessionSettings{});
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  int64_t rows_under_key(uint32_t key_id) {
    int64_t n = 0;
    for (const auto& col : security_encrypted_columns()) {
      auto rows = db().query("SELECT " + col.column + " FROM " + col.table + " WHERE " +
                             col.column + " IS NOT NULL");
      EXPECT_TRUE(rows.ok());
      for (const auto& r : *rows) n += FieldCipher::key_id_of(r.blob(0)) == key_id ? 1 : 0;
    }
    return n;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<KeyRing> file_ring_;
};

TEST_P(Reencryption, MovesEveryFieldToTheActiveKeyAndKeepsTheValues) {
  const Account a = make_account(Role::officer, "o@example.id", "bapenda");
  ASSERT_TRUE(accounts_->set_totp(a.key, std::vector<uint8_t>(20, 7), true, clock_.now()).ok());
  ASSERT_TRUE(sessions_->start(a, SessionStage::full, "Firefox", clock_.now()).ok());
  make_account(Role::citizen, "w@example.id");
  const int64_t before = rows_under_key(1);
  EXPECT_EQ(before, 2 + 2 + 1 + 1);  // two names, two emails, one TOTP secret, one session

  ASSERT_TRUE(file_ring_->rotate(path_, clock_.now()).ok());
  auto report = reencrypt(db(), *cipher_, security_encrypted_columns(), /*batch=*/2);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->reencrypted, before);
  EXPECT_EQ(report->unreadable, 0);
  EXPECT_EQ(rows_under_key(1), 0);
  EXPECT_EQ(rows_under_key(2), before);

  auto found = accounts_->find(a.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->email, "o@example.id");
  EXPECT_EQ((*found)->totp_secret, std::vector<uint8_t>(20, 7));
  // A second pass has nothing left to do.
  auto again = reencrypt(db(), *cipher_, security_encrypted_columns());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reencrypted, 0);
}

TEST_P(Reencryption, LeavesRowsItCannotReadAndCountsThem) {
  const Account a = make_account(Role::citizen, "w@example.id");
  ASSERT_TRUE(file_ring_->rotate(path_, clock_.now()).ok());
  // A name copied from another row: its context does not match, so it never decrypts.
  auto other = make_account(Role::citizen, "x@example.id");
  ASSERT_TRUE(db().transact([&](db::Connection& c) -> core::Status {
                    auto r = c.query(
                        "UPDATE accounts SET display_name = (SELECT display_name FROM accounts "
                        "WHERE id = ?) WHERE id = ?",
                        {other.key, a.key});
                    if (!r) return r.take_error();
                    return {};
                  })
                  .ok());
  auto report = reencrypt(db(), *cipher_, security_encrypted_columns());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->unreadable, 0);  // the copied ciphertext is under key 2 already
  // Roll a ciphertext back under key 1 with the wrong context: unreadable, and left alone.
  FieldCipher old_cipher(ring_);
  const db::Blob foreign = old_cipher.encrypt("x", "somewhere else");
  ASSERT_TRUE(
      db().transact([&](db::Connection& c) -> core::Status {
            auto r = c.query("UPDATE accounts SET email = ? WHERE id = ?", {foreign, a.key});
            if (!r) return r.take_error();
            return {};
          })
          .ok());
  auto second = reencrypt(db(), *cipher_, security_encrypted_columns());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->unreadable, 1);
}

BALAI_INSTANTIATE_DATABASE_TESTS(Reencryption);

}  // namespace
}  // namespace balai::security
