// The city's side of a report (ComplaintService, part 3): queues, verification and
// disposition, re-routing, assignment, follow-ups and internal notes, resolution with evidence,
// merging duplicates, the audited read of who reported, answer templates, and the jobs that
// escalate late steps and close resolved reports nobody reopened.
#include "core/ids.h"
#include "core/image_metadata.h"
#include "core/log.h"
#include "core/media_type.h"
#include "core/text.h"
#include "modules/complaints/service.h"
#include "modules/identity/service.h"
#include "modules/notify/outbox.h"
#include "security/data_access.h"
#include "security/policy.h"

namespace balai::complaints {
namespace {

constexpr const char* kVerify = "complaints.verify";
constexpr const char* kHandle = "complaints.handle";
constexpr const char* kSupervise = "complaints.supervise";
constexpr const char* kReporterRead = "complaints.reporter.read";

// Staff of the report's current agency (or, before disposition, of its verifier).
std::string_view holder(const Complaint& c) {
  return c.agency_code.empty() ? std::string_view(c.verifier_agency) : c.agency_code;
}

}  // namespace

core::Result<Page> ComplaintService::queue(const security::Actor& staff, const Filter& f) const {
  BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", staff.agency}));
  return store_.queue(QueueScope{staff.agency, false}, f);
}

core::Status ComplaintService::verify(const security::Actor& staff, std::string_view tracking,
                                      std::string_view note_text, const RequestFacts& facts) {
  if (core::utf8_length(note_text) > rules::kAnswerMax)
    return core::Error{core::ErrorCode::validation_failed,
                       "The note is too long.",
                       {{"note", "at most 4000 characters"}}};
  auto routes = store_.routes();
  if (!routes) return routes.take_error();
  return transition(
      &staff, tracking, rules::Action::verify, facts, app_.clock.now(),
      [&](Complaint& c, db::Connection& conn, core::Timestamp now) -> core::Result<Step> {
        BALAI_TRY(app_.security.policy.authorize(&staff, kVerify, {"", c.verifier_agency}));
        auto cat = category(c.category_code);
        if (!cat) return cat.take_error();
        BALAI_TRY(store_.add_event(
            conn, c.key,
            Event{EventKind::verified, now, std::string(security::to_string(staff.role)), staff.id,
                  staff.agency, ""}));
        c.agency_code = rules::route(*cat, c.village_code, *routes);
        c.status = rules::next_status(rules::Action::verify, c.status);
        c.verified_at = c.dispositioned_at = now;
        c.due_at = rules::follow_up_due(*working_days(), now);
        c.escalated_at.reset();
        std::string body(core::trim(note_text));
        return Step{EventKind::dispositioned, body, true};
      });
}

core::Status ComplaintService::reject(const security::Actor& staff, std::string_view tracking,
                                      std::string_view reason, std::string_view note_text,
                                      const RequestFacts& facts) {
  const auto parsed = parse_rejection_reason(reason);
  if (!parsed)
    return core::Error{core::ErrorCode::validation_failed,
                       "Choose a reason.",
                       {{"reason", "spam, not_city_authority or incomplete"}}};
  if (core::utf8_length(note_text) > rules::kAnswerMax)
    return core::Error{core::ErrorCode::validation_failed,
                       "The note is too long.",
                       {{"note", "at most 4000 characters"}}};
  return transition(
      &staff, tracking, rules::Action::reject, facts, app_.clock.now(),
      [&](Complaint& c, db::Connection&, core::Timestamp now) -> core::Result<Step> {
        BALAI_TRY(app_.security.policy.authorize(&staff, kVerify, {"", c.verifier_agency}));
        c.status = Status::rejected;
        c.rejection_reason = *parsed;
        c.verified_at = c.closed_at = now;
        c.due_at.reset();
        std::string body(core::trim(note_text));
        return Step{EventKind::rejected, body, true};
      });
}

core::Status ComplaintService::reroute(const security::Actor& staff, std::string_view tracking,
                                       std::string_view agency, std::string_view note_text,
                                       const RequestFacts& facts) {
  if (core::utf8_length(note_text) > rules::kAnswerMax)
    return core::Error{core::ErrorCode::validation_failed,
                       "The note is too long.",
                       {{"note", "at most 4000 characters"}}};
  auto known = app_.db.query("SELECT 1 FROM agencies WHERE code = ?", {agency});
  if (!known) return known.take_error();
  if (known->empty())
    return core::Error{
        core::ErrorCode::validation_failed, "Unknown agency.", {{"agency", "unknown agency"}}};
  return transition(
      &staff, tracking, rules::Action::reroute, facts, app_.clock.now(),
      [&](Complaint& c, db::Connection&, core::Timestamp now) -> core::Result<Step> {
        // Supervisors of the agency holding it, or of the verifier that sent it.
        if (!app_.security.policy.authorize(&staff, kSupervise, {"", c.agency_code}).ok())
          BALAI_TRY(app_.security.policy.authorize(&staff, kSupervise, {"", c.verifier_agency}));
        if (c.agency_code == agency)
          return core::make_error(core::ErrorCode::conflict, "It is already there.");
        c.agency_code = std::string(agency);
        c.assignee.clear();
        c.dispositioned_at = now;
        if (!c.followed_up_at) c.due_at = rules::follow_up_due(*working_days(), now);
        c.escalated_at.reset();
        std::string body(core::trim(note_text));
        return Step{EventKind::rerouted, body, true};
      });
}

core::Status ComplaintService::assign(const security::Actor& staff, std::string_view tracking,
                                      std::string_view assignee, const RequestFacts& facts) {
  std::optional<security::Account> person;
  if (!assignee.empty()) {
    auto found = app_.security.accounts.find(assignee);
    if (!found) return found.take_error();
    if (!*found || !(*found)->active ||
        ((*found)->role != security::Role::officer && (*found)->role != security::Role::supervisor))
      return core::Error{
          core::ErrorCode::validation_failed, "No such officer.", {{"assignee", "not an officer"}}};
    person = std::move(**found);
  }
  return transition(
      &staff, tracking, rules::Action::assign, facts, app_.clock.now(),
      [&](Complaint& c, db::Connection&, core::Timestamp) -> core::Result<Step> {
        BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", c.agency_code}));
        const bool self = person && person->id == staff.id;
        if (!self && !assignee.empty() && staff.role != security::Role::supervisor)
          return core::make_error(core::ErrorCode::forbidden,
                                  "Officers take reports themselves; supervisors assign others.");
        if (assignee.empty() && staff.role != security::Role::supervisor && c.assignee != staff.id)
          return core::make_error(core::ErrorCode::forbidden, "Only a supervisor can do this.");
        if (person && person->agency != c.agency_code)
          return core::Error{core::ErrorCode::validation_failed,
                             "Not an officer of this agency.",
                             {{"assignee", "other agency"}}};
        c.assignee = std::string(assignee);
        return Step{EventKind::assigned, person ? person->display_name : "", false};
      });
}

core::Status ComplaintService::follow_up(const security::Actor& staff, std::string_view tracking,
                                         std::string_view text, const RequestFacts& facts) {
  BALAI_TRY(rules::check_text(text, rules::kAnswerMax, "text"));
  return transition(
      &staff, tracking, rules::Action::follow_up, facts, app_.clock.now(),
      [&](Complaint& c, db::Connection&, core::Timestamp now) -> core::Result<Step> {
        BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", c.agency_code}));
        c.status = rules::next_status(rules::Action::follow_up, c.status);
        if (!c.followed_up_at) c.followed_up_at = now;
        c.due_at.reset();
        c.escalated_at.reset();
        return Step{EventKind::follow_up, std::string(core::trim(text)), true};
      });
}

core::Status ComplaintService::note(const security::Actor& staff, std::string_view tracking,
                                    std::string_view text, const RequestFacts& facts) {
  BALAI_TRY(rules::check_text(text, rules::kAnswerMax, "text"));
  return transition(&staff, tracking, rules::Action::note, facts, app_.clock.now(),
                    [&](Complaint& c, db::Connection&, core::Timestamp) -> core::Result<Step> {
                      BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", holder(c)}));
                      return Step{EventKind::internal_note, std::string(core::trim(text)), false};
                    });
}

core::Status ComplaintService::resolve(const security::Actor& staff, std::string_view tracking,
                                       std::string_view answer,
                                       const std::vector<std::string>& after_photos,
                                       const RequestFacts& facts) {
  BALAI_TRY(rules::check_text(answer, rules::kAnswerMax, "answer"));
  if (after_photos.size() > rules::kMaxPhotos)
    return core::Error{
        core::ErrorCode::validation_failed, "At most 3 photos.", {{"photos", "at most 3 photos"}}};
  std::vector<std::pair<std::string, std::string>> photos;  // type, stripped bytes
  for (const auto& bytes : after_photos) {
    if (bytes.size() > app_.config.complaints.photo_max_bytes)
      return core::make_error(core::ErrorCode::payload_too_large, "A photo is too large.");
    auto type = core::sniff_image_type(bytes);
    auto stripped = type ? core::strip_image_metadata(bytes, *type)
                         : core::Result<std::string>(core::make_error(
                               core::ErrorCode::validation_failed, "not an image"));
    if (!stripped)
      return core::Error{core::ErrorCode::validation_failed,
                         "Each photo must be a JPEG, PNG or WebP image.",
                         {{"photos", "each photo must be a JPEG, PNG or WebP image"}}};
    photos.emplace_back(std::string(*type), std::move(stripped).value());
  }
  return transition(
      &staff, tracking, rules::Action::resolve, facts, app_.clock.now(),
      [&](Complaint& c, db::Connection& conn, core::Timestamp now) -> core::Result<Step> {
        BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", c.agency_code}));
        auto cat = category(c.category_code);
        if (!cat) return cat.take_error();
        // A physical problem is resolved when someone can see it is: the "after" photo.
        if (cat->physical && photos.empty())
          return core::Error{core::ErrorCode::validation_failed,
                             "Add a photo of the place after the work.",
                             {{"photos", "an after photo is required for this category"}}};
        for (const auto& [type, bytes] : photos) {
          auto id = store_.add_photo(conn, c.key, true, type, bytes, now);
          if (!id) return id.take_error();
        }
        c.status = Status::resolved;
        c.resolved_at = now;
        if (!c.followed_up_at) c.followed_up_at = now;
        c.due_at = rules::close_due(*working_days(), now);
        c.escalated_at.reset();
        return Step{EventKind::resolved, std::string(core::trim(answer)), true};
      });
}

core::Status ComplaintService::merge(const security::Actor& staff, std::string_view duplicate,
                                     std::string_view original, const RequestFacts& facts) {
  if (duplicate == original)
    return core::Error{core::ErrorCode::validation_failed,
                       "A report cannot merge into itself.",
                       {{"into", "another report"}}};
  if (!rules::is_tracking(original))
    return core::Error{
        core::ErrorCode::validation_failed, "No such report.", {{"into", "not a tracking number"}}};
  return transition(
      &staff, duplicate, rules::Action::merge, facts, app_.clock.now(),
      [&](Complaint& dup, db::Connection& conn, core::Timestamp now) -> core::Result<Step> {
        BALAI_TRY(app_.security.policy.authorize(&staff, kSupervise, {"", holder(dup)}));
        auto found = store_.find_for_update(conn, original);
        if (!found) return found.take_error();
        if (!*found)
          return core::Error{
              core::ErrorCode::validation_failed, "No such report.", {{"into", "no such report"}}};
        Complaint& orig = **found;
        BALAI_TRY(rules::allowed(rules::Action::merge, orig.status));
        if (!orig.merged_into.empty())
          return core::make_error(core::ErrorCode::conflict, "That report was merged itself.");
        // The duplicate's reporter and supporters follow the original from now on.
        auto followers = store_.supporters(conn, dup.key);
        if (!followers) return followers.take_error();
        std::vector<int64_t> keys;
        if (dup.reporter_key && dup.reporter_key != orig.reporter_key)
          keys.push_back(dup.reporter_key);
        if (!followers->empty()) {
          auto accounts = app_.security.accounts.find_many(*followers);
          if (!accounts) return accounts.take_error();
          for (const auto& a : *accounts)
            if (a.key != orig.reporter_key) keys.push_back(a.key);
        }
        for (int64_t key : keys) {
          auto added = store_.add_supporter(conn, orig.key, key, now);
          if (!added) return added.take_error();
        }
        auto count = store_.count_supporters(conn, orig.key);
        if (!count) return count.take_error();
        orig.supporters = *count;
        orig.updated_at = now;
        BALAI_TRY(store_.update(conn, orig));
        BALAI_TRY(store_.add_event(
            conn, orig.key,
            Event{EventKind::merged, now, std::string(security::to_string(staff.role)), staff.id,
                  staff.agency, "Laporan " + dup.tracking + " digabung ke laporan ini."}));
        dup.status = Status::closed;
        dup.merged_into = orig.tracking;
        dup.closed_at = now;
        dup.due_at.reset();
        return Step{EventKind::merged, "Digabung ke laporan " + orig.tracking + ".", true};
      });
}

core::Result<Reporter> ComplaintService::reporter(const security::Actor& staff,
                                                  std::string_view tracking,
                                                  std::string_view purpose,
                                                  const RequestFacts& facts) {
  BALAI_TRY(rules::check_text(purpose, 500, "purpose"));
  if (!rules::is_tracking(tracking))
    return core::make_error(core::ErrorCode::not_found, "No such report.");
  auto found = store_.find(tracking);
  if (!found) return found.take_error();
  if (!*found) return core::make_error(core::ErrorCode::not_found, "No such report.");
  const Complaint& c = **found;
  BALAI_TRY(must_see(&staff, c));
  // Staff who verify or handle this report, nobody else (not even other agencies' supervisors).
  BALAI_TRY(app_.security.policy.authorize(&staff, kReporterRead, {"", holder(c)}));
  if (c.anonymous)
    return core::make_error(core::ErrorCode::forbidden,
                            "The reporter chose to stay anonymous; nobody can see who it is.");
  Reporter out;
  if (c.reporter_key) {
    auto account = app_.security.accounts.find_by_key(c.reporter_key);
    if (!account) return account.take_error();
    if (*account) {
      out.account_id = (*account)->id;
      out.name = (*account)->display_name;
      out.email = (*account)->email;
    }
    if (auto* identity = identity::service_of(app_)) {
      auto phone = identity->confirmed_phone(c.reporter_key);
      if (!phone) return phone.take_error();
      out.phone = *phone;
    }
  } else {
    auto contact = store_.contact(c);
    if (!contact) return contact.take_error();
    out.name = contact->name;
    out.email = contact->email;
    out.phone = contact->phone;
  }
  const core::Timestamp now = app_.clock.now();
  const std::string why(core::trim(purpose));
  BALAI_TRY(app_.db.transact([&](db::Connection& conn) -> core::Status {
    return security::record_personal_data_read(
        conn, app_.security.audit, app_.security.monitor, staff,
        {out.account_id, "complaint", c.tracking, why, facts.request_id}, now);
  }));
  return out;
}

core::Result<std::vector<Template>> ComplaintService::templates(
    const security::Actor& staff) const {
  BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", staff.agency}));
  return store_.templates(staff.agency);
}

core::Result<Template> ComplaintService::add_template(const security::Actor& staff,
                                                      std::string_view title, std::string_view body,
                                                      const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", staff.agency}));
  BALAI_TRY(rules::check_text(title, 120, "title"));
  BALAI_TRY(rules::check_text(body, rules::kAnswerMax, "body"));
  const core::Timestamp now = app_.clock.now();
  Template t{core::new_uuid_v7(now), staff.agency, std::string(core::trim(title)),
             std::string(core::trim(body))};
  BALAI_TRY(app_.db.transact([&](db::Connection& conn) -> core::Status {
    BALAI_TRY(store_.add_template(conn, t, now));
    return audit_change(conn, staff, "complaints.template.add", "complaint_template", t.id, facts,
                        now);
  }));
  return t;
}

core::Status ComplaintService::delete_template(const security::Actor& staff, std::string_view id,
                                               const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&staff, kHandle, {"", staff.agency}));
  const core::Timestamp now = app_.clock.now();
  return app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto gone = store_.delete_template(conn, staff.agency, id);
    if (!gone) return gone.take_error();
    if (!*gone) return core::make_error(core::ErrorCode::not_found, "No such template.");
    return audit_change(conn, staff, "complaints.template.delete", "complaint_template",
                        std::string(id), facts, now);
  });
}

int ComplaintService::close_due(core::Timestamp now) {
  auto due = store_.due_to_close(now);
  if (!due) {
    core::log::warn("complaints.close_list_failed", {{"error", due.error().message}});
    return 0;
  }
  int closed = 0;
  const RequestFacts facts{"", "", "system"};
  for (const auto& tracking : *due) {
    auto s = transition(
        nullptr, tracking, rules::Action::close_auto, facts, now,
        [&](Complaint& c, db::Connection&, core::Timestamp at) -> core::Result<Step> {
          if (!c.due_at || at.ms <= c.due_at->ms)
            return core::make_error(core::ErrorCode::conflict, "not due");
          c.status = Status::closed;
          c.closed_at = at;
          c.due_at.reset();
          return Step{EventKind::closed,
                      "Ditutup otomatis: tidak ada tanggapan dalam 10 hari kerja setelah selesai.",
                      true};
        });
    if (s)
      ++closed;
    else if (s.error().code != core::ErrorCode::conflict)
      core::log::warn("complaints.close_failed",
                      {{"tracking", tracking}, {"error", s.error().message}});
  }
  return closed;
}

int ComplaintService::escalate_due(core::Timestamp now) {
  auto due = store_.due_to_escalate(now);
  if (!due) {
    core::log::warn("complaints.escalate_list_failed", {{"error", due.error().message}});
    return 0;
  }
  if (due->empty()) return 0;
  // The supervisors hear of it by e-mail (and see it first in the queue's overdue view).
  auto supervisors = app_.security.accounts.list(security::Role::supervisor);
  if (!supervisors) {
    core::log::warn("complaints.escalate_list_failed", {{"error", supervisors.error().message}});
    return 0;
  }
  int escalated = 0;
  const RequestFacts facts{"", "", "system"};
  for (const auto& tracking : *due) {
    auto s = transition(
        nullptr, tracking, rules::Action::escalate, facts, now,
        [&](Complaint& c, db::Connection& conn, core::Timestamp at) -> core::Result<Step> {
          if (c.escalated_at || !rules::overdue(c, at))
            return core::make_error(core::ErrorCode::conflict, "not due");
          c.escalated_at = at;
          for (const auto& boss : *supervisors) {
            if (!boss.active || boss.agency != holder(c) || boss.email.empty()) continue;
            notify::Message m;
            m.channel = notify::Channel::email;
            m.to = boss.email;
            m.kind = "complaints.escalated";
            m.subject = "Laporan " + c.tracking + " melewati batas waktu";
            m.body = "Laporan " + c.tracking +
                     " melewati batas waktu layanan.\nBuka: " + app_.config.server.public_url +
                     "/petugas/pengaduan/" + c.tracking + "\n\nReport " + c.tracking +
                     " is past its service-level deadline.\n";
            BALAI_TRY(app_.outbox.enqueue(conn, m, app_.clock.now()));
          }
          return Step{
              EventKind::escalated,
              "Melewati batas waktu; diteruskan ke atasan (" + std::string(holder(c)) + ").",
              false};
        });
    if (s)
      ++escalated;
    else if (s.error().code != core::ErrorCode::conflict)
      core::log::warn("complaints.escalate_failed",
                      {{"tracking", tracking}, {"error", s.error().message}});
  }
  return escalated;
}

}  // namespace balai::complaints
