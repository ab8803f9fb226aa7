// The balai command line as an operator uses it: a real process, real exit codes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/ids.h"
#include "db/database.h"

extern char** environ;

namespace balai::testing {
namespace {
namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("BALAI_BIN");
    bin_ = bin ? bin : BALAI_BIN_PATH;  // the build passes the binary's path
    dir_ = fs::temp_directory_path() / ("balai-cli-" + core::random_hex_id().substr(0, 8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> env(const std::vector<std::string>& extra) const {
    std::vector<std::string> e = {
        "BALAI_DATA_DIR=" + (dir_ / "data").string(),
        "BALAI_WEB_DIR=" +
            std::string(std::getenv("BALAI_SOURCE_DIR") ? std::getenv("BALAI_SOURCE_DIR") : ".") +
            "/web",
        "PATH=/usr/bin:/bin"};
    e.insert(e.end(), extra.begin(), extra.end());
    return e;
  }

  // Starts the binary with args; stdout and stderr go to files in dir_.
  pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
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
    auto env_s = env(extra_env);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    posix_spawn(&pid, bin_.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  }

  std::string read(const char* name) const {
    std::ifstream in(dir_ / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  Outcome run(const std::vector<std::string>& args,
              const std::vector<std::string>& extra_env = {}) {
    const pid_t pid = spawn(args, extra_env);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read("out"), read("err")};
  }

  std::string bin_;
  fs::path dir_;
};

TEST_F(Cli, PrintsItsVersion) {
  const auto r = run({"version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.starts_with("balai "));
}

TEST_F(Cli, PrintsTheEffectiveConfigWithThePasswordMasked) {
  const auto r = run({"config", "check"},
                     {"BALAI_DATABASE_URL=postgresql://balai:hunter2secret@db.local/balai",
                      "BALAI_SERVER_PORT=9999"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("hunter2secret"), std::string::npos);
  EXPECT_NE(r.out.find("postgresql://balai:***@db.local/balai"), std::string::npos);
  EXPECT_NE(r.out.find("port = 9999"), std::string::npos);
}

TEST_F(Cli, RejectsAnInvalidEnvironmentValueNamingIt) {
  const auto r = run({"config", "check"}, {"BALAI_SERVER_PORT=eighty"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("BALAI_SERVER_PORT"), std::string::npos);
}

TEST_F(Cli, RefusesARedirectWithoutAPublicUrl) {
  const auto r = run({"config", "check"}, {"BALAI_SERVER_REDIRECT_HTTP_PORT=8081"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("public_url"), std::string::npos);
}

TEST_F(Cli, RejectsAStringWhereANumberBelongs) {
  std::ofstream(dir_ / "balai.toml") << "[server]\nport = \"8080\"\n";
  const auto r = run({"--config", (dir_ / "balai.toml").string(), "config", "check"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("server.port"), std::string::npos);
}

TEST_F(Cli, RefusesToServeWithPendingMigrationsWhenToldNotToMigrate) {
  const auto r = run({"serve", "--no-migrate"}, {"BALAI_SERVER_PORT=0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("pending"), std::string::npos) << r.err;
}

TEST_F(Cli, CreatesTheKeyRingOwnerOnlyAndRotatesIt) {
  ASSERT_EQ(run({"keys", "list"}).exit_code, 0);
  const auto ring = dir_ / "data" / "keyring.json";
  ASSERT_TRUE(fs::exists(ring));
  EXPECT_EQ(fs::status(ring).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  const auto rotated = run({"keys", "rotate"});
  EXPECT_EQ(rotated.exit_code, 0) << rotated.err;
  const auto listed = run({"keys", "list"});
  EXPECT_NE(listed.out.find("key 1"), std::string::npos);
  EXPECT_NE(listed.out.find("key 2"), std::string::npos);
  EXPECT_NE(listed.out.find("(active)"), std::string::npos);
}

TEST_F(Cli, AuditVerifyNamesAnEditedEntry) {
  ASSERT_EQ(run({"keys", "rotate"}).exit_code, 0);  // audited: entry 1
  ASSERT_EQ(run({"keys", "rotate"}).exit_code, 0);  // entry 2
  const auto intact = run({"audit", "verify"});
  EXPECT_EQ(intact.exit_code, 0) << intact.err;
  EXPECT_NE(intact.out.find("2 entries"), std::string::npos);
  const auto exported = run({"audit", "checkpoint", "--export"});
  EXPECT_EQ(exported.exit_code, 0);
  EXPECT_NE(exported.out.find("\"algorithm\":\"Ed25519\""), std::string::npos);
  {
    auto db = db::open_database("sqlite:" + (dir_ / "data" / "balai.db").string());
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->transact([](db::Connection& c) -> core::Status {
      auto r = c.query("UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 1");
      if (!r) return r.take_error();
      return {};
    }));
  }
  const auto tampered = run({"audit", "verify"});
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.err.find("entry 1"), std::string::npos) << tampered.err;
}

TEST_F(Cli, RejectsAnUnknownSettingInTheConfigFile) {
  std::ofstream(dir_ / "balai.toml") << "[server]\nprot = 80\n";
  const auto r = run({"--config", (dir_ / "balai.toml").string(), "config", "check"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("server.prot"), std::string::npos);
}

TEST_F(Cli, ReadsSettingsFromTheConfigFile) {
  std::ofstream(dir_ / "balai.toml")
      << "[city]\nname = \"Kota Batu\"\nzone = \"WIB\"\n[server]\nport = 8181\n";
  const auto r = run({"--config", (dir_ / "balai.toml").string(), "config", "check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("name = \"Kota Batu\""), std::string::npos);
  EXPECT_NE(r.out.find("port = 8181"), std::string::npos);
}

TEST_F(Cli, MigratesOnceAndThenHasNothingToDo) {
  const auto first = run({"migrate"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied catalog/001_catalog"), std::string::npos);
  const auto second = run({"migrate"});
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.out.find("0 applied"), std::string::npos);
}

TEST_F(Cli, RefusesToStartWhenAnAppliedMigrationChanged) {
  ASSERT_EQ(run({"migrate"}).exit_code, 0);
  {
    auto db = db::open_database("sqlite:" + (dir_ / "data" / "balai.db").string());
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->transact([](db::Connection& c) -> core::Status {
      auto r =
          c.query("UPDATE schema_migrations SET checksum = 'tampered' WHERE module = 'catalog'");
      if (!r) return r.take_error();
      return {};
    }));
  }
  const auto r = run({"serve"}, {"BALAI_SERVER_PORT=0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("catalog/001_catalog"), std::string::npos) << r.err;
}

TEST_F(Cli, ServesAndExitsCleanlyOnSigterm) {
  const pid_t pid = spawn({"serve", "--demo"}, {"BALAI_SERVER_PORT=0"});
  // Wait for the "listening" line.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (read("out").find("Balai is listening on") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) FAIL() << "server exited early: " << read("err");
    std::this_thread::yield();
  }
  ASSERT_NE(read("out").find("Balai is listening on http://127.0.0.1:"), std::string::npos);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(read("err").find("server.stopped"), std::string::npos);
}

}  // namespace
}  // namespace balai::testing
