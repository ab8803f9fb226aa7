#include "core/config.h"

namespace balai::core {

std::string Config::database_url() const {
  if (!database.url.empty()) return database.url;
  return "sqlite:" + data_dir + "/balai.db";
}

std::string Config::keyring_path() const {
  if (!security.keyring_file.empty()) return security.keyring_file;
  return data_dir + "/keyring.json";
}

}  // namespace balai::core
