#pragma once
// Keeps the Mosquitto broker's password and ACL files in step with the device registry (the
// registry is the source of truth; see broker_files.h for the formats). Run at server start and
// after every device registration or revocation (`balai device add|revoke`, which are separate
// processes: the files, not memory, carry the change to the broker).
//
// Configuration (core::SensorsConfig): broker_password_file and broker_acl_file set -> Balai
// writes them (mode 0640: the broker, usually another user in Balai's group, must read them);
// broker_pid_file set -> the broker is sent SIGHUP to re-read them. Balai's own broker user is
// sensors.mqtt_user with the password in sensors.mqtt_password_file.

#include <string>

#include "core/config.h"
#include "core/result.h"
#include "modules/city/service.h"

namespace balai::city {

// Whether this installation has Balai write the broker's files.
bool manages_broker(const core::Config& config);

// The password file Balai reads its own broker password from (the default filled in).
std::string balai_password_path(const core::Config& config);

// Balai's own broker password: the file's first line. When the file is missing and Balai
// manages the broker, a random one is created (0600); when Balai does not manage it, "" (the
// broker's operator set it up another way, e.g. anonymous access on a private network).
// internal error when the file cannot be read or written.
[[nodiscard]] core::Result<std::string> balai_broker_password(const core::Config& config);

// Writes both files from the registry and asks the broker to re-read them. No-op when Balai
// does not manage the broker. validation_failed when sensors.mqtt_user is not a valid broker
// user name; internal when a file cannot be written. A broker that cannot be signalled (no pid
// file yet, another user's process) is logged as a warning, not an error: the files are right
// and the broker reads them when it (re)starts.
[[nodiscard]] core::Status sync_broker_files(const core::Config& config,
                                             const ContextService& service);

}  // namespace balai::city
