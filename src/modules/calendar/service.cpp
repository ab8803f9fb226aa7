#include "modules/calendar/service.h"

#include <stdexcept>

#include "core/log.h"
#include "modules/calendar/rules.h"
#include "security/audit.h"
#include "security/policy.h"

namespace balai::calendar {
namespace {

// How long another instance's change may go unseen here.
constexpr int64_t kReloadEveryMs = 60'000;
constexpr std::string_view kCommandLineActorId = "system";

// The audit entry of a change to the holiday of `date`.
security::AuditEntry change_entry(const security::Actor& actor, std::string_view action,
                                  core::Date date, std::string_view request_id,
                                  core::Timestamp now) {
  security::AuditEntry e;
  e.at = now;
  e.actor = actor.id;
  e.actor_role = actor.id == kCommandLineActorId ? std::string(kCommandLineActorId)
                                                 : std::string(security::to_string(actor.role));
  e.action = action;
  e.object_type = "holiday";
  e.object_id = format_date(date);
  e.request_id = request_id;
  return e;
}

core::Error no_year() {
  return core::Error{
      core::ErrorCode::validation_failed, "The year is not valid.", {{"year", "invalid"}}};
}

}  // namespace

security::Actor command_line_actor() {
  security::Actor actor;
  actor.id = std::string(kCommandLineActorId);
  actor.role = security::Role::admin;
  return actor;
}

CalendarService::CalendarService(app::App& app)
    : app_(app), store_(app.db), current_(std::make_shared<const WorkingDays>()) {}

std::shared_ptr<const WorkingDays> CalendarService::working_days() const {
  auto fresh = [this](core::Timestamp now) {
    return !stale_ && loaded_at_ && now.ms - loaded_at_->ms < kReloadEveryMs &&
           now.ms >= loaded_at_->ms;
  };
  {
    std::lock_guard lock(mutex_);
    if (fresh(app_.clock.now())) return current_;
  }
  std::lock_guard reloading(reload_mutex_);
  {
    // Another caller may have reloaded while this one waited.
    std::lock_guard lock(mutex_);
    if (fresh(app_.clock.now())) return current_;
    stale_ = false;  // a change from now on marks the result of this load stale again
  }
  auto dates = store_.all_dates();
  std::lock_guard lock(mutex_);
  loaded_at_ = app_.clock.now();
  if (!dates) {
    core::log::warn("calendar.load_failed", {{"error", dates.error().message}});
    return current_;
  }
  current_ = std::make_shared<const WorkingDays>(std::move(dates).value(), app_.config.city.zone);
  return current_;
}

core::Result<std::vector<Holiday>> CalendarService::holidays(int year) const {
  if (year < kFirstYear || year > kLastYear) return no_year();
  return store_.list_year(year);
}

core::Status CalendarService::add_holiday(const security::Actor& actor, const Holiday& holiday,
                                          std::string_view request_id) {
  BALAI_TRY(app_.security.policy.authorize(&actor, kManageHolidays));
  BALAI_TRY(validate(holiday));
  const core::Timestamp now = app_.clock.now();
  BALAI_TRY(app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto inserted = store_.insert(conn, holiday, now);
    if (!inserted) return inserted.take_error();
    if (!*inserted)
      return core::Error{
          core::ErrorCode::conflict, "This date already has a holiday.", {{"date", "taken"}}};
    return app_.security.audit.append(
        conn, change_entry(actor, "calendar.holiday.add", holiday.date, request_id, now));
  }));
  changed();
  return {};
}

core::Status CalendarService::remove_holiday(const security::Actor& actor, core::Date date,
                                             std::string_view request_id) {
  BALAI_TRY(app_.security.policy.authorize(&actor, kManageHolidays));
  if (date.year < kFirstYear || date.year > kLastYear || !core::is_valid_date(date))
    return core::Error{
        core::ErrorCode::validation_failed, "The date is not valid.", {{"date", "invalid"}}};
  const core::Timestamp now = app_.clock.now();
  BALAI_TRY(app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto removed = store_.remove(conn, date);
    if (!removed) return removed.take_error();
    if (!*removed)
      return core::Error{
          core::ErrorCode::not_found, "This date has no holiday.", {{"date", "not_found"}}};
    return app_.security.audit.append(
        conn, change_entry(actor, "calendar.holiday.remove", date, request_id, now));
  }));
  changed();
  return {};
}

void CalendarService::changed() {
  {
    std::lock_guard lock(mutex_);
    stale_ = true;
  }
  // GET /api/v1/holidays is served from the public cache; the cache drops everything at once.
  app_.cache.clear();
}

CalendarService& service_of(app::App& app) {
  for (auto& state : app.states)
    if (auto* s = dynamic_cast<CalendarService*>(state.get())) return *s;
  throw std::logic_error("calendar: install the calendar module first");
}

}  // namespace balai::calendar
