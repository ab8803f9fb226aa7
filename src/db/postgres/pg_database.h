#pragma once
// PostgreSQL backend: a pool of libpq connections. Invariants that several Balai instances
// share are held by the database itself (constraints, row locks, SERIALIZABLE).

#include <memory>
#include <string>

#include "db/database.h"

namespace balai::db::postgres {

[[nodiscard]] core::Result<std::unique_ptr<Database>> open(const std::string& conninfo,
                                                           const OpenOptions& options);

}  // namespace balai::db::postgres
