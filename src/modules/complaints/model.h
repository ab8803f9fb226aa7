#pragma once
// A complaint (pengaduan) as the city handles it, after LAPOR! SP4N (Perpres 76/2013 and
// PermenPANRB 62/2018 on public-service complaint handling): a citizen's report of a problem
// with its place and photos, verified, dispositioned to the agency responsible, answered within
// service levels counted in working days, resolved with evidence, confirmed or reopened by the
// reporter, rated, and published (unless confidential) without the reporter's identity.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/time.h"

namespace balai::complaints {

// What the citizen brings: a problem, an idea, or a question.
enum class Kind { complaint, aspiration, information };
std::string_view to_string(Kind k);  // "pengaduan", "aspirasi", "informasi"
std::optional<Kind> parse_kind(std::string_view text);

// The lifecycle. Reopening a resolved report brings it back to in_progress.
enum class Status {
  submitted,      // waits for the verifier (desk or village office)
  rejected,       // refused with a reason; ends here
  dispositioned,  // verified and sent to the agency responsible
  in_progress,    // the agency is working on it (a follow-up was posted)
  resolved,       // the agency says it is done (with evidence); the reporter confirms or reopens
  closed          // confirmed, closed automatically, or merged into another report
};
std::string_view to_string(Status s);
std::optional<Status> parse_status(std::string_view text);
// Open311's two states: closed for rejected and closed, open otherwise.
bool is_open(Status s);

// Why a verifier refuses a report.
enum class RejectionReason { spam, not_city_authority, incomplete };
std::string_view to_string(RejectionReason r);
std::optional<RejectionReason> parse_rejection_reason(std::string_view text);

// How the reporter wants to hear about progress.
enum class Channel { none, email, sms };
std::string_view to_string(Channel c);
std::optional<Channel> parse_channel(std::string_view text);

// One question an Open311 service definition asks (GeoReport v2 "attributes").
enum class AttributeType { string, number, datetime, text, singlevaluelist, multivaluelist };
std::string_view to_string(AttributeType t);
std::optional<AttributeType> parse_attribute_type(std::string_view text);

struct AttributeValue {
  std::string key;   // what is sent
  std::string name;  // what is shown
};

struct Attribute {
  std::string code;
  AttributeType type = AttributeType::string;
  bool required = false;
  std::string description;  // the question, shown to the person reporting
  int order = 0;
  std::vector<AttributeValue> values;  // the lists' choices
};

// A category of problems; each is routed to an agency by default (complaint_routes may send a
// region's reports elsewhere). Categories are the Open311 services.
struct Category {
  std::string code;  // e.g. "jalan-rusak"; the Open311 service_code
  std::string name_id;
  std::string name_en;
  std::string description_id;
  std::string description_en;
  std::string agency_code;  // the default agency it goes to
  bool physical = false;    // a thing in a place: resolving needs an "after" photo
  int nearby_radius_m = 0;  // open reports this close are suggested instead of a duplicate
  std::vector<Attribute> attributes;
  int position = 0;
  core::Timestamp updated_at;  // filled on reads (Open311 discovery's changeset)
  const std::string& name(std::string_view lang) const { return lang == "en" ? name_en : name_id; }
};

// A routing rule: reports of a category in a region (any level: a code prefix such as
// "35.77.01" for a kecamatan) go to an agency. The longest matching prefix wins.
struct Route {
  std::string category_code;
  std::string region_prefix;
  std::string agency_code;
};

// What a citizen (or an integrator) sends.
struct Submission {
  std::string kind = "pengaduan";
  std::string category;
  std::string title;        // optional short title; empty: the start of the description
  std::string description;  // 1..4,000 characters
  std::string lat;          // decimal degrees; with lon, or none of both
  std::string lon;
  std::string address;        // street and landmark; optional with a pin
  std::string village_code;   // optional with a pin, required without one
  bool anonymous = false;     // no identity shown to anyone, the agency included
  bool confidential = false;  // not public
  std::string channel = "email";
  struct Photo {
    std::string bytes;  // as uploaded; checked by content and stripped of metadata
  };
  std::vector<Photo> photos;  // at most 3
  // Open311 only: attribute answers, and the contact of a person without an account.
  std::vector<std::pair<std::string, std::string>> attributes;  // code -> value (repeatable)
  std::string contact_name;
  std::string contact_email;
  std::string contact_phone;
  std::string media_url;
};

// A photo as stored (metadata removed).
struct Photo {
  std::string id;
  std::string media_type;
  bool after = false;  // the evidence of a resolution
  core::Timestamp created_at;
};

// One step on the report's timeline.
enum class EventKind {
  submitted,
  verified,
  rejected,
  dispositioned,
  rerouted,
  assigned,
  follow_up,      // a public answer from the agency
  internal_note,  // staff only
  comment,        // the reporter's reply
  resolved,
  confirmed,
  reopened,
  closed,
  merged,
  escalated,
  rated
};
std::string_view to_string(EventKind k);
std::optional<EventKind> parse_event_kind(std::string_view text);
// Whether the public (and the reporter) see this kind of step.
bool is_public(EventKind k);

struct Event {
  EventKind kind = EventKind::submitted;
  core::Timestamp at;
  std::string actor_role;  // "reporter", "officer", "supervisor", "system", ...
  std::string actor_id;    // staff external id; "" for the reporter (never shown publicly)
  std::string agency_code;
  std::string body;  // the answer, the note, the reason
};

struct Complaint {
  int64_t key = 0;       // internal
  std::string tracking;  // "ADU-2026-000123": the external id
  Kind kind = Kind::complaint;
  std::string category_code;
  std::string title;
  std::string description;
  std::optional<core::GeoPoint> location;
  std::string address;
  std::string village_code;
  bool anonymous = false;
  bool confidential = false;
  Channel channel = Channel::email;
  std::string source;  // "portal", "api", "open311"
  Status status = Status::submitted;
  std::string verifier_agency;  // who verifies first (desk or village office)
  std::string agency_code;      // who handles it after disposition ("" before)
  std::string assignee;         // staff external id
  std::optional<RejectionReason> rejection_reason;
  int64_t supporters = 0;
  int reopened = 0;
  std::optional<int> rating;  // 1..4
  std::string rating_comment;
  std::string merged_into;   // tracking number of the original
  std::string status_note;   // the latest public note (Open311 status_notes)
  int64_t reporter_key = 0;  // internal account key; 0 for Open311 reports without an account
  core::Timestamp created_at;
  core::Timestamp updated_at;
  std::optional<core::Timestamp> verified_at;
  std::optional<core::Timestamp> dispositioned_at;
  std::optional<core::Timestamp> followed_up_at;
  std::optional<core::Timestamp> resolved_at;
  std::optional<core::Timestamp> closed_at;
  std::optional<core::Timestamp> due_at;  // the current step's deadline (verify, follow up, close)
  std::optional<core::Timestamp> escalated_at;
  std::string open311_token;
  std::string media_url;
  std::vector<std::pair<std::string, std::string>> attributes;
};

// A stored answer an agency's officers reuse.
struct Template {
  std::string id;
  std::string agency_code;
  std::string title;
  std::string body;
};

// The public list's filter (and the staff queues', with `agency`).
struct Filter {
  std::string category;
  std::optional<Status> status;
  std::optional<bool> open;  // Open311 "status=open|closed"
  std::string region_prefix;
  std::optional<core::Timestamp> from;  // created at or after
  std::optional<core::Timestamp> to;    // created before
  std::vector<std::string> tracking;    // Open311 service_request_id list
  bool overdue_only = false;
  std::string assignee;
  int page = 1;
  int page_size = 50;
};

}  // namespace balai::complaints
