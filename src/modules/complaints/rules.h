#pragma once
// The complaints module's pure rules: what a valid report is, who may do what in which state,
// where a report goes, and the service levels in working days. No I/O; unit-tested alone.

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/result.h"
#include "core/time.h"
#include "modules/calendar/working_days.h"
#include "modules/complaints/model.h"

namespace balai::regions {
class Directory;
}

namespace balai::complaints::rules {

inline constexpr size_t kDescriptionMax = 4'000;  // characters (Open311's limit too)
inline constexpr size_t kTitleMax = 120;
inline constexpr size_t kAddressMax = 300;
inline constexpr size_t kAnswerMax = 4'000;
inline constexpr size_t kMaxPhotos = 3;
inline constexpr int kVerifyWorkingDays = 3;    // submitted -> verified or rejected
inline constexpr int kFollowUpWorkingDays = 5;  // dispositioned -> first public follow-up
inline constexpr int kCloseWorkingDays = 10;    // resolved -> closed unless reopened or replied

// A submission that passed every rule, ready to store.
struct CheckedSubmission {
  Kind kind = Kind::complaint;
  const Category* category = nullptr;
  std::string title;
  std::string description;
  std::optional<core::GeoPoint> location;
  std::string address;
  std::string village_code;
  bool anonymous = false;
  bool confidential = false;
  Channel channel = Channel::email;
  struct Photo {
    std::string media_type;
    std::string bytes;  // metadata removed
  };
  std::vector<Photo> photos;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string contact_name;
  std::string contact_email;
  std::string contact_phone;
  std::string media_url;
};

struct SubmissionContext {
  std::span<const Category> categories;
  const regions::Directory& regions;
  std::string_view city_region;  // "35.77": villages must be inside it
  core::GeoBox area;             // pins must be inside it
  size_t photo_max_bytes = 4 * 1024 * 1024;
  bool open311 = false;  // attributes and contact fields are allowed (and checked)
};

// Checks every field at once; validation_failed lists each bad field (never echoing its
// value); payload_too_large when a photo is over the limit. Photos are checked by content
// (JPEG/PNG/WebP, whatever their name says) and returned without metadata (GPS EXIF...).
[[nodiscard]] core::Result<CheckedSubmission> check_submission(const Submission& s,
                                                               const SubmissionContext& context);

// Open311 attribute answers against the service definition: required ones present, numbers
// numbers, datetimes ISO 8601, list values among the keys, multivaluelist repeatable.
// Fills `errors` (field "attribute[code]" -> message); returns the answers in definition order.
std::vector<std::pair<std::string, std::string>> check_attributes(
    const Category& category, const std::vector<std::pair<std::string, std::string>>& answers,
    std::map<std::string, std::string>& errors);

// A reply, an answer, a note or a reason: required (after trimming) and at most `max`
// characters. validation_failed naming `field` otherwise.
[[nodiscard]] core::Status check_text(std::string_view text, size_t max, std::string_view field);

// --- Lifecycle ---

// What someone does to a report.
enum class Action {
  verify,      // verifier: submitted -> dispositioned (with the routed agency)
  reject,      // verifier: submitted -> rejected
  reroute,     // supervisor: a dispositioned or in-progress report to another agency
  assign,      // agency: who works on it
  follow_up,   // agency: a public answer; dispositioned -> in_progress
  note,        // staff: internal note, any state
  resolve,     // agency: in_progress -> resolved (answer + after photo for physical problems)
  confirm,     // reporter: resolved -> closed
  reopen,      // reporter: resolved -> in_progress, within kCloseWorkingDays of resolution
  comment,     // reporter: a reply, while not ended
  rate,        // reporter: once, when closed after a resolution
  support,     // any citizen but the reporter: +1 on a public open report
  merge,       // supervisor: a duplicate into its original (both open)
  close_auto,  // system: resolved and the close deadline passed
  escalate     // system: a staff step's deadline passed (the supervisors see it first)
};
std::string_view to_string(Action a);

// Whether `action` is allowed in `status` (the state machine alone; who may act is the
// service's policy). conflict with a message naming the state otherwise.
[[nodiscard]] core::Status allowed(Action action, Status status);

// The state after an action (for actions that change it); the status itself otherwise.
Status next_status(Action action, Status status);

// --- Routing ---

// The agency a report goes to: the route with the longest region prefix that the village code
// starts with, for the category; the category's own agency when none matches.
std::string route(const Category& category, std::string_view village_code,
                  std::span<const Route> routes);

// The verifier of a new report: the desk, or in "village" mode the village office when it is a
// known agency. `agency_exists` says whether an agency code is in the catalog.
std::string verifier_for(std::string_view mode, std::string_view desk_agency,
                         std::string_view village_prefix, std::string_view village_code,
                         const std::function<bool(std::string_view)>& agency_exists);

// "35.77.01.1001" -> "kel-3577011001" (the village office's agency code).
std::string village_agency(std::string_view prefix, std::string_view village_code);

// --- Service levels ---

core::Timestamp verify_due(const calendar::WorkingDays& days, core::Timestamp submitted);
core::Timestamp follow_up_due(const calendar::WorkingDays& days, core::Timestamp dispositioned);
core::Timestamp close_due(const calendar::WorkingDays& days, core::Timestamp resolved);
// Whether a report's current step is past its deadline.
bool overdue(const Complaint& c, core::Timestamp now);

// --- Tracking numbers ---

// "ADU-2026-000123" (at least six digits).
std::string format_tracking(int year, int64_t sequence);
// Whether text looks like a tracking number (before looking it up).
bool is_tracking(std::string_view text);

// --- Statistics ---

// The median of durations in milliseconds (mean of the middle two for an even count); nullopt
// for none. Sorts its argument.
std::optional<int64_t> median(std::vector<int64_t>& values);

// --- Text ---

// The title shown in lists: the given title, or the description's first line cut at a word
// boundary near 80 characters.
std::string display_title(std::string_view title, std::string_view description);

}  // namespace balai::complaints::rules
