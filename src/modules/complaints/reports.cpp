// The citizen's side of a report (ComplaintService, part 2): submitting, seeing it, nearby
// reports, supporting, replying, confirming or reopening a resolution, and rating it.
#include <algorithm>

#include "core/ids.h"
#include "core/text.h"
#include "modules/complaints/service.h"
#include "modules/notify/outbox.h"
#include "security/policy.h"

namespace balai::complaints {
namespace {

constexpr const char* kSubmit = "complaints.report.submit";
constexpr const char* kOpen311Submit = "complaints.open311.submit";
constexpr size_t kCommentMax = 2'000;

core::Error no_such_report() {
  return core::make_error(core::ErrorCode::not_found, "No such report.");
}

}  // namespace

core::Result<Complaint> ComplaintService::submit(const security::Actor& actor, const Submission& s,
                                                 const RequestFacts& facts) {
  const bool open311 = actor.role == security::Role::integrator;
  int64_t reporter_key = 0;
  if (open311) {
    BALAI_TRY(app_.security.policy.authorize(&actor, kOpen311Submit));
  } else {
    BALAI_TRY(app_.security.policy.authorize(&actor, kSubmit, {actor.id, ""}));
    auto key = citizen_key(actor);
    if (!key) return key.take_error();
    reporter_key = *key;
  }
  auto all = categories();
  if (!all) return all.take_error();
  const auto area = core::parse_geo_box(app_.config.city.area);
  rules::SubmissionContext context{**all,
                                   app_.regions,
                                   app_.config.city.region_code,
                                   area.value_or(core::GeoBox{}),
                                   app_.config.complaints.photo_max_bytes,
                                   open311};
  auto checked = rules::check_submission(s, context);
  if (!checked) return checked.take_error();

  const core::Timestamp now = app_.clock.now();
  const auto& cfg = app_.config.complaints;
  std::string verifier = cfg.desk_agency;
  if (cfg.verification == "village" && !checked->village_code.empty()) {
    auto office = rules::village_agency(cfg.village_agency_prefix, checked->village_code);
    auto rows = app_.db.query("SELECT 1 FROM agencies WHERE code = ?", {office});
    if (!rows) return rows.take_error();
    verifier = rules::verifier_for(cfg.verification, cfg.desk_agency, cfg.village_agency_prefix,
                                   checked->village_code,
                                   [&](std::string_view) { return !rows->empty(); });
  }

  Complaint c;
  c.kind = checked->kind;
  c.category_code = checked->category->code;
  c.title = checked->title;
  c.description = checked->description;
  c.location = checked->location;
  c.address = checked->address;
  c.village_code = checked->village_code;
  c.anonymous = checked->anonymous;
  c.confidential = checked->confidential;
  c.channel = checked->channel;
  c.source = open311 ? "open311" : facts.via;
  c.status = Status::submitted;
  c.verifier_agency = verifier;
  c.reporter_key = reporter_key;
  c.created_at = c.updated_at = now;
  c.due_at = rules::verify_due(*working_days(), now);
  c.media_url = checked->media_url;
  c.attributes = checked->attributes;
  if (open311) c.open311_token = core::new_uuid_v7(now);
  const Contact contact{checked->contact_name, checked->contact_email, checked->contact_phone};
  if (open311 && contact.email.empty()) c.channel = Channel::none;
  const int year = core::local_date(now, app_.config.city.zone).year;

  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto sequence = store_.next_sequence(conn, year);
    if (!sequence) return sequence.take_error();
    c.tracking = rules::format_tracking(year, *sequence);
    BALAI_TRY(store_.insert(conn, c, contact));
    for (const auto& p : checked->photos) {
      auto id = store_.add_photo(conn, c.key, false, p.media_type, p.bytes, now);
      if (!id) return id.take_error();
    }
    Event e{EventKind::submitted, now, "reporter", "", "", ""};
    if (open311) e.actor_role = "integrator";
    BALAI_TRY(store_.add_event(conn, c.key, e));
    BALAI_TRY(audit(conn, &actor, "complaints.report.submit", c, facts, now));
    return notify(conn, c, Step{EventKind::submitted, "", true}, now);
  });
  if (!status) return status.take_error();
  app_.outbox.wake();
  app_.cache.clear();
  return c;
}

core::Result<View> ComplaintService::view(const security::Actor* viewer,
                                          std::string_view tracking) {
  if (!rules::is_tracking(tracking)) return no_such_report();
  auto found = store_.find(tracking);
  if (!found) return found.take_error();
  if (!*found) return no_such_report();
  View v;
  v.complaint = std::move(**found);
  const Complaint& c = v.complaint;
  int64_t viewer_key = 0;
  if (viewer && viewer->role == security::Role::citizen) {
    auto key = citizen_key(*viewer);
    if (key) viewer_key = *key;
    if (!key && key.error().code != core::ErrorCode::unauthenticated) return key.take_error();
  }
  v.mine = viewer_key && viewer_key == c.reporter_key;
  v.staff = viewer && works_on(*viewer, c);
  const bool hidden = c.confidential || c.rejection_reason == RejectionReason::spam;
  if (hidden && !v.mine && !v.staff) return no_such_report();
  auto timeline = store_.events(c.key, v.staff);
  if (!timeline) return timeline.take_error();
  v.timeline = std::move(timeline).value();
  auto photos = store_.photos(c.key);
  if (!photos) return photos.take_error();
  v.photos = std::move(photos).value();
  if (viewer_key && !v.mine) {
    auto supported = store_.is_supporter(c.key, viewer_key);
    if (!supported) return supported.take_error();
    v.supported = *supported;
  }
  const core::Timestamp now = app_.clock.now();
  v.can_support = viewer_key && !v.mine && !v.supported && !c.confidential &&
                  c.merged_into.empty() && rules::allowed(rules::Action::support, c.status).ok();
  v.can_comment = v.mine && rules::allowed(rules::Action::comment, c.status).ok();
  v.can_confirm = v.mine && c.status == Status::resolved;
  v.can_reopen = v.can_confirm && c.due_at && now.ms <= c.due_at->ms;
  if (c.status == Status::resolved) v.reopen_until = c.due_at;
  v.can_rate =
      v.mine && c.status == Status::closed && c.merged_into.empty() && c.resolved_at && !c.rating;
  return v;
}

core::Result<StoredPhoto> ComplaintService::photo(const security::Actor* viewer,
                                                  std::string_view tracking,
                                                  std::string_view photo_id) {
  auto v = view(viewer, tracking);
  if (!v) return v.take_error();
  auto p = store_.photo(v->complaint.key, photo_id);
  if (!p) return p.take_error();
  if (!*p) return core::make_error(core::ErrorCode::not_found, "No such photo.");
  return std::move(**p);
}

core::Result<std::vector<Nearby>> ComplaintService::nearby(std::string_view category_code,
                                                           core::GeoPoint point) const {
  auto cat = category(category_code);
  if (!cat) return cat.take_error();
  std::vector<Nearby> out;
  if (cat->nearby_radius_m <= 0) return out;
  auto candidates = store_.open_in_box(cat->code, core::box_around(point, cat->nearby_radius_m));
  if (!candidates) return candidates.take_error();
  for (auto& c : *candidates) {
    const double d = core::distance_m(point, *c.location);
    if (d <= cat->nearby_radius_m) out.push_back({std::move(c), static_cast<int>(d + 0.5)});
  }
  std::sort(out.begin(), out.end(),
            [](const Nearby& a, const Nearby& b) { return a.distance_m < b.distance_m; });
  if (out.size() > 5) out.resize(5);
  return out;
}

core::Result<std::vector<Complaint>> ComplaintService::mine(const security::Actor& actor) const {
  BALAI_TRY(app_.security.policy.authorize(&actor, kSubmit, {actor.id, ""}));
  auto account_key = citizen_key(actor);
  if (!account_key) return account_key.take_error();
  return store_.of_reporter(*account_key);
}

core::Status ComplaintService::support(const security::Actor& actor, std::string_view tracking,
                                       const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&actor, kSubmit, {actor.id, ""}));
  auto account_key = citizen_key(actor);
  if (!account_key) return account_key.take_error();
  if (!rules::is_tracking(tracking)) return no_such_report();
  const core::Timestamp now = app_.clock.now();
  return app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto found = store_.find_for_update(conn, tracking);
    if (!found) return found.take_error();
    if (!*found) return no_such_report();
    Complaint& c = **found;
    BALAI_TRY(must_see(&actor, c));
    if (c.confidential) return no_such_report();  // nobody supports what is not public
    BALAI_TRY(rules::allowed(rules::Action::support, c.status));
    if (!c.merged_into.empty())
      return core::make_error(core::ErrorCode::conflict, "Support the report it was merged into.");
    if (c.reporter_key == *account_key)
      return core::make_error(core::ErrorCode::conflict, "This is your own report.");
    auto added = store_.add_supporter(conn, c.key, *account_key, now);
    if (!added) return added.take_error();
    if (!*added) return core::make_error(core::ErrorCode::conflict, "You already support it.");
    auto count = store_.count_supporters(conn, c.key);
    if (!count) return count.take_error();
    c.supporters = *count;
    c.updated_at = now;
    BALAI_TRY(store_.update(conn, c));
    return audit(conn, &actor, "complaints.support", c, facts, now);
  });
}

core::Status ComplaintService::comment(const security::Actor& actor, std::string_view tracking,
                                       std::string_view text, const RequestFacts& facts) {
  BALAI_TRY(rules::check_text(text, kCommentMax, "text"));
  auto account_key = citizen_key(actor);
  if (!account_key) return account_key.take_error();
  return transition(&actor, tracking, rules::Action::comment, facts, app_.clock.now(),
                    [&](Complaint& c, db::Connection&, core::Timestamp now) -> core::Result<Step> {
                      if (c.reporter_key != *account_key) return no_such_report();
                      // A reply to a resolution holds the automatic closing: the reporter gets
                      // another ten working days after the agency's next word.
                      if (c.status == Status::resolved)
                        c.due_at = rules::close_due(*working_days(), now);
                      return Step{EventKind::comment, std::string(core::trim(text)), false};
                    });
}

core::Status ComplaintService::confirm(const security::Actor& actor, std::string_view tracking,
                                       const RequestFacts& facts) {
  auto account_key = citizen_key(actor);
  if (!account_key) return account_key.take_error();
  return transition(&actor, tracking, rules::Action::confirm, facts, app_.clock.now(),
                    [&](Complaint& c, db::Connection&, core::Timestamp now) -> core::Result<Step> {
                      if (c.reporter_key != *account_key) return no_such_report();
                      c.status = Status::closed;
                      c.closed_at = now;
                      c.due_at.reset();
                      return Step{EventKind::confirmed, "", false};
                    });
}

core::Status ComplaintService::reopen(const security::Actor& actor, std::string_view tracking,
                                      std::string_view reason, const RequestFacts& facts) {
  BALAI_TRY(rules::check_text(reason, kCommentMax, "reason"));
  auto account_key = citizen_key(actor);
  if (!account_key) return account_key.take_error();
  return transition(&actor, tracking, rules::Action::reopen, facts, app_.clock.now(),
                    [&](Complaint& c, db::Connection&, core::Timestamp now) -> core::Result<Step> {
                      if (c.reporter_key != *account_key) return no_such_report();
                      if (!c.due_at || now.ms > c.due_at->ms)
                        return core::make_error(core::ErrorCode::conflict,
                                                "The ten working days to reopen have passed.");
                      c.status = Status::in_progress;
                      ++c.reopened;
                      c.resolved_at.reset();
                      // The agency owes a new follow-up, on the same service level as the first.
                      c.due_at = rules::follow_up_due(*working_days(), now);
                      c.escalated_at.reset();
                      return Step{EventKind::reopened, std::string(core::trim(reason)), true};
                    });
}

core::Status ComplaintService::rate(const security::Actor& actor, std::string_view tracking,
                                    int rating, std::string_view comment_text,
                                    const RequestFacts& facts) {
  if (rating < 1 || rating > 4)
    return core::Error{
        core::ErrorCode::validation_failed, "Rate from 1 to 4.", {{"rating", "1 to 4"}}};
  if (core::utf8_length(core::trim(comment_text)) > kCommentMax)
    return core::Error{core::ErrorCode::validation_failed,
                       "The comment is too long.",
                       {{"comment", "at most 2000 characters"}}};
  auto account_key = citizen_key(actor);
  if (!account_key) return account_key.take_error();
  return transition(&actor, tracking, rules::Action::rate, facts, app_.clock.now(),
                    [&](Complaint& c, db::Connection&, core::Timestamp) -> core::Result<Step> {
                      if (c.reporter_key != *account_key) return no_such_report();
                      if (c.rating)
                        return core::make_error(core::ErrorCode::conflict, "Already rated.");
                      if (!c.merged_into.empty() || !c.resolved_at)
                        return core::make_error(core::ErrorCode::conflict,
                                                "Only a resolved report can be rated.");
                      c.rating = rating;
                      c.rating_comment = std::string(core::trim(comment_text));
                      // The comment is for the agency and the reporter; the timeline shows the
                      // score only.
                      return Step{EventKind::rated, std::to_string(rating) + "/4", false};
                    });
}

}  // namespace balai::complaints
