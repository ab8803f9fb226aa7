#include "support/cli_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "core/ids.h"

namespace balai::testing {

namespace fs = std::filesystem;

CliProcess::CliProcess(std::string bin, std::string_view tag)
    : bin_(std::move(bin)),
      dir_(fs::temp_directory_path() /
           ("balai-cli-" + std::string(tag) + "-" + core::random_hex_id().substr(0, 8))) {
  fs::create_directories(dir_);
}

CliProcess::~CliProcess() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

CliOutcome CliProcess::run(const std::vector<std::string>& args) const {
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
  std::vector<std::string> env_s = {"BALAI_DATA_DIR=" + (dir_ / "data").string(),
                                    "BALAI_WEB_DIR=" + std::string(source ? source : ".") + "/web",
                                    "PATH=/usr/bin:/bin"};
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, bin_.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return {};
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read("out"), read("err")};
}

std::string CliProcess::read(const char* name) const {
  std::ifstream in(dir_ / name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace balai::testing
