// HTML routes of the catalog: the portal's home (the service grid), a page per service, and
// the privacy notice and accessibility statement that the footer links.
#include <boost/json.hpp>

#include "modules/catalog/routes.h"
#include "modules/catalog/rules.h"

namespace balai::catalog {
namespace {

boost::json::object card(const Service& s, std::string_view lang) {
  return {
      {"code", s.code},
      {"name", s.name.in(lang)},
      {"summary", s.summary.in(lang)},
      {"icon", s.icon},
      {"href", "/layanan/" + s.code},
      {"agency", s.agency_name.in(lang)},
      {"cost_label", cost_label(s.cost_rupiah, lang)},
      {"processing_label", processing_label(s.processing_days, lang)},
      {"online", s.online},
  };
}

}  // namespace

void install_pages(http::Router& router, const CatalogService& service,
                   const web::Renderer& renderer) {
  router.get("/", [&](http::Request& req) {
    const std::string& lang = req.context.lang;
    auto list = service.services();
    if (!list) return renderer.error_page(req, 503);
    boost::json::array cards;
    for (const auto& s : *list) cards.push_back(card(s, lang));
    return renderer.page(200, "home", req,
                         {{"title", renderer.catalogs().text(lang, "home.title")},
                          {"nav_current", {{"home", true}}},
                          {"services", std::move(cards)}});
  });

  router.get("/layanan/{code}", [&](http::Request& req) {
    const std::string& lang = req.context.lang;
    auto s = service.service(req.param("code"));
    if (!s)
      return renderer.error_page(req, s.error().code == core::ErrorCode::not_found ? 404 : 503);
    boost::json::object model = card(*s, lang);
    model["description"] = s->description.in(lang);
    model["agency_code"] = s->agency_code;
    model["legal_basis"] = s->legal_basis;
    boost::json::array reqs;
    for (const auto& r : s->requirements) reqs.push_back(boost::json::string(r.in(lang)));
    model["requirements"] = std::move(reqs);
    model["privacy_href"] = "/privasi#" + s->code;
    return renderer.page(200, "service", req,
                         {{"title", s->name.in(lang)}, {"service", std::move(model)}});
  });

  router.get("/privasi", [&](http::Request& req) {
    const std::string& lang = req.context.lang;
    auto list = service.services();
    if (!list) return renderer.error_page(req, 503);
    boost::json::array items;
    for (const auto& s : *list)
      items.push_back(
          {{"code", s.code}, {"name", s.name.in(lang)}, {"privacy_summary", s.privacy.in(lang)}});
    return renderer.page(200, "privacy", req,
                         {{"title", renderer.catalogs().text(lang, "privacy.title")},
                          {"services", std::move(items)}});
  });

  router.get("/aksesibilitas", [&](http::Request& req) {
    return renderer.page(
        200, "accessibility", req,
        {{"title", renderer.catalogs().text(req.context.lang, "accessibility.title")}});
  });
}

}  // namespace balai::catalog
