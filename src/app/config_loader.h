#pragma once
// Builds the effective configuration: defaults, then the TOML file (when given), then BALAI_*
// environment variables. Unknown keys in the file are errors (a typo must not silently fall
// back to a default).

#include <map>
#include <string>

#include "core/config.h"
#include "core/result.h"

namespace balai::app {

// `path` empty: no file. `env` is the environment to read (tests pass their own).
[[nodiscard]] core::Result<core::Config> load_config(const std::string& path,
                                                     const std::map<std::string, std::string>& env);

// The process environment's BALAI_* variables (and BALAI_CONFIG).
std::map<std::string, std::string> balai_environment();

// The effective configuration as TOML, secrets masked (passwords in database URLs).
std::string describe_config(const core::Config& config);

// Masks the password of a URL ("postgresql://u:secret@h/db" -> "postgresql://u:***@h/db").
std::string mask_url_password(const std::string& url);

}  // namespace balai::app
