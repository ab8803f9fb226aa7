// The citizens' page of city alerts by email, for browsers without JavaScript (AlertService does
// the work; the JSON twin is /api/v1/me/city/alert-districts in alert_api.cpp):
//   GET  /kota/peringatan         visitors: what it is and a sign-in link; citizens: the districts
//                                 (kecamatan) they follow, each with a remove button, and a form
//                                 to add one of the city's; staff and API clients: a notice that
//                                 it is for citizens (403)
//   POST /kota/peringatan         add the form's `district`
//   POST /kota/peringatan/hapus   remove the form's `district`
// Each POST answers 303 back to the page with ?ok=added|removed&district=<code>, or shows the
// page again with an error summary: 422 for a district that is not one of the city's (or none
// chosen, or too many), 409 when it is already followed, 404 when it is not followed. The CSRF
// form token is checked by the security middleware before a handler runs.
#include "modules/city/alert_pages.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/form.h"
#include "http/json.h"
#include "modules/regions/directory.h"
#include "security/actor.h"

namespace balai::city {
namespace {

constexpr std::string_view kPagePath = "/kota/peringatan";
constexpr std::string_view kRemovePath = "/kota/peringatan/hapus";
constexpr uint64_t kFormLimit = 4 * 1024;  // a token and a district code
// The add form's control, which the error summary links to.
constexpr std::string_view kSelectId = "district";

std::string text(const app::App& app, const http::Request& req, std::string_view key) {
  return std::string(app.renderer.catalogs().text(req.context.lang, key));
}

// `pattern` with "{name}" replaced by `name`.
std::string with_name(std::string pattern, std::string_view name) {
  constexpr std::string_view kMarker = "{name}";
  if (auto at = pattern.find(kMarker); at != std::string::npos)
    pattern.replace(at, kMarker.size(), name);
  return pattern;
}

// The name of a kecamatan of the city; nullopt for any other code (the query string and the
// form are untrusted: only names from the directory reach the page).
std::optional<std::string> city_district_name(const app::App& app, std::string_view code) {
  const std::string prefix = app.config.city.region_code + ".";
  const regions::Region* region = app.regions.find(code);
  if (!region || region->level != regions::Level::district || !code.starts_with(prefix))
    return std::nullopt;
  return region->name;
}

// The city's kecamatan, by name (as a person looks for one in the list).
std::vector<const regions::Region*> city_districts(const app::App& app) {
  std::vector<const regions::Region*> out;
  for (const auto* r : app.regions.children(app.config.city.region_code))
    if (r->level == regions::Level::district) out.push_back(r);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->name < b->name; });
  return out;
}

// Why a form post was refused, as the page shows it again.
struct Problem {
  int status = 422;
  std::string message;     // translated
  bool at_select = false;  // a problem of the add form's <select> (linked from the summary)
  std::string chosen;      // the add form's value, kept selected when it is one of the city's
};

// A page that must not be stored by a browser or a proxy (it differs per person).
http::Response private_page(const app::App& app, int status, const http::Request& req,
                            boost::json::object model) {
  model["title"] = text(app, req, "city_alerts.title");
  model["nav_current"] = {{"city", true}};
  model["page_path"] = kPagePath;
  model["remove_path"] = kRemovePath;
  http::Response res = app.renderer.page(status, "city/peringatan", req, std::move(model));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response sign_in_first() {
  http::Response res = http::Response::redirect("/masuk?next=" + std::string(kPagePath));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

// Staff, devices and integrators: the service refuses every role but citizen (kAlertWatch is
// granted to citizens only). Told here without asking the service, so that opening a page is
// not reported to the intrusion detection as a refused action.
http::Response for_citizens_only(const app::App& app, const http::Request& req) {
  return private_page(app, 403, req, {{"not_citizen", true}});
}

http::Response citizen_page(const app::App& app, const AlertService& alerts,
                            const http::Request& req, const security::Actor& actor,
                            const Problem* problem) {
  auto watched = alerts.watched_districts(&actor);
  if (!watched) {
    if (watched.error().code == core::ErrorCode::unauthenticated) return sign_in_first();
    if (watched.error().code == core::ErrorCode::forbidden) return for_citizens_only(app, req);
    return app.renderer.error_page(req, http::status_for(watched.error().code));
  }

  boost::json::array followed;
  for (const auto& code : *watched) {
    const regions::Region* region = app.regions.find(code);
    followed.push_back({{"code", code}, {"name", region ? region->name : code}});
  }
  boost::json::array options;
  for (const auto* r : city_districts(app)) {
    if (std::find(watched->begin(), watched->end(), r->code) != watched->end()) continue;
    options.push_back({{"code", r->code},
                       {"name", r->name},
                       {"selected", problem && problem->chosen == r->code}});
  }

  boost::json::object model{{"citizen", true},
                            {"has_followed", !followed.empty()},
                            {"followed", std::move(followed)},
                            {"has_options", !options.empty()},
                            {"options", std::move(options)}};

  if (auto ok = req.query_param("ok"); ok && (*ok == "added" || *ok == "removed")) {
    const auto name = city_district_name(app, req.query_param("district").value_or(""));
    model["ok_message"] = name ? with_name(text(app, req, "city_alerts.ok." + *ok), *name)
                               : text(app, req, "city_alerts.ok." + *ok + "_unnamed");
  }

  if (problem) {
    boost::json::object entry{{"message", problem->message}};
    if (problem->at_select) {
      entry["href"] = "#" + std::string(kSelectId);
      model["invalid"] = {{"district", problem->message}};
    }
    boost::json::array errors;
    errors.push_back(std::move(entry));
    model["has_errors"] = true;
    model["errors"] = std::move(errors);
  }
  return private_page(app, problem ? problem->status : 200, req, std::move(model));
}

// The page's words for the service's refusal of a district to add.
Problem add_problem(const app::App& app, const http::Request& req, const core::Error& e,
                    const std::string& district) {
  Problem p;
  p.chosen = district;
  if (e.code == core::ErrorCode::conflict) {
    p.status = 409;
    const auto name = city_district_name(app, district);
    p.message = with_name(text(app, req, "city_alerts.errors.already"), name.value_or(district));
    return p;
  }
  p.status = 422;
  p.at_select = true;
  auto reason = e.fields.find("district");
  if (district.empty())
    p.message = text(app, req, "city_alerts.errors.required");
  else if (reason != e.fields.end() && reason->second.find("at most") != std::string::npos)
    p.message = text(app, req, "city_alerts.errors.too_many");
  else
    p.message = text(app, req, "city_alerts.errors.unknown");
  return p;
}

// The page's words for the service's refusal of a district to remove (a hidden field: the
// problem belongs to no control the reader can change).
Problem remove_problem(const app::App& app, const http::Request& req, const core::Error& e) {
  Problem p;
  if (e.code == core::ErrorCode::not_found) {
    p.status = 404;
    p.message = text(app, req, "city_alerts.errors.not_followed");
  } else {
    p.status = 422;
    p.message = text(app, req, "city_alerts.errors.unknown_remove");
  }
  return p;
}

// A form post of the page: refused to anyone but a signed-in citizen, the form parsed, then the
// service's `change`; its success a 303 back with ?ok=<ok>, its refusal the page again.
template <class Change, class Explain>
http::Response form_post(app::App& app, AlertService& alerts, http::Request& req,
                         std::string_view ok, Change change, Explain explain) {
  const security::Actor* actor = security::current_actor(req);
  if (!actor) return sign_in_first();
  if (actor->role != security::Role::citizen) return for_citizens_only(app, req);
  auto form = http::parse_form(req);
  if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
  const std::string district(form->get("district").value_or(""));
  const core::Status done = change(alerts, *actor, district);
  if (done) {
    http::Response res = http::Response::redirect(
        std::string(kPagePath) + "?ok=" + std::string(ok) + "&district=" + district);
    res.headers.set("Cache-Control", "no-store");
    return res;
  }
  const core::Error& e = done.error();
  switch (e.code) {
    case core::ErrorCode::validation_failed:
    case core::ErrorCode::conflict:
    case core::ErrorCode::not_found: {
      const Problem p = explain(app, req, e, district);
      return citizen_page(app, alerts, req, *actor, &p);
    }
    case core::ErrorCode::unauthenticated:
      return sign_in_first();
    case core::ErrorCode::forbidden:
      return for_citizens_only(app, req);
    default:
      return app.renderer.error_page(req, http::status_for(e.code));
  }
}

}  // namespace

void install_alert_pages(app::App& app, AlertService& alerts) {
  app.router.get(kPagePath, [&app, &alerts](http::Request& req) {
    const security::Actor* actor = security::current_actor(req);
    if (!actor)
      return private_page(
          app, 200, req,
          {{"anonymous", true}, {"sign_in_href", "/masuk?next=" + std::string(kPagePath)}});
    if (actor->role != security::Role::citizen) return for_citizens_only(app, req);
    return citizen_page(app, alerts, req, *actor, nullptr);
  });

  app.router
      .post(kPagePath,
            [&app, &alerts](http::Request& req) {
              return form_post(
                  app, alerts, req, "added",
                  [](AlertService& s, const security::Actor& a, const std::string& district) {
                    return s.watch(&a, district);
                  },
                  add_problem);
            })
      .body_limit(kFormLimit);

  app.router
      .post(kRemovePath,
            [&app, &alerts](http::Request& req) {
              return form_post(
                  app, alerts, req, "removed",
                  [](AlertService& s, const security::Actor& a, const std::string& district) {
                    return s.unwatch(&a, district);
                  },
                  [](const app::App& a, const http::Request& r, const core::Error& e,
                     const std::string&) { return remove_problem(a, r, e); });
            })
      .body_limit(kFormLimit);
}

}  // namespace balai::city
