#pragma once
// The holiday calendar's use cases and its public face for other modules: the working days that
// deadlines count (working_days()), the holidays of a year, and the administrators' changes,
// each authorized through the policy and audited in the same transaction as the change.
//
// Another module computes a deadline like this (installed after this module, app.cpp):
//   auto days = calendar::service_of(app).working_days();
//   complaint.due_at = days->deadline_after(complaint.received_at, 5);
//
// Thread-safe. Every method may block on the database: worker threads only.

#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "core/time.h"
#include "modules/calendar/model.h"
#include "modules/calendar/store.h"
#include "modules/calendar/working_days.h"
#include "security/actor.h"

namespace balai::calendar {

// The policy action of adding and removing holidays (granted to Role::admin, Scope::any).
inline constexpr std::string_view kManageHolidays = "calendar.holidays.manage";
// The policy action of the console's holiday page (administrators and auditors).
inline constexpr std::string_view kReadHolidays = "calendar.holidays.read";

// The operator at the server's command line (`balai holiday add|remove`): an administrator,
// recorded in the audit log as actor "system" like every command-line change.
security::Actor command_line_actor();

class CalendarService final : public app::ModuleState {
 public:
  // `app` outlives the service. Reads nothing yet: the calendar loads on first use.
  explicit CalendarService(app::App& app);

  // The current calendar (cached; reloaded after a change on this instance and at most every
  // 60 s otherwise, so other instances see changes). Never fails: on a database error it keeps
  // the last good one (weekends-only before the first load) and logs. The snapshot stays valid
  // however long the caller keeps it. Blocks on the database when it reloads.
  std::shared_ptr<const WorkingDays> working_days() const;

  // The holidays of `year`, in date order. validation_failed (field "year") outside
  // kFirstYear..kLastYear (rules.h).
  [[nodiscard]] core::Result<std::vector<Holiday>> holidays(int year) const;

  // Administrators only (policy action "calendar.holidays.manage", Role::admin, Scope::any);
  // audited in the same transaction ("calendar.holiday.add", object "holiday" with the date as
  // its id); validation_failed for a bad date/empty or over-long name (1..120), conflict when
  // the date already has a holiday (field "date": "taken"). unauthenticated without an actor,
  // forbidden for anyone else. `request_id` goes into the audit entry.
  [[nodiscard]] core::Status add_holiday(const security::Actor& actor, const Holiday& holiday,
                                         std::string_view request_id);
  // As add_holiday ("calendar.holiday.remove"); not_found when the date has no holiday.
  [[nodiscard]] core::Status remove_holiday(const security::Actor& actor, core::Date date,
                                            std::string_view request_id);

 private:
  // After a change here: the next working_days() reloads, cached public answers are dropped.
  void changed();

  app::App& app_;
  Store store_;
  // Held while reloading, so concurrent callers wait for one query instead of each running it.
  mutable std::mutex reload_mutex_;
  mutable std::mutex mutex_;  // guards current_, loaded_at_ and stale_
  mutable std::shared_ptr<const WorkingDays> current_;
  mutable std::optional<core::Timestamp> loaded_at_;  // last load attempt, failed ones too
  mutable bool stale_ = true;
};

// The calendar service installed in `app`. Throws std::logic_error before calendar::install
// (a start-up order bug: install the calendar before the modules that count working days).
// Owned by app.states; valid while the app lives.
CalendarService& service_of(app::App& app);

}  // namespace balai::calendar
