// `balai token` and `balai user` as an administrator uses them: a real process on a fresh data
// directory, real exit codes, and what reaches the terminal.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.h"
#include "security/secret_token.h"
#include "security/totp.h"
#include "support/cli_process.h"

namespace balai::testing {
namespace {
namespace fs = std::filesystem;

using Outcome = CliOutcome;

// The value printed after `label` at the start of a line ("token: bt_..."), "" when none.
std::string line_value(const std::string& text, std::string_view label) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(label)) return line.substr(label.size());
  return "";
}

size_t occurrences(const std::string& text, std::string_view needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class CliAccounts : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("BALAI_BIN");
    cli_ = std::make_unique<CliProcess>(bin ? bin : BALAI_BIN_PATH, "acc");
    dir_ = cli_->dir();
  }

  Outcome run(const std::vector<std::string>& args) { return cli_->run(args); }

  Outcome add_user(const std::string& role, const std::string& email,
                   const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"user", "add",    "--role",       role,         "--email",
                                     email,  "--name", "Budi Santoso", "--password", kGoodPassword};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  static constexpr const char* kGoodPassword = "kereta api pagi ke Surabaya";
  std::unique_ptr<CliProcess> cli_;
  fs::path dir_;
};

TEST_F(CliAccounts, TokenCreatePrintsTheTokenOnceAndListShowsItWithoutTheSecret) {
  const auto created = run({"token", "create", "--role", "integrator", "--name", "LAPOR! bridge",
                            "--agency", "DISKOMINFO", "--expires", "30"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string token = line_value(created.out, "token: ");
  EXPECT_TRUE(security::looks_like_token(token, "bt_")) << created.out;
  EXPECT_EQ(occurrences(created.out, token), 1u);
  EXPECT_NE(created.out.find("only once"), std::string::npos);
  const std::string id = line_value(created.out, "id: ");
  EXPECT_TRUE(core::is_uuid(id)) << created.out;
  EXPECT_NE(line_value(created.out, "expires: ").find("+07:00"), std::string::npos)
      << created.out;  // the default city is in WIB

  const auto listed = run({"token", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(id), std::string::npos);
  EXPECT_NE(listed.out.find("LAPOR! bridge"), std::string::npos);
  EXPECT_NE(listed.out.find("DISKOMINFO"), std::string::npos);
  EXPECT_NE(listed.out.find("active"), std::string::npos);
  EXPECT_EQ(listed.out.find(token), std::string::npos);
  EXPECT_EQ(listed.out.find(token.substr(3)), std::string::npos);
  EXPECT_EQ(listed.out.find(security::token_digest(token)), std::string::npos);
}

TEST_F(CliAccounts, ListsARevokedTokenAsRevoked) {
  const auto created = run({"token", "create", "--role", "device", "--name", "AWS-07"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string id = line_value(created.out, "id: ");
  const auto revoked = run({"token", "revoke", id});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(revoked.out.find("revoked " + id), std::string::npos);
  const auto listed = run({"token", "list"});
  EXPECT_NE(listed.out.find("revoked"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find("active"), std::string::npos) << listed.out;
}

TEST_F(CliAccounts, RevokingAnUnknownTokenExitsWithOne) {
  const auto r = run({"token", "revoke", "0190a5b2-0000-7000-8000-000000000000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("No such token"), std::string::npos) << r.err;
}

TEST_F(CliAccounts, RefusesATokenForAStaffRoleNamingTheRole) {
  const auto r = run({"token", "create", "--role", "admin", "--name", "backdoor"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("role"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("bt_"), std::string::npos);
}

TEST_F(CliAccounts, RefusesATokenThatExpiresInZeroDays) {
  const auto r = run({"token", "create", "--role", "device", "--name", "AWS-07", "--expires", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("expires"), std::string::npos) << r.err;
}

TEST_F(CliAccounts, RefusesATokenWithABlankName) {
  const auto r = run({"token", "create", "--role", "device", "--name", "   "});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("name"), std::string::npos) << r.err;
}

TEST_F(CliAccounts, AddsACitizenWithoutATotpSecret) {
  const auto r = add_user("citizen", "budi@example.id");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(core::is_uuid(line_value(r.out, "created account "))) << r.out;
  EXPECT_EQ(r.out.find("totp"), std::string::npos);
}

TEST_F(CliAccounts, RefusesAnOfficerWithoutAnAgencyNamingTheAgency) {
  const auto r = add_user("officer", "petugas@example.id");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("agency"), std::string::npos) << r.err;
}

TEST_F(CliAccounts, RefusesACommonPasswordNamingThePassword) {
  const auto r = run({"user", "add", "--role", "citizen", "--email", "budi@example.id", "--name",
                      "Budi Santoso", "--password", "unbelievable"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("password: common"), std::string::npos) << r.err;
}

TEST_F(CliAccounts, RefusesAPasswordBuiltFromTheEmail) {
  const auto r = run({"user", "add", "--role", "citizen", "--email", "santoso@example.id", "--name",
                      "Budi", "--password", "santoso-2024-madiun"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("password: contains_personal_data"), std::string::npos) << r.err;
}

TEST_F(CliAccounts, ReadsThePasswordFromTheFirstLineOfAFile) {
  std::ofstream(dir_ / "pw") << kGoodPassword << "\r\nsecond line\n";
  const auto r = run({"user", "add", "--role", "citizen", "--email", "budi@example.id", "--name",
                      "Budi Santoso", "--password-file", (dir_ / "pw").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CliAccounts, RequiresExactlyOnePasswordOption) {
  std::ofstream(dir_ / "pw") << kGoodPassword << "\n";
  const auto both =
      add_user("citizen", "budi@example.id", {"--password-file", (dir_ / "pw").string()});
  EXPECT_NE(both.exit_code, 0);
  const auto none = run(
      {"user", "add", "--role", "citizen", "--email", "budi@example.id", "--name", "Budi Santoso"});
  EXPECT_NE(none.exit_code, 0);
  EXPECT_EQ(run({"user", "list"}).out.find("citizen"), std::string::npos);
}

TEST_F(CliAccounts, GivesStaffAConfirmedTotpSecretAndItsOtpauthUri) {
  // Staff belong to an agency of the catalog: add it first.
  ASSERT_EQ(run({"agency", "add", "--code", "dishub", "--name", "Dinas Perhubungan"}).exit_code, 0);
  const auto r = add_user("supervisor", "kabid@dishub.example.id", {"--agency", "dishub"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string secret = line_value(r.out, "totp secret: ");
  const auto bytes = security::base32_decode(secret);
  ASSERT_TRUE(bytes) << r.out;
  EXPECT_EQ(bytes->size(), security::kTotpSecretBytes);
  EXPECT_EQ(line_value(r.out, "totp uri: "),
            security::otpauth_uri("Balai Kota Madiun", "kabid@dishub.example.id", *bytes));
  // Ten recovery codes in the 4-4-2 form, for when the phone is lost.
  const size_t from = r.out.find("recovery codes");
  ASSERT_NE(from, std::string::npos) << r.out;
  int codes = 0;
  for (size_t at = r.out.find("\n  ", from); at != std::string::npos;
       at = r.out.find("\n  ", at + 1)) {
    const std::string code = r.out.substr(at + 3, 12);
    if (code.size() == 12 && code[4] == '-' && code[9] == '-') ++codes;
  }
  EXPECT_EQ(codes, 10) << r.out;
  const auto listed = run({"user", "list"});
  EXPECT_NE(listed.out.find("supervisor"), std::string::npos);
  EXPECT_NE(listed.out.find(" on "), std::string::npos) << listed.out;  // the 2FA column
}

TEST_F(CliAccounts, RefusesASecondAccountWithTheSameEmailInAnyCase) {
  ASSERT_EQ(add_user("citizen", "budi@example.id").exit_code, 0);
  const auto r = add_user("citizen", "  Budi@Example.ID");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("email: taken"), std::string::npos) << r.err;
}

TEST_F(CliAccounts, ListsAccountsWithoutNamesOrEmailsUnlessAsked) {
  const auto added = add_user("auditor", "inspektorat@example.id");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string id = line_value(added.out, "created account ");
  const auto plain = run({"user", "list"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find(id), std::string::npos);
  EXPECT_EQ(plain.out.find("inspektorat@example.id"), std::string::npos);
  EXPECT_EQ(plain.out.find("Budi"), std::string::npos);
  const auto shown = run({"user", "list", "--show-email"});
  EXPECT_NE(shown.out.find("inspektorat@example.id"), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find("Budi"), std::string::npos);
}

TEST_F(CliAccounts, ChainsTheirAuditEntriesIntact) {
  const auto token = run({"token", "create", "--role", "device", "--name", "AWS-07"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  ASSERT_EQ(run({"token", "revoke", line_value(token.out, "id: ")}).exit_code, 0);
  ASSERT_EQ(add_user("admin", "admin@example.id").exit_code, 0);
  ASSERT_EQ(run({"user", "list"}).exit_code, 0);  // reads add nothing
  const auto verified = run({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_NE(verified.out.find("intact: 3 entries"), std::string::npos) << verified.out;
}

}  // namespace
}  // namespace balai::testing
