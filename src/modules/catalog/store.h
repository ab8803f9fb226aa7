#pragma once
// SQL of the catalog, through db::Database. Blocking: call from worker threads.

#include <optional>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "modules/catalog/model.h"

namespace balai::catalog {

class Store {
 public:
  explicit Store(db::Database& db) : db_(db) {}

  // Every service with its agency's name, in grid order.
  [[nodiscard]] core::Result<std::vector<Service>> list_services() const;
  // One service by code; nullopt when there is none.
  [[nodiscard]] core::Result<std::optional<Service>> find_service(std::string_view code) const;
  [[nodiscard]] core::Result<std::vector<Agency>> list_agencies() const;

  // Inserts or updates by code (seeding and administration). The agency must exist.
  [[nodiscard]] core::Status upsert_agency(const Agency& agency, core::Timestamp now);
  [[nodiscard]] core::Status upsert_service(const Service& service, core::Timestamp now);

 private:
  db::Database& db_;
};

}  // namespace balai::catalog
