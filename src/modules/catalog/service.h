#pragma once
// The catalog's public face: what other modules and the handlers call. Thread-safe; blocking
// (database), so call from worker threads.

#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "http/response_cache.h"
#include "modules/catalog/model.h"
#include "modules/catalog/store.h"

namespace balai::catalog {

class CatalogService {
 public:
  CatalogService(Store& store, const core::Clock& clock, http::ResponseCache& cache)
      : store_(store), clock_(clock), cache_(cache) {}

  [[nodiscard]] core::Result<std::vector<Service>> services() const {
    return store_.list_services();
  }
  // The services that match a query, in grid order; validation_failed for a bad query.
  [[nodiscard]] core::Result<std::vector<Service>> search(const ServiceQuery& query) const;
  // not_found when no service has that code.
  [[nodiscard]] core::Result<Service> service(std::string_view code) const;
  [[nodiscard]] core::Result<std::vector<Agency>> agencies() const {
    return store_.list_agencies();
  }

  // Validates and saves; clears the public response cache so readers see the change at once
  // on this instance (other instances within the cache's lifetime).
  [[nodiscard]] core::Status save_agency(const Agency& agency);
  [[nodiscard]] core::Status save_service(const Service& service);

 private:
  Store& store_;
  const core::Clock& clock_;
  http::ResponseCache& cache_;
};

}  // namespace balai::catalog
