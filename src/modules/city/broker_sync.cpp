#include "modules/city/broker_sync.h"

#include <sys/types.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "core/files.h"
#include "core/ids.h"
#include "core/log.h"
#include "modules/city/broker_files.h"

namespace balai::city {
namespace {

// Asks the broker to re-read its files. Failures are warnings (see the header).
void signal_broker(const std::string& pid_file) {
  if (pid_file.empty()) return;
  std::ifstream in(pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 1) {
    core::log::warn("city.broker_not_reloaded", {{"reason", "pid file unreadable"}});
    return;
  }
  if (::kill(static_cast<pid_t>(pid), SIGHUP) != 0)
    core::log::warn("city.broker_not_reloaded",
                    {{"pid", static_cast<int64_t>(pid)}, {"reason", std::strerror(errno)}});
}

}  // namespace

bool manages_broker(const core::Config& config) {
  return !config.sensors.broker_password_file.empty() && !config.sensors.broker_acl_file.empty();
}

std::string balai_password_path(const core::Config& config) {
  if (!config.sensors.mqtt_password_file.empty()) return config.sensors.mqtt_password_file;
  return config.data_dir + "/mqtt-password";
}

core::Result<std::string> balai_broker_password(const core::Config& config) {
  const std::string path = balai_password_path(config);
  std::ifstream in(path);
  if (in) {
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
  }
  if (!manages_broker(config)) return std::string{};
  // 32 random hex characters twice: 256 bits, and only characters every file format takes.
  std::string password = core::random_hex_id() + core::random_hex_id();
  BALAI_TRY(core::write_file_atomically(path, password + "\n", 0600));
  return password;
}

core::Status sync_broker_files(const core::Config& config, const ContextService& service) {
  if (!manages_broker(config)) return {};
  const std::string& user = config.sensors.mqtt_user;
  auto password = balai_broker_password(config);
  if (!password) return password.take_error();
  auto devices = service.broker_users();
  if (!devices) return devices.take_error();
  std::string passwords;
  std::vector<DeviceAcl> acl;
  try {
    passwords = password_file_line(user, *password) + "\n";
    for (const auto& d : *devices) {
      if (d.device_id == user) continue;  // acl_file refuses it too; never two roles in one user
      passwords += d.password_line + "\n";
      acl.push_back({d.device_id});
    }
    const std::string acl_text = acl_file(acl, user);
    BALAI_TRY(core::write_file_atomically(config.sensors.broker_password_file, passwords, 0640));
    BALAI_TRY(core::write_file_atomically(config.sensors.broker_acl_file, acl_text, 0640));
  } catch (const std::invalid_argument&) {
    return core::Error{core::ErrorCode::validation_failed,
                       "sensors.mqtt_user is not a valid broker user name.",
                       {{"sensors.mqtt_user", "1 to 64 of A-Z a-z 0-9 _ . -"}}};
  }
  signal_broker(config.sensors.broker_pid_file);
  core::log::info("city.broker_files_written", {{"devices", static_cast<int64_t>(acl.size())}});
  return {};
}

}  // namespace balai::city
