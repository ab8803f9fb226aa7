#pragma once
// The catalog's public face: what other modules and the handlers call. Thread-safe; blocking
// (database), so call from worker threads.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "http/response_cache.h"
#include "modules/catalog/model.h"
#include "modules/catalog/store.h"

namespace balai::catalog {

// The path of a service's privacy notice page, "/layanan/<code>/privasi", for forms of other
// modules that collect personal data to link beside their first question. Does not check that
// the service exists; `service_code` must be a catalog code (a slug). Pure, thread-safe.
std::string privacy_notice_path(std::string_view service_code);

// The catalog service that covers the portal account itself (registration with NIK and its
// verification): the registration and account pages link to its privacy notice.
inline constexpr std::string_view kPortalAccountServiceCode = "identitas";

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
