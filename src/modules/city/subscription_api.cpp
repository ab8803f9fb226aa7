// NGSI-v2 subscriptions (FIWARE Orion's API) at /v2/subscriptions, with Orion's status codes,
// error bodies and headers:
//   GET    /v2/subscriptions       list (limit, offset, options=count: Fiware-Total-Count)
//   POST   /v2/subscriptions       create: 201, Location: /v2/subscriptions/{id}
//   GET    /v2/subscriptions/{id}  one, with its counters (timesSent, lastSuccess, ...)
//   PATCH  /v2/subscriptions/{id}  change the fields sent: 204
//   DELETE /v2/subscriptions/{id}  204
// An unknown (or malformed) id is 404 NotFound, as Orion answers it.
//
// Who: integrators (other city systems) manage the subscriptions they created, administrators
// every one (policy action city.subscriptions.manage, granted here). Anyone else: 401 without
// a credential, 403 with another role. Another integrator's subscription is 404, as if absent
// (ids are random, and their existence is nobody else's business). Each change is audited.
//
// Where: a subscription belongs to its Fiware-Service and watches the one Fiware-ServicePath it
// was created with ("/#", every path, when none was given; "/a/#" a subtree). Reads by id, PATCH
// and DELETE look within the service; a list narrows to the service paths given, if any.
//
// Delivery: the Notifier (notifier.h) listens to the context service and posts notifications
// from its own worker threads; a flush thread here writes its counters about once a second and
// re-reads the subscriptions every few seconds, so that the ones other instances create or
// change take effect here too. Balai sends no initial notification at creation (Orion dropped
// it in 3.2: it could not be paged): the first notification comes with the first change.
#include <atomic>
#include <boost/json/array.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "core/log.h"
#include "modules/city/ngsi_http.h"
#include "modules/city/notifier.h"
#include "modules/city/routes.h"
#include "modules/city/subscription_json.h"
#include "modules/city/subscription_store.h"
#include "modules/city/subscriptions.h"
#include "security/audit.h"
#include "security/policy.h"

namespace balai::city {
namespace {

using ngsi::fail;
using ngsi::Failure;

constexpr std::chrono::seconds kFlushEvery{1};
constexpr int64_t kRefreshEveryMs = 5'000;
constexpr std::string_view kNotFound = "The requested subscription has not been found. Check id";
constexpr std::string_view kUnauthenticated =
    "A bearer token (integrator) or an administrator's session is needed to manage "
    "subscriptions.";

// The service path a subscription watches, from a read's path filter: exactly one path or
// subtree. Nullopt for several.
std::optional<std::string> watched_path(const PathFilter& paths) {
  if (paths.exact.size() + paths.subtrees.size() != 1) return std::nullopt;
  if (!paths.exact.empty()) return paths.exact.front();
  const std::string& root = paths.subtrees.front();
  return root == "/" ? std::string("/#") : root + "/#";
}

// The path a subscription's own path names ("/a/#" -> "/a"), for a list's path filter.
std::string base_path(const std::string& path) {
  if (path == "/#") return "/";
  return path.ends_with("/#") ? path.substr(0, path.size() - 2) : path;
}

// The subscriptions, their notifier and the flush thread; the routes' handlers. Kept in
// app.states, so it lives as long as the routes and the context service's listener.
class SubscriptionApi : public app::ModuleState {
 public:
  SubscriptionApi(app::App& app, ContextService& service);
  ~SubscriptionApi() override;

  void install();

 private:
  // 401 / 403 unless the request's actor may manage subscriptions at all.
  std::optional<http::Response> refused(const http::Request& req) const;
  // Whether the actor manages every subscription (an administrator), not just its own.
  bool manages_all(const security::Actor& actor) const;
  // The subscription {id} of the tenant's service, if the actor may see it.
  core::Result<Subscription> target(const http::Request& req, const security::Actor& actor,
                                    const std::string& service) const;
  [[nodiscard]] core::Status audit(db::Connection& conn, const http::Request& req,
                                   const security::Actor& actor, std::string_view action,
                                   const std::string& id) const;

  http::Response list(const http::Request& req) const;
  http::Response create(const http::Request& req);
  http::Response get(const http::Request& req) const;
  http::Response update(const http::Request& req);
  http::Response remove(const http::Request& req);

  void flush_loop();
  void flush();
  void refresh();

  app::App& app_;
  SubscriptionStore store_;
  std::unique_ptr<Notifier> notifier_;
  // Orders the two halves of the counters, the stored row and the notifier's unflushed deltas:
  // a flush (exclusive) moves deltas from one to the other; a read (shared) sees both at one
  // moment, never a delta twice or not at all; a change (exclusive) reads the row and hands it
  // to the notifier with no flush in between.
  mutable std::shared_mutex counters_mutex_;

  std::mutex flush_mutex_;  // guards stopping_
  std::condition_variable flush_wake_;
  bool stopping_ = false;
  int64_t reported_drops_ = 0;  // the flush thread's own
  std::thread flusher_;
};

SubscriptionApi::SubscriptionApi(app::App& app, ContextService& service)
    : app_(app), store_(app.db) {
  const core::SensorsConfig& c = app.config.sensors;
  notifier_ = std::make_unique<Notifier>(
      NotifierSettings{c.notify_workers, static_cast<size_t>(std::max(1, c.notify_queue)),
                       static_cast<long>(c.notify_timeout_ms)},
      app.clock);
  refresh();
  service.listen(
      [n = notifier_.get()](const std::vector<Changed>& changes) { n->on_changes(changes); });
  flusher_ = std::thread([this] { flush_loop(); });
}

SubscriptionApi::~SubscriptionApi() {
  {
    std::lock_guard lock(flush_mutex_);
    stopping_ = true;
  }
  flush_wake_.notify_all();
  flusher_.join();
  // The workers end their POSTs in flight; then their counts are written once more.
  notifier_->stop();
  if (auto s = store_.flush(notifier_->take_deltas()); !s)
    core::log::warn("city.subscription_flush_failed", {{"error", s.error().message}});
}

void SubscriptionApi::flush_loop() {
  int64_t last_refresh = app_.clock.now().ms;
  std::unique_lock lock(flush_mutex_);
  while (!stopping_) {
    flush_wake_.wait_for(lock, kFlushEvery, [&] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    flush();
    if (app_.clock.now().ms - last_refresh >= kRefreshEveryMs) {
      refresh();
      last_refresh = app_.clock.now().ms;
    }
    lock.lock();
  }
}

void SubscriptionApi::flush() {
  // Notifications dropped because the queue was full, said once per flush (not per drop).
  const int64_t dropped = notifier_->stats().dropped;
  if (dropped > reported_drops_) {
    core::log::warn("city.notifications_dropped", {{"count", dropped - reported_drops_},
                                                   {"queue", app_.config.sensors.notify_queue}});
    reported_drops_ = dropped;
  }
  std::unique_lock counters(counters_mutex_);
  auto deltas = notifier_->take_deltas();
  if (deltas.empty()) return;
  if (auto s = store_.flush(deltas); !s) {
    notifier_->restore(deltas);
    core::log::warn("city.subscription_flush_failed", {{"error", s.error().message}});
  }
}

void SubscriptionApi::refresh() {
  const uint64_t epoch = notifier_->begin_refresh();
  auto stored = store_.all();
  if (!stored) {
    core::log::warn("city.subscription_refresh_failed", {{"error", stored.error().message}});
    return;
  }
  notifier_->replace_all(std::move(*stored), epoch);
}

// --- Who ---

std::optional<http::Response> SubscriptionApi::refused(const http::Request& req) const {
  const security::Actor* actor = security::current_actor(req);
  if (!actor) return fail(req, Failure{401, "Unauthorized", std::string(kUnauthenticated)});
  // The role check: an integrator may manage what it owns, so it passes for its own id.
  auto allowed = app_.security.policy.authorize(actor, kSubscriptionsManage,
                                                security::Resource{actor->id, {}});
  if (!allowed) return fail(req, allowed.error());
  return std::nullopt;
}

bool SubscriptionApi::manages_all(const security::Actor& actor) const {
  // Read from the grants rather than by authorize() on another owner, which would report a
  // refusal to the intrusion detection for every list an integrator asks for.
  for (const auto& g : app_.security.policy.grants(kSubscriptionsManage))
    if (g.role == actor.role && g.scope == security::Scope::any) return true;
  return false;
}

core::Result<Subscription> SubscriptionApi::target(const http::Request& req,
                                                   const security::Actor& actor,
                                                   const std::string& service) const {
  const std::string id(req.param("id"));
  auto none = core::make_error(core::ErrorCode::not_found, std::string(kNotFound));
  if (!is_subscription_id(id)) return none;
  auto found = store_.find(service, id);
  if (!found) return found.take_error();
  if (!*found || (!manages_all(actor) && (*found)->owner != actor.id)) return none;
  return std::move(**found);
}

core::Status SubscriptionApi::audit(db::Connection& conn, const http::Request& req,
                                    const security::Actor& actor, std::string_view action,
                                    const std::string& id) const {
  security::AuditEntry e;
  e.at = app_.clock.now();
  e.actor = actor.id;
  e.actor_role = std::string(security::to_string(actor.role));
  e.action = std::string(action);
  e.object_type = "ngsi_subscription";
  e.object_id = id;
  e.request_id = req.request_id;
  return app_.security.audit.append(conn, e);
}

// --- The routes ---

http::Response SubscriptionApi::list(const http::Request& req) const {
  if (auto refusal = refused(req)) return std::move(*refusal);
  const security::Actor& actor = *security::current_actor(req);
  auto tenant = ngsi::tenant_of(req, /*for_read=*/true);
  if (!tenant) return fail(req, tenant.error());
  auto options = ngsi::options_of(req);
  if (!options) return fail(req, options.error());
  auto page = parse_page(req.query_param("limit"), req.query_param("offset"));
  if (!page) return fail(req, page.error());
  std::shared_lock counters(counters_mutex_);
  auto all = store_.list(tenant->service, manages_all(actor) ? std::string() : actor.id);
  if (!all) return fail(req, all.error());
  std::vector<Subscription> shown;
  for (auto& s : *all)
    if (tenant->paths.matches(base_path(s.scope.service_path))) shown.push_back(std::move(s));
  const int64_t now = app_.clock.now().ms;
  boost::json::array out;
  const ngsi::Slice slice = ngsi::slice_of(*page, shown.size());
  for (size_t i = slice.begin; i < slice.end; ++i) {
    notifier_->overlay(shown[i]);
    out.push_back(ngsi::subscription_json(shown[i], now));
  }
  return ngsi::list_reply(req, std::move(out), options->count, shown.size());
}

http::Response SubscriptionApi::create(const http::Request& req) {
  if (auto refusal = refused(req)) return std::move(*refusal);
  ngsi::Write w;
  if (auto refusal = ngsi::prepare_write(req, ngsi::Body::json, w, kUnauthenticated,
                                         /*read_paths=*/true))
    return std::move(*refusal);
  auto path = watched_path(w.tenant.paths);
  if (!path)
    return fail(req, ngsi::bad_request("a subscription watches one service path, not several"));
  auto spec = ngsi::parse_subscription(w.json);
  if (!spec) return fail(req, spec.error());
  Subscription s;
  s.id = new_subscription_id();
  s.scope = Scope{w.tenant.service, *path};
  s.owner = w.actor->id;
  s.spec = std::move(*spec);
  s.created_ms = s.modified_ms = app_.clock.now().ms;
  // Patterns and the expression are checked before anything is stored.
  if (auto compiled = SubscriptionMatcher::compile(s); !compiled)
    return fail(req, compiled.error());
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto key = store_.insert(conn, s);
    if (!key) return key.take_error();
    s.key = *key;
    return audit(conn, req, *w.actor, "city.subscription.create", s.id);
  });
  if (!status) return fail(req, status.error());
  if (auto served = notifier_->put(s); !served) return fail(req, served.error());
  http::Response res = ngsi::reply(req, 201);
  res.headers.set("Location", "/v2/subscriptions/" + s.id);
  return res;
}

http::Response SubscriptionApi::get(const http::Request& req) const {
  if (auto refusal = refused(req)) return std::move(*refusal);
  auto tenant = ngsi::tenant_of(req, /*for_read=*/true);
  if (!tenant) return fail(req, tenant.error());
  std::shared_lock counters(counters_mutex_);
  auto s = target(req, *security::current_actor(req), tenant->service);
  if (!s) return fail(req, s.error());
  notifier_->overlay(*s);
  return ngsi::json_reply(req, 200, ngsi::subscription_json(*s, app_.clock.now().ms));
}

http::Response SubscriptionApi::update(const http::Request& req) {
  if (auto refusal = refused(req)) return std::move(*refusal);
  ngsi::Write w;
  if (auto refusal = ngsi::prepare_write(req, ngsi::Body::json, w, kUnauthenticated,
                                         /*read_paths=*/true))
    return std::move(*refusal);
  std::unique_lock counters(counters_mutex_);
  auto s = target(req, *w.actor, w.tenant.service);
  if (!s) return fail(req, s.error());
  auto spec = ngsi::parse_subscription_update(w.json, s->spec);
  if (!spec) return fail(req, spec.error());
  // A client setting it active again also restarts the count of failures (else one more
  // failure would switch it off at once).
  const auto* status_field = w.json.as_object().if_contains("status");
  const bool reactivated =
      status_field && status_field->is_string() && status_field->get_string() == "active";
  s->spec = std::move(*spec);
  s->modified_ms = app_.clock.now().ms;
  if (auto compiled = SubscriptionMatcher::compile(*s); !compiled)
    return fail(req, compiled.error());
  auto written = app_.db.transact([&](db::Connection& conn) -> core::Status {
    BALAI_TRY(store_.update(conn, *s, reactivated));
    return audit(conn, req, *w.actor, "city.subscription.update", s->id);
  });
  if (!written) return fail(req, written.error());
  if (reactivated) s->counters.fails_counter = 0;
  if (auto served = notifier_->put(*s, reactivated); !served) return fail(req, served.error());
  return ngsi::reply(req, 204);
}

http::Response SubscriptionApi::remove(const http::Request& req) {
  if (auto refusal = refused(req)) return std::move(*refusal);
  ngsi::Write w;
  if (auto refusal = ngsi::prepare_write(req, ngsi::Body::none, w, kUnauthenticated,
                                         /*read_paths=*/true))
    return std::move(*refusal);
  auto s = target(req, *w.actor, w.tenant.service);
  if (!s) return fail(req, s.error());
  auto removed = app_.db.transact([&](db::Connection& conn) -> core::Status {
    BALAI_TRY(store_.remove(conn, s->key));
    return audit(conn, req, *w.actor, "city.subscription.delete", s->id);
  });
  if (!removed) return fail(req, removed.error());
  notifier_->erase(s->key);
  return ngsi::reply(req, 204);
}

void SubscriptionApi::install() {
  http::Router& r = app_.router;
  r.get("/v2/subscriptions", [this](http::Request& req) { return list(req); });
  r.post("/v2/subscriptions", [this](http::Request& req) {
     return create(req);
   }).body_limit(ngsi::kBodyLimit);
  r.get("/v2/subscriptions/{id}", [this](http::Request& req) { return get(req); });
  r.patch("/v2/subscriptions/{id}", [this](http::Request& req) {
     return update(req);
   }).body_limit(ngsi::kBodyLimit);
  r.del("/v2/subscriptions/{id}", [this](http::Request& req) { return remove(req); });
}

}  // namespace

void install_subscriptions(app::App& app, ContextService& service) {
  using security::Role;
  app.security.policy.allow(kSubscriptionsManage, Role::integrator, security::Scope::own);
  app.security.policy.allow(kSubscriptionsManage, Role::admin, security::Scope::any);
  auto api = std::make_unique<SubscriptionApi>(app, service);
  api->install();
  app.states.push_back(std::move(api));
}

}  // namespace balai::city
