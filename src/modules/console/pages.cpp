// HTML routes of the administrators' security console. Every answer is Cache-Control: no-store.
//   GET  /konsol                            overview: alerts, latest events, bans, WAF, keys, audit
//   GET  /konsol/peristiwa                  security events (?tingkat=high&belum=1&halaman=N)
//   POST /konsol/peristiwa/{id}/tandai      acknowledge an event
//   GET  /konsol/blokir                     active bans and the configured address lists
//   POST /konsol/blokir/cabut               lift a ban (field `key`), audited
//   POST /konsol/audit/periksa              verify the audit chain now
// The API token pages are in token_pages.cpp.
#include <boost/json.hpp>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/console/routes.h"
#include "modules/console/rules.h"
#include "security/audit.h"
#include "security/firewall/firewall.h"
#include "security/key_ring.h"
#include "security/policy.h"
#include "security/security_events.h"
#include "security/waf/waf.h"

namespace balai::console {

void add_route(app::App& app, http::Method method, std::string_view pattern,
               std::function<http::Response(http::Request&)> handler, uint64_t body_limit) {
  auto route = app.router.add(method, pattern, [h = std::move(handler)](http::Request& req) {
    http::Response res = h(req);
    res.headers.set("Cache-Control", "no-store");
    return res;
  });
  if (body_limit > 0) route.body_limit(body_limit);
}

core::Result<const security::Actor*> permitted(app::App& app, const http::Request& req,
                                               std::string_view action) {
  const security::Actor* actor = security::current_actor(req);
  BALAI_TRY(app.security.policy.authorize(actor, action));
  return actor;
}

bool may(const app::App& app, const security::Actor& actor, std::string_view action) {
  for (const security::Grant& g : app.security.policy.grants(action))
    if (g.role == actor.role && g.scope == security::Scope::any) return true;
  return false;
}

http::Response refused(app::App& app, const http::Request& req, const core::Error& error) {
  if (error.code == core::ErrorCode::unauthenticated) {
    // Every GET route of the console is a fixed path, safe to carry as is.
    const bool page = req.method == http::Method::get || req.method == http::Method::head;
    return http::Response::redirect(page ? "/masuk?next=" + req.path : "/masuk?next=/konsol");
  }
  return app.renderer.error_page(req, http::status_for(error.code));
}

std::string text(const app::App& app, const http::Request& req, std::string_view key) {
  return std::string(app.renderer.catalogs().text(req.context.lang, key));
}

std::string local_time(const app::App& app, core::Timestamp at) {
  return core::format_iso8601(at, app.config.city.zone);
}

namespace {

using security::ids::Severity;

constexpr uint64_t kFormBodyLimit = 4 * 1024;
constexpr Severity kAlertFrom = Severity::high;
constexpr int kLatestEvents = 10;

// A stored text that may be empty, as a table cell shows it.
std::string or_dash(std::string_view value) {
  return value.empty() ? std::string("—") : std::string(value);
}

std::string severity_text(const app::App& app, const http::Request& req, Severity s) {
  return text(app, req, "console.severity." + std::string(security::ids::to_string(s)));
}

boost::json::object event_json(const app::App& app, const http::Request& req,
                               const security::SecurityEvent& e) {
  boost::json::object o{{"id", e.id},
                        {"at", local_time(app, e.at)},
                        {"type", e.type},
                        {"severity", severity_text(app, req, e.severity)},
                        {"severity_code", security::ids::to_string(e.severity)},
                        {"source", or_dash(e.source)},
                        {"account", or_dash(e.account)},
                        {"detail", or_dash(e.detail)}};
  if (e.acknowledged_at)
    o["acknowledged"] = boost::json::object{{"by", or_dash(e.acknowledged_by)},
                                            {"at", local_time(app, *e.acknowledged_at)}};
  return o;
}

// The filter of the events list as the query string gives it.
struct EventFilter {
  std::optional<Severity> min_severity;
  bool unacknowledged_only = false;
  int page = 1;
};

EventFilter filter_of(const http::Request& req) {
  EventFilter f;
  if (auto level = req.query_param("tingkat")) f.min_severity = security::parse_severity(*level);
  f.unacknowledged_only = req.query_param("belum") == std::optional<std::string>("1");
  f.page = page_number(req.query_param("halaman"));
  return f;
}

// The link to a page of the events list under a filter (values from enums and numbers only).
std::string events_href(const EventFilter& f, int page) {
  std::string query;
  auto add = [&query](std::string_view part) {
    query += query.empty() ? "?" : "&";
    query += part;
  };
  if (f.min_severity) add("tingkat=" + std::string(security::ids::to_string(*f.min_severity)));
  if (f.unacknowledged_only) add("belum=1");
  if (page > 1) add("halaman=" + std::to_string(page));
  return "/konsol/peristiwa" + query;
}

boost::json::object audit_json(const app::App& app, const http::Request& req, const AuditRun& run) {
  const auto& r = run.result;
  boost::json::object o{
      {"ok", r.ok},
      {"status", text(app, req, r.ok ? "console.audit.ok" : "console.audit.broken")},
      {"entries", r.entries},
      {"checkpoints", r.checkpoints},
      {"at", local_time(app, run.at)},
      {"by", run.by}};
  if (r.first_bad_seq) o["first_bad_seq"] = std::to_string(*r.first_bad_seq);
  if (!r.problem.empty()) o["problem"] = r.problem;
  return o;
}

http::Response overview(app::App& app, const ConsoleState& state, http::Request& req) {
  auto actor = permitted(app, req, "console.read");
  if (!actor) return refused(app, req, actor.error());
  auto& security = app.security;
  const core::Timestamp now = app.clock.now();
  auto alerts = security.events.count_unacknowledged(kAlertFrom);
  auto latest = security.events.list(security::EventQuery{std::nullopt, false, kLatestEvents, 0});
  auto checkpoint = security.audit.latest_checkpoint(app.db);
  if (!alerts || !latest || !checkpoint) return app.renderer.error_page(req, 503);

  boost::json::array events;
  for (const auto& e : *latest) events.push_back(event_json(app, req, e));
  boost::json::array keys;
  for (const auto& k : security.keyring.data_keys())
    keys.push_back(
        {{"id", k.id}, {"created", local_time(app, k.created_at)}, {"active", k.active}});
  const bool has_events = !events.empty();
  const auto waf = security::waf::parse_mode(app.config.security.waf);
  const std::string waf_mode(security::waf::to_string(waf.value_or(security::waf::Mode::off)));

  boost::json::object model{
      {"title", text(app, req, "console.title")},
      {"nav_current", {{"console", true}}},
      {"alerts", *alerts},
      {"has_alerts", *alerts > 0},
      {"alerts_href", events_href(EventFilter{kAlertFrom, true, 1}, 1)},
      {"has_events", has_events},
      {"events", std::move(events)},
      {"bans", static_cast<int64_t>(security.firewall.bans().list(now).size())},
      {"waf_mode", text(app, req, "console.waf.mode_" + waf_mode)},
      {"waf_code", waf_mode},
      {"keys", std::move(keys)},
      {"can_verify", may(app, **actor, "console.audit.verify")}};
  if (auto run = state.last_audit_run()) model["audit"] = audit_json(app, req, *run);
  if (*checkpoint)
    model["checkpoint"] = boost::json::object{{"seq", (*checkpoint)->seq},
                                              {"at", local_time(app, (*checkpoint)->at)}};
  return app.renderer.page(200, "console_overview", req, std::move(model));
}

http::Response events_page(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.read");
  if (!actor) return refused(app, req, actor.error());
  const EventFilter f = filter_of(req);
  // One more than a page: whether a next page exists, without counting the table.
  auto list = app.security.events.list(security::EventQuery{
      f.min_severity, f.unacknowledged_only, kEventsPerPage + 1, (f.page - 1) * kEventsPerPage});
  if (!list) return app.renderer.error_page(req, 503);
  const bool more = list->size() > static_cast<size_t>(kEventsPerPage);
  if (more) list->pop_back();

  boost::json::array events;
  for (const auto& e : *list) events.push_back(event_json(app, req, e));
  const bool has_events = !events.empty();
  boost::json::array levels;
  for (Severity s :
       {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical})
    levels.push_back({{"value", security::ids::to_string(s)},
                      {"label", severity_text(app, req, s)},
                      {"selected", f.min_severity == s}});
  boost::json::object model{{"title", text(app, req, "console.events.title")},
                            {"nav_current", {{"console", true}}},
                            {"has_events", has_events},
                            {"events", std::move(events)},
                            {"levels", std::move(levels)},
                            {"all_levels", !f.min_severity.has_value()},
                            {"unacknowledged_only", f.unacknowledged_only},
                            {"page", f.page},
                            {"return_path", events_href(f, f.page)},
                            {"can_acknowledge", may(app, **actor, "console.events.acknowledge")}};
  if (f.page > 1) model["previous_href"] = events_href(f, f.page - 1);
  if (more) model["next_href"] = events_href(f, f.page + 1);
  model["paging"] = f.page > 1 || more;
  return app.renderer.page(200, "console_events", req, std::move(model));
}

http::Response acknowledge(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.events.acknowledge");
  if (!actor) return refused(app, req, actor.error());
  // The only field says where to go back to; without it (or with a broken body) the list.
  auto form = http::parse_form(req);
  const std::string back(form ? form->get("kembali").value_or("") : "");
  auto done = app.security.events.acknowledge(req.param("id"), (*actor)->id, app.clock.now());
  if (!done)
    return app.renderer.error_page(req,
                                   done.error().code == core::ErrorCode::not_found ? 404 : 503);
  return http::Response::redirect(events_return_path(back, "/konsol/peristiwa"));
}

http::Response bans_page(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.read");
  if (!actor) return refused(app, req, actor.error());
  boost::json::array bans;
  for (const auto& b : app.security.firewall.bans().list(app.clock.now()))
    bans.push_back({{"key", b.key}, {"until", local_time(app, b.until)}, {"offences", b.offences}});
  // The address lists of the configuration, read-only here (changed in the file, then restart).
  boost::json::array lists;
  const auto& sc = app.config.security;
  for (const auto& [setting, configured] :
       {std::pair<std::string_view, std::string_view>{"firewall_allow", sc.firewall_allow},
        {"firewall_deny", sc.firewall_deny},
        {"trusted_proxies", sc.trusted_proxies}}) {
    boost::json::array entries;
    for (auto& entry : security::firewall::split_list(configured))
      entries.push_back(boost::json::string(entry));
    const std::string key = "console.bans." + std::string(setting);
    const bool has_entries = !entries.empty();
    lists.push_back({{"setting", setting},
                     {"label", text(app, req, key)},
                     {"empty", text(app, req, key + "_empty")},
                     {"has_entries", has_entries},
                     {"entries", std::move(entries)}});
  }
  const bool has_bans = !bans.empty();
  return app.renderer.page(200, "console_bans", req,
                           {{"title", text(app, req, "console.bans.title")},
                            {"nav_current", {{"console", true}}},
                            {"has_bans", has_bans},
                            {"bans", std::move(bans)},
                            {"can_lift", may(app, **actor, "console.bans.lift")},
                            {"lists", std::move(lists)}});
}

http::Response lift_ban(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.bans.lift");
  if (!actor) return refused(app, req, actor.error());
  auto form = http::parse_form(req);
  if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
  const std::string key(core::trim(form->get("key").value_or("")));
  if (key.empty() || key.size() > 200) return app.renderer.error_page(req, 400);
  auto& bans = app.security.firewall.bans();
  const core::Timestamp now = app.clock.now();
  // Only an active ban is lifted (what the page lists); the entry is written before the ban
  // goes, so no lift happens unrecorded.
  if (!bans.banned_until(key, now)) return app.renderer.error_page(req, 404);
  const security::Actor& a = **actor;
  if (auto s = app.security.audit.append(
          app.db, security::AuditEntry{now, a.id, std::string(security::to_string(a.role)),
                                       "firewall.ban.lift", "ban", key, "", "", req.request_id});
      !s)
    return app.renderer.error_page(req, 503);
  bans.lift(key);
  return http::Response::redirect("/konsol/blokir");
}

http::Response verify_audit(app::App& app, ConsoleState& state, http::Request& req) {
  auto actor = permitted(app, req, "console.audit.verify");
  if (!actor) return refused(app, req, actor.error());
  // Reads the whole log: seconds on a large one, on the worker pool like every handler here.
  auto result = app.security.audit.verify(app.db);
  if (!result) return app.renderer.error_page(req, 503);
  state.record_audit_run(AuditRun{std::move(result).value(), app.clock.now(), (*actor)->id});
  return http::Response::redirect("/konsol");
}

}  // namespace

void install_pages(app::App& app, ConsoleState& state) {
  using http::Method;
  add_route(app, Method::get, "/konsol",
            [&app, &state](http::Request& req) { return overview(app, state, req); });
  add_route(app, Method::get, "/konsol/peristiwa",
            [&app](http::Request& req) { return events_page(app, req); });
  add_route(
      app, Method::post, "/konsol/peristiwa/{id:uuid}/tandai",
      [&app](http::Request& req) { return acknowledge(app, req); }, kFormBodyLimit);
  add_route(app, Method::get, "/konsol/blokir",
            [&app](http::Request& req) { return bans_page(app, req); });
  add_route(
      app, Method::post, "/konsol/blokir/cabut",
      [&app](http::Request& req) { return lift_ban(app, req); }, kFormBodyLimit);
  add_route(
      app, Method::post, "/konsol/audit/periksa",
      [&app, &state](http::Request& req) { return verify_audit(app, state, req); }, kFormBodyLimit);
  install_token_pages(app);
}

}  // namespace balai::console
