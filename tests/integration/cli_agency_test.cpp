// `balai agency` as an administrator uses it, and `balai user add` refusing an agency the
// catalog does not know: a real process on a fresh data directory (no demo city), real exit
// codes, and what reaches the terminal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/ids.h"

namespace balai::testing {
namespace {
namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class CliAgency : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("BALAI_BIN");
    bin_ = bin ? bin : BALAI_BIN_PATH;  // the build passes the binary's path
    dir_ = fs::temp_directory_path() / ("balai-cli-opd-" + core::random_hex_id().substr(0, 8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome run(const std::vector<std::string>& args) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, (dir_ / "out").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ / "err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> argv_s = {bin_};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    const char* source = std::getenv("BALAI_SOURCE_DIR");
    std::vector<std::string> env_s = {
        "BALAI_DATA_DIR=" + (dir_ / "data").string(),
        "BALAI_WEB_DIR=" + std::string(source ? source : ".") + "/web", "PATH=/usr/bin:/bin"};
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int spawned =
        posix_spawn(&pid, bin_.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return {};
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read("out"), read("err")};
  }

  std::string read(const char* name) const {
    std::ifstream in(dir_ / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  Outcome add_officer(const std::string& agency) {
    return run({"user", "add", "--role", "officer", "--agency", agency, "--email",
                "petugas@dishub.example.go.id", "--name", "Budi Santoso", "--password",
                "kereta api pagi ke Surabaya"});
  }

  std::string bin_;
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
