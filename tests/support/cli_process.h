#pragma once
// The `balai` command line run as a real process on a fresh, empty data directory: real exit
// codes and what reaches stdout and stderr (tests of `balai user`, `token`, `agency`, ...).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace balai::testing {

struct CliOutcome {
  int exit_code = -1;  // -1 when the process could not start or did not exit normally
  std::string out;
  std::string err;
};

class CliProcess {
 public:
  // `bin`: the balai binary. Makes a temporary directory named after `tag`; the data directory
  // is its "data" folder. Templates come from BALAI_SOURCE_DIR/web (ctest sets it).
  CliProcess(std::string bin, std::string_view tag);
  ~CliProcess();  // removes the temporary directory
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  // Runs `bin args...` with only BALAI_DATA_DIR, BALAI_WEB_DIR and PATH in its environment, and
  // waits for it to end.
  CliOutcome run(const std::vector<std::string>& args) const;
  // The temporary directory (for files a test hands to the command, like a password file).
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::string read(const char* name) const;

  std::string bin_;
  std::filesystem::path dir_;
};

}  // namespace balai::testing
