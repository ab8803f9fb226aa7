#include "security/actor.h"

#include <array>
#include <memory>
#include <utility>

namespace balai::security {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 7> kRoleNames = {{
    {Role::citizen, "citizen"},
    {Role::officer, "officer"},
    {Role::supervisor, "supervisor"},
    {Role::admin, "admin"},
    {Role::auditor, "auditor"},
    {Role::device, "device"},
    {Role::integrator, "integrator"},
}};

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kRoleNames)
    if (r == role) return name;
  return "citizen";
}

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& [r, name] : kRoleNames)
    if (name == text) return r;
  return std::nullopt;
}

bool is_staff(Role role) {
  return role == Role::officer || role == Role::supervisor || role == Role::admin ||
         role == Role::auditor;
}

const Actor* current_actor(const http::Request& req) {
  return static_cast<const Actor*>(req.context.actor.get());
}

void set_actor(http::Request& req, Actor actor) {
  req.context.actor = std::make_shared<const Actor>(std::move(actor));
}

}  // namespace balai::security
