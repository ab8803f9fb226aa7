// `balai agency` as an administrator uses it, and `balai user add` refusing an agency the
// catalog does not know: a real process on a fresh data directory (no demo city), real exit
// codes, and what reaches the terminal.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/ids.h"
#include "support/cli_process.h"

namespace balai::testing {
namespace {
namespace fs = std::filesystem;

using Outcome = CliOutcome;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class CliAgency : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("BALAI_BIN");
    cli_ = std::make_unique<CliProcess>(bin ? bin : BALAI_BIN_PATH, "opd");
    dir_ = cli_->dir();
  }

  Outcome run(const std::vector<std::string>& args) { return cli_->run(args); }

  Outcome add_officer(const std::string& agency) {
    return run({"user", "add", "--role", "officer", "--agency", agency, "--email",
                "petugas@dishub.example.go.id", "--name", "Budi Santoso", "--password",
                "kereta api pagi ke Surabaya"});
  }

  std::unique_ptr<CliProcess> cli_;
  fs::path dir_;
};

TEST_F(CliAgency, AddsAnAgencyAndListsIt) {
  const auto added = run({"agency", "add", "--code", "dishub", "--name", "Dinas Perhubungan",
                          "--name-en", "Transport Office"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_TRUE(contains(added.out, "added agency dishub")) << added.out;
  const auto listed = run({"agency", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(contains(listed.out, "CODE")) << listed.out;
  EXPECT_TRUE(contains(listed.out, "dishub"));
  EXPECT_TRUE(contains(listed.out, "Dinas Perhubungan"));
  EXPECT_TRUE(contains(listed.out, "Transport Office"));
}

TEST_F(CliAgency, RenamesTheAgencyWithAKnownCode) {
  ASSERT_EQ(run({"agency", "add", "--code", "dinkes", "--name", "Dinas Kesehatan"}).exit_code, 0);
  const auto renamed = run({"agency", "add", "--code", "dinkes", "--name",
                            "Dinas Kesehatan dan Keluarga Berencana", "--name-en", "Health"});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  EXPECT_TRUE(contains(renamed.out, "renamed agency dinkes")) << renamed.out;
  const auto listed = run({"agency", "list"});
  EXPECT_TRUE(contains(listed.out, "Dinas Kesehatan dan Keluarga Berencana")) << listed.out;
  EXPECT_TRUE(contains(listed.out, "Health"));
}

TEST_F(CliAgency, ListsAnAgencyWithoutAnEnglishNameWithADash) {
  ASSERT_EQ(run({"agency", "add", "--code", "ortala", "--name", "Bagian Organisasi"}).exit_code, 0);
  const auto listed = run({"agency", "list"});
  EXPECT_TRUE(contains(listed.out, "Bagian Organisasi  -")) << listed.out;
}

TEST_F(CliAgency, RefusesACodeThatIsNotASlugNamingTheCode) {
  for (const std::string& bad :
       std::vector<std::string>{"Dinas PU", "DISHUB", "-dishub", "x", std::string(41, 'a')}) {
    const auto r = run({"agency", "add", "--code", bad, "--name", "Dinas Pekerjaan Umum"});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_TRUE(contains(r.err, "code: invalid")) << bad << ": " << r.err;
  }
  EXPECT_FALSE(contains(run({"agency", "list"}).out, "Dinas Pekerjaan Umum"));
}

TEST_F(CliAgency, RefusesABlankNameNamingTheOption) {
  const auto r = run({"agency", "add", "--code", "dishub", "--name", "   "});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "name: required")) << r.err;
}

TEST_F(CliAgency, UserAddRefusesAnAgencyThatIsNotInTheCatalogNamingIt) {
  const auto r = add_officer("dishub");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "agency: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "\"dishub\"")) << r.err;
  EXPECT_FALSE(contains(r.out, "created account"));
  EXPECT_FALSE(contains(run({"user", "list"}).out, "officer"));
}

TEST_F(CliAgency, UserAddAcceptsAnAgencyOfTheCatalog) {
  ASSERT_EQ(run({"agency", "add", "--code", "dishub", "--name", "Dinas Perhubungan"}).exit_code, 0);
  const auto r = add_officer("dishub");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto listed = run({"user", "list"});
  EXPECT_TRUE(contains(listed.out, "officer")) << listed.out;
  EXPECT_TRUE(contains(listed.out, "dishub"));
}

TEST_F(CliAgency, ChainsItsAuditEntriesIntact) {
  ASSERT_EQ(run({"agency", "add", "--code", "dishub", "--name", "Dinas Perhubungan"}).exit_code, 0);
  ASSERT_EQ(
      run({"agency", "add", "--code", "dishub", "--name", "Dinas Perhubungan Kota"}).exit_code, 0);
  ASSERT_EQ(run({"agency", "list"}).exit_code, 0);  // reads add nothing
  ASSERT_EQ(run({"agency", "add", "--code", "BAD", "--name", "X"}).exit_code, 1);  // nor refusals
  const auto verified = run({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_TRUE(contains(verified.out, "intact: 2 entries")) << verified.out;
}

}  // namespace
}  // namespace balai::testing
