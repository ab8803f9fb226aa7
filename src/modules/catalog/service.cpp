#include "modules/catalog/service.h"

#include "modules/catalog/rules.h"

namespace balai::catalog {

std::string privacy_notice_path(std::string_view service_code) {
  return "/layanan/" + std::string(service_code) + "/privasi";
}

core::Result<Service> CatalogService::service(std::string_view code) const {
  if (!is_slug(code)) return core::make_error(core::ErrorCode::not_found, "no such service");
  auto found = store_.find_service(code);
  if (!found) return found.take_error();
  if (!*found) return core::make_error(core::ErrorCode::not_found, "no such service");
  return std::move(**found);
}

core::Result<std::vector<Service>> CatalogService::search(const ServiceQuery& query) const {
  BALAI_TRY(validate(query));
  auto all = store_.list_services();
  if (!all) return all.take_error();
  std::vector<Service> out;
  for (auto& s : *all)
    if (matches(s, query)) out.push_back(std::move(s));
  return out;
}

core::Status CatalogService::save_agency(const Agency& agency) {
  BALAI_TRY(validate(agency));
  BALAI_TRY(store_.upsert_agency(agency, clock_.now()));
  cache_.clear();
  return {};
}

core::Status CatalogService::save_service(const Service& service) {
  BALAI_TRY(validate(service));
  BALAI_TRY(store_.upsert_service(service, clock_.now()));
  cache_.clear();
  return {};
}

}  // namespace balai::catalog
