// The complaints service's shared machinery: the transition every change goes through, audit
// entries, notifications to the reporter and supporters, and categories (cached).
#include "modules/complaints/service.h"

#include <fmt/format.h>

#include <stdexcept>

#include "core/log.h"
#include "core/text.h"
#include "http/response_cache.h"
#include "modules/calendar/service.h"
#include "modules/identity/service.h"
#include "modules/notify/outbox.h"
#include "security/audit.h"
#include "security/policy.h"

namespace balai::complaints {
namespace {

constexpr const char* kManage = "complaints.categories.manage";

// What a message about a step says (Bahasa Indonesia first, then English).
std::pair<std::string, std::string> step_words(EventKind k) {
  switch (k) {
    case EventKind::submitted:
      return {"diterima", "received"};
    case EventKind::verified:
    case EventKind::dispositioned:
      return {"diteruskan ke instansi", "sent to the agency"};
    case EventKind::rejected:
      return {"ditolak", "rejected"};
    case EventKind::rerouted:
      return {"dialihkan ke instansi lain", "moved to another agency"};
    case EventKind::follow_up:
      return {"mendapat tindak lanjut", "followed up"};
    case EventKind::resolved:
      return {"dinyatakan selesai", "resolved"};
    case EventKind::closed:
      return {"ditutup", "closed"};
    case EventKind::merged:
      return {"digabung dengan laporan lain", "merged with another report"};
    case EventKind::reopened:
      return {"dibuka kembali", "reopened"};
    default:
      return {"diperbarui", "updated"};
  }
}

}  // namespace

ComplaintService::ComplaintService(app::App& app)
    : app_(app), store_(app.db, app.security.cipher) {}

ComplaintService& service_of(app::App& app) {
  for (auto& state : app.states)
    if (auto* s = dynamic_cast<ComplaintService*>(state.get())) return *s;
  throw std::logic_error("complaints::install has not run");
}

std::shared_ptr<const calendar::WorkingDays> ComplaintService::working_days() const {
  return calendar::service_of(app_).working_days();
}

core::Result<std::shared_ptr<const std::vector<Category>>> ComplaintService::categories() const {
  {
    std::lock_guard lock(categories_mutex_);
    if (categories_) return categories_;
  }
  auto loaded = store_.categories();
  if (!loaded) return loaded.take_error();
  auto shared = std::make_shared<const std::vector<Category>>(std::move(loaded).value());
  std::lock_guard lock(categories_mutex_);
  categories_ = shared;
  return shared;
}

core::Result<Category> ComplaintService::category(std::string_view code) const {
  auto all = categories();
  if (!all) return all.take_error();
  for (const auto& c : **all)
    if (c.code == code) return c;
  return core::make_error(core::ErrorCode::not_found, "No such category.");
}

void ComplaintService::forget_categories() const {
  std::lock_guard lock(categories_mutex_);
  categories_.reset();
  app_.cache.clear();
}

core::Status ComplaintService::save_category(const security::Actor& admin, const Category& c,
                                             const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&admin, kManage));
  std::map<std::string, std::string> errors;
  const bool code_ok = !c.code.empty() && c.code.size() <= 64 &&
                       std::all_of(c.code.begin(), c.code.end(), [](char ch) {
                         return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                       });
  if (!code_ok) errors["code"] = "lower-case letters, digits and hyphens (1-64)";
  if (c.name_id.empty() || core::utf8_length(c.name_id) > 120)
    errors["name_id"] = "1-120 characters";
  if (core::utf8_length(c.name_en) > 120) errors["name_en"] = "at most 120 characters";
  if (core::utf8_length(c.description_id) > 2000)
    errors["description_id"] = "at most 2000 characters";
  if (core::utf8_length(c.description_en) > 2000)
    errors["description_en"] = "at most 2000 characters";
  if (c.nearby_radius_m < 0 || c.nearby_radius_m > 5000)
    errors["nearby_radius_m"] = "0-5000 metres";
  for (const auto& a : c.attributes) {
    const bool list =
        a.type == AttributeType::singlevaluelist || a.type == AttributeType::multivaluelist;
    if (a.code.empty() || a.code.size() > 64 || a.description.empty() || list != !a.values.empty())
      errors["attributes"] = "each needs a code, a description, and values exactly for lists";
  }
  auto agencies = app_.db.query("SELECT 1 FROM agencies WHERE code = ?", {c.agency_code});
  if (!agencies) return agencies.take_error();
  if (agencies->empty()) errors["agency"] = "unknown agency";
  if (!errors.empty()) {
    core::Error e{core::ErrorCode::validation_failed, "The category has problems.", {}};
    e.fields = std::move(errors);
    return e;
  }
  const core::Timestamp now = app_.clock.now();
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    BALAI_TRY(store_.save_category(conn, c, now));
    return audit_change(conn, admin, "complaints.category.save", "complaint_category", c.code,
                        facts, now);
  });
  forget_categories();
  return status;
}

core::Status ComplaintService::save_route(const security::Actor& admin, const Route& r,
                                          const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&admin, kManage));
  auto cat = category(r.category_code);
  if (!cat)
    return core::Error{core::ErrorCode::validation_failed,
                       "Unknown category.",
                       {{"category", "unknown category"}}};
  if (!regions::level_of(r.region_prefix) || !app_.regions.find(r.region_prefix))
    return core::Error{
        core::ErrorCode::validation_failed, "Unknown region.", {{"region", "not a region code"}}};
  auto agencies = app_.db.query("SELECT 1 FROM agencies WHERE code = ?", {r.agency_code});
  if (!agencies) return agencies.take_error();
  if (agencies->empty())
    return core::Error{
        core::ErrorCode::validation_failed, "Unknown agency.", {{"agency_code", "unknown agency"}}};
  const core::Timestamp now = app_.clock.now();
  return app_.db.transact([&](db::Connection& conn) -> core::Status {
    BALAI_TRY(store_.save_route(conn, r));
    return audit_change(conn, admin, "complaints.route.save", "complaint_route",
                        r.category_code + "@" + r.region_prefix, facts, now);
  });
}

core::Status ComplaintService::delete_route(const security::Actor& admin,
                                            std::string_view category_code,
                                            std::string_view region_prefix,
                                            const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&admin, kManage));
  const core::Timestamp now = app_.clock.now();
  return app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto gone = store_.delete_route(conn, category_code, region_prefix);
    if (!gone) return gone.take_error();
    if (!*gone) return core::make_error(core::ErrorCode::not_found, "No such route.");
    return audit_change(conn, admin, "complaints.route.delete", "complaint_route",
                        std::string(category_code) + "@" + std::string(region_prefix), facts, now);
  });
}

core::Result<int64_t> ComplaintService::citizen_key(const security::Actor& actor) const {
  if (actor.role != security::Role::citizen)
    return core::make_error(core::ErrorCode::forbidden, "Only citizens can do this.");
  // A session's actor carries its account's key, checked active by this request's session
  // lookup: filing a report then costs no second read of the account.
  if (actor.account_key != 0) return actor.account_key;
  auto account = app_.security.accounts.find(actor.id);
  if (!account) return account.take_error();
  if (!*account || !(*account)->active)
    return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  return (*account)->key;
}

bool ComplaintService::works_on(const security::Actor& actor, const Complaint& c) const {
  if (actor.role != security::Role::officer && actor.role != security::Role::supervisor)
    return false;
  if (actor.agency.empty()) return false;
  return actor.agency == c.verifier_agency || actor.agency == c.agency_code;
}

core::Status ComplaintService::must_see(const security::Actor* actor, const Complaint& c) const {
  if (!c.confidential && c.rejection_reason != RejectionReason::spam) return {};
  if (actor && works_on(*actor, c)) return {};
  if (actor && actor->role == security::Role::citizen && c.reporter_key) {
    auto key = citizen_key(*actor);
    if (key && *key == c.reporter_key) return {};
    if (!key && key.error().code != core::ErrorCode::unauthenticated) return key.take_error();
  }
  return core::make_error(core::ErrorCode::not_found, "No such report.");
}

core::Status ComplaintService::audit_change(db::Connection& conn, const security::Actor& actor,
                                            std::string_view action, std::string_view object_type,
                                            std::string_view object_id, const RequestFacts& facts,
                                            core::Timestamp now) const {
  security::AuditEntry e;
  e.at = now;
  e.actor = actor.id;
  e.actor_role = std::string(security::to_string(actor.role));
  e.action = std::string(action);
  e.object_type = std::string(object_type);
  e.object_id = std::string(object_id);
  e.request_id = facts.request_id;
  return app_.security.audit.append(conn, e);
}

core::Status ComplaintService::audit(db::Connection& conn, const security::Actor* actor,
                                     std::string_view action, const Complaint& c,
                                     const RequestFacts& facts, core::Timestamp now,
                                     std::string_view purpose) const {
  security::AuditEntry e;
  e.at = now;
  if (actor) {
    // An anonymous report's reporter stays anonymous in the audit log as well: the account
    // link lives only in the report row, for the reporter's own pages.
    const bool hide = c.anonymous && actor->role == security::Role::citizen &&
                      action.starts_with("complaints.report.");
    e.actor = hide ? "anonymous" : actor->id;
    e.actor_role = std::string(security::to_string(actor->role));
  }
  e.action = std::string(action);
  e.object_type = "complaint";
  e.object_id = c.tracking;
  e.purpose = std::string(purpose);
  e.request_id = facts.request_id;
  return app_.security.audit.append(conn, e);
}

core::Status ComplaintService::notify(db::Connection& conn, const Complaint& c, const Step& step,
                                      core::Timestamp) const {
  if (!step.notify) return {};
  // Messages are due when written, whatever time a job reasons about (tests run jobs "later").
  const core::Timestamp now = app_.clock.now();
  const auto [id_words, en_words] = step_words(step.event);
  const std::string link = app_.config.server.public_url + "/pengaduan/" + c.tracking;
  notify::Message m;
  m.kind = "complaints." + std::string(to_string(step.event));
  m.subject = fmt::format("Laporan {} {}", c.tracking, id_words);
  std::string note = step.body.empty() ? "" : "\n\n" + step.body + "\n";
  m.body = fmt::format(
      "Laporan {0} {1}.{3}\nLihat perkembangannya: {2}\n\n"
      "Report {0} was {4}. Follow it: {2}\n",
      c.tracking, id_words, link, note, en_words);
  // The reporter, by the channel they chose.
  if (c.reporter_key && c.channel != Channel::none) {
    std::string to;
    if (c.channel == Channel::email) {
      auto account = app_.security.accounts.find_by_key(c.reporter_key);
      if (!account) return account.take_error();
      if (*account) to = (*account)->email;
    } else if (auto* identity = identity::service_of(app_)) {
      auto phone = identity->confirmed_phone(c.reporter_key);
      if (!phone) return phone.take_error();
      to = *phone;
    }
    if (!to.empty()) {
      m.channel = c.channel == Channel::sms ? notify::Channel::sms : notify::Channel::email;
      m.to = to;
      if (m.channel == notify::Channel::sms)
        m.body = fmt::format("Balai: laporan {} {}. {}", c.tracking, id_words, link);
      BALAI_TRY(app_.outbox.enqueue(conn, m, now));
    }
  } else if (!c.reporter_key && c.channel == Channel::email) {
    auto contact = store_.contact(c);
    if (!contact) return contact.take_error();
    if (!contact->email.empty()) {
      m.channel = notify::Channel::email;
      m.to = contact->email;
      BALAI_TRY(app_.outbox.enqueue(conn, m, now));
    }
  }
  // Supporters follow public steps by email.
  auto followers = store_.supporters(conn, c.key);
  if (!followers) return followers.take_error();
  if (!followers->empty()) {
    auto accounts = app_.security.accounts.find_many(*followers);
    if (!accounts) return accounts.take_error();
    for (const auto& a : *accounts) {
      if (a.email.empty() || a.key == c.reporter_key || !a.active) continue;
      notify::Message f = m;
      f.channel = notify::Channel::email;
      f.to = a.email;
      f.kind = "complaints.follow";
      BALAI_TRY(app_.outbox.enqueue(conn, f, now));
    }
  }
  return {};
}

core::Status ComplaintService::transition(const security::Actor* actor, std::string_view tracking,
                                          rules::Action action, const RequestFacts& facts,
                                          core::Timestamp now, const Apply& apply) {
  if (!rules::is_tracking(tracking))
    return core::make_error(core::ErrorCode::not_found, "No such report.");
  bool notified = false;
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto found = store_.find_for_update(conn, tracking);
    if (!found) return found.take_error();
    if (!*found) return core::make_error(core::ErrorCode::not_found, "No such report.");
    Complaint c = std::move(**found);
    // Who may see it comes before what state it is in: a confidential report answers like an
    // unknown one to anyone who may not see it (never 409 or 403, which would tell it exists).
    BALAI_TRY(must_see(actor, c));
    BALAI_TRY(rules::allowed(action, c.status));
    auto step = apply(c, conn, now);
    if (!step) return step.take_error();
    c.updated_at = now;
    if (step->notify && !step->body.empty() && is_public(step->event)) c.status_note = step->body;
    BALAI_TRY(store_.update(conn, c));
    Event e;
    e.kind = step->event;
    e.at = now;
    if (actor) {
      e.actor_role = actor->role == security::Role::citizen
                         ? "reporter"
                         : std::string(security::to_string(actor->role));
      if (security::is_staff(actor->role)) e.actor_id = actor->id;
      e.agency_code = actor->agency;
    } else {
      e.actor_role = "system";
    }
    e.body = step->body;
    BALAI_TRY(store_.add_event(conn, c.key, e));
    BALAI_TRY(
        audit(conn, actor, "complaints." + std::string(rules::to_string(action)), c, facts, now));
    BALAI_TRY(notify(conn, c, *step, now));
    notified = step->notify;
    return {};
  });
  if (status) app_.outbox.wake();
  if (status) app_.cache.clear();
  return status;
}

}  // namespace balai::complaints
