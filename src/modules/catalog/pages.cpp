// HTML routes of the catalog: the portal's home (the service grid), a page per service with its
// own privacy notice (/layanan/{code}/privasi), and the portal-wide privacy notice and
// accessibility statement that the footer links.
#include <boost/json.hpp>

#include "modules/catalog/routes.h"
#include "modules/catalog/rules.h"
#include "modules/catalog/service.h"

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
      {"start_href", s.start_path},
  };
}

boost::json::array texts_in(const std::vector<LocalizedText>& list, std::string_view lang) {
  boost::json::array out;
  for (const auto& t : list) out.push_back(boost::json::string(t.in(lang)));
  return out;
}

// The view model of a service's privacy notice (web/templates/privacy_notice.mustache).
boost::json::object privacy_notice_model(const Service& s, std::string_view lang) {
  const PrivacyNotice& n = s.privacy_notice;
  return {
      {"code", s.code},
      {"name", s.name.in(lang)},
      {"href", "/layanan/" + s.code},
      {"agency", s.agency_name.in(lang)},
      {"legal_basis", s.legal_basis},
      {"summary", s.privacy.in(lang)},
      {"collects_personal_data", n.collects_personal_data()},
      {"data_items", texts_in(n.data_items, lang)},
      {"purpose", n.purpose.in(lang)},
      {"recipients", n.recipients.in(lang)},
      {"retention", n.retention.in(lang)},
  };
}

// A catalog failure as a page: 404 for an unknown service, 503 when the database is away.
http::Response failure_page(const web::Renderer& renderer, const http::Request& req,
                            const core::Error& error) {
  return renderer.error_page(req, error.code == core::ErrorCode::not_found ? 404 : 503);
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
    if (!s) return failure_page(renderer, req, s.error());
    boost::json::object model = card(*s, lang);
    model["description"] = s->description.in(lang);
    model["agency_code"] = s->agency_code;
    model["legal_basis"] = s->legal_basis;
    model["requirements"] = texts_in(s->requirements, lang);
    model["privacy_href"] = privacy_notice_path(s->code);
    return renderer.page(200, "service", req,
                         {{"title", s->name.in(lang)}, {"service", std::move(model)}});
  });

  // What this one service does with personal data, in plain language (UU 27/2022 PDP).
  router.get("/layanan/{code}/privasi", [&](http::Request& req) {
    const std::string& lang = req.context.lang;
    auto s = service.service(req.param("code"));
    if (!s) return failure_page(renderer, req, s.error());
    const std::string title = std::string(renderer.catalogs().text(lang, "privacy_notice.title")) +
                              ": " + s->name.in(lang);
    return renderer.page(200, "privacy_notice", req,
                         {{"title", title}, {"service", privacy_notice_model(*s, lang)}});
  });

  router.get("/privasi", [&](http::Request& req) {
    const std::string& lang = req.context.lang;
    auto list = service.services();
    if (!list) return renderer.error_page(req, 503);
    boost::json::array items;
    for (const auto& s : *list)
      items.push_back({{"code", s.code},
                       {"name", s.name.in(lang)},
                       {"privacy_summary", s.privacy.in(lang)},
                       {"notice_href", privacy_notice_path(s.code)}});
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
