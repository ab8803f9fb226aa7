#pragma once
// Internal to the catalog module: its route tables (api.cpp, pages.cpp).

#include "http/router.h"
#include "modules/catalog/service.h"
#include "web/renderer.h"

namespace balai::catalog {

void install_api(http::Router& router, const CatalogService& service);
void install_pages(http::Router& router, const CatalogService& service,
                   const web::Renderer& renderer);

}  // namespace balai::catalog
