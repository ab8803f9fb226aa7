#include "modules/complaints/model.h"

#include <array>
#include <utility>

namespace balai::complaints {
namespace {

// One table per enum: the text each value has in storage and APIs.
template <class E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

template <class E, size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

constexpr std::array<std::pair<Kind, std::string_view>, 3> kKinds{
    {{Kind::complaint, "pengaduan"},
     {Kind::aspiration, "aspirasi"},
     {Kind::information, "informasi"}}};

constexpr std::array<std::pair<Status, std::string_view>, 6> kStatuses{
    {{Status::submitted, "submitted"},
     {Status::rejected, "rejected"},
     {Status::dispositioned, "dispositioned"},
     {Status::in_progress, "in_progress"},
     {Status::resolved, "resolved"},
     {Status::closed, "closed"}}};

constexpr std::array<std::pair<RejectionReason, std::string_view>, 3> kReasons{
    {{RejectionReason::spam, "spam"},
     {RejectionReason::not_city_authority, "not_city_authority"},
     {RejectionReason::incomplete, "incomplete"}}};

constexpr std::array<std::pair<Channel, std::string_view>, 3> kChannels{
    {{Channel::none, "none"}, {Channel::email, "email"}, {Channel::sms, "sms"}}};

constexpr std::array<std::pair<AttributeType, std::string_view>, 6> kAttributeTypes{
    {{AttributeType::string, "string"},
     {AttributeType::number, "number"},
     {AttributeType::datetime, "datetime"},
     {AttributeType::text, "text"},
     {AttributeType::singlevaluelist, "singlevaluelist"},
     {AttributeType::multivaluelist, "multivaluelist"}}};

constexpr std::array<std::pair<EventKind, std::string_view>, 16> kEvents{
    {{EventKind::submitted, "submitted"},
     {EventKind::verified, "verified"},
     {EventKind::rejected, "rejected"},
     {EventKind::dispositioned, "dispositioned"},
     {EventKind::rerouted, "rerouted"},
     {EventKind::assigned, "assigned"},
     {EventKind::follow_up, "follow_up"},
     {EventKind::internal_note, "internal_note"},
     {EventKind::comment, "comment"},
     {EventKind::resolved, "resolved"},
     {EventKind::confirmed, "confirmed"},
     {EventKind::reopened, "reopened"},
     {EventKind::closed, "closed"},
     {EventKind::merged, "merged"},
     {EventKind::escalated, "escalated"},
     {EventKind::rated, "rated"}}};

}  // namespace

std::string_view to_string(Kind k) {
  return name_of(kKinds, k);
}
std::optional<Kind> parse_kind(std::string_view t) {
  return parse_of(kKinds, t);
}
std::string_view to_string(Status s) {
  return name_of(kStatuses, s);
}
std::optional<Status> parse_status(std::string_view t) {
  return parse_of(kStatuses, t);
}
bool is_open(Status s) {
  return s != Status::rejected && s != Status::closed;
}
std::string_view to_string(RejectionReason r) {
  return name_of(kReasons, r);
}
std::optional<RejectionReason> parse_rejection_reason(std::string_view t) {
  return parse_of(kReasons, t);
}
std::string_view to_string(Channel c) {
  return name_of(kChannels, c);
}
std::optional<Channel> parse_channel(std::string_view t) {
  return parse_of(kChannels, t);
}
std::string_view to_string(AttributeType t) {
  return name_of(kAttributeTypes, t);
}
std::optional<AttributeType> parse_attribute_type(std::string_view t) {
  return parse_of(kAttributeTypes, t);
}
std::string_view to_string(EventKind k) {
  return name_of(kEvents, k);
}
std::optional<EventKind> parse_event_kind(std::string_view t) {
  return parse_of(kEvents, t);
}

bool is_public(EventKind k) {
  // Internal notes, assignments and escalations are the agency's own business; the reporter and
  // the public see the steps of the report and the answers.
  return k != EventKind::internal_note && k != EventKind::assigned && k != EventKind::escalated;
}

}  // namespace balai::complaints
