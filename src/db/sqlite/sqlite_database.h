#pragma once
// SQLite backend: WAL, synchronous=FULL, foreign keys, one writer thread with a write queue
// (group commit: the waiting transactions share one COMMIT and so one fsync), several readers.

#include <memory>
#include <string>

#include "db/database.h"

namespace balai::db::sqlite {

[[nodiscard]] core::Result<std::unique_ptr<Database>> open(const std::string& path,
                                                           const OpenOptions& options);

}  // namespace balai::db::sqlite
