#include "core/config.h"

namespace balai::core {

std::string Config::database_url() const {
  if (!database.url.empty()) return database.url;
  return "sqlite:" + data_dir + "/balai.db";
}

}  // namespace balai::core
