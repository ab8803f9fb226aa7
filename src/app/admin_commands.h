#pragma once
// The administrator's commands for who may call the API and who may sign in:
//   balai token create | list | revoke   (bearer tokens for devices and integrators)
//   balai user add | list                (accounts, with a confirmed TOTP secret for staff)
// Each opens the runtime, applies pending migrations (so a fresh data directory works) and
// records what it changes in the audit log as the "system" actor: the operator at the console.

#include <memory>
#include <optional>

#include "core/config.h"

namespace CLI {
class App;
}

namespace balai::app {

class AdminCommands {
 public:
  // Adds the `token` and `user` subcommands to `cli`, which must outlive this object and be
  // parsed before run().
  explicit AdminCommands(CLI::App& cli);
  ~AdminCommands();
  AdminCommands(const AdminCommands&) = delete;
  AdminCommands& operator=(const AdminCommands&) = delete;

  // Runs the subcommand the command line chose and returns the process exit code (0, or 1 with
  // a message on stderr); nullopt when the command line chose none of these. Blocks on the
  // database and, for `user add`, on Argon2. Secrets it prints (a new token, a TOTP secret) go
  // to stdout once and nowhere else; personal data (emails) only when asked for.
  [[nodiscard]] std::optional<int> run(const core::Config& config) const;

  struct Options;  // what the command line gave; defined in the .cpp

 private:
  std::unique_ptr<Options> options_;
};

}  // namespace balai::app
