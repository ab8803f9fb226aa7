// Demo accounts for `make run`: one of each kind a tester needs first. The passwords are
// printed by the Makefile and pass the policy; staff enrol their TOTP at the first sign-in
// (the page shows the QR code). Never run on a real city's data: `demo seed` is for trials.
#include "modules/identity/module.h"
#include "security/accounts.h"

namespace balai::identity {
namespace {

struct DemoAccount {
  security::Role role;
  const char* agency;
  const char* name;
  const char* email;
  const char* password;
};

constexpr DemoAccount kDemoAccounts[] = {
    {security::Role::admin, "", "Admin Diskominfo", "admin@demo.balai.id",
     "sambel pecel pedas manis"},
    {security::Role::officer, "disdukcapil", "Petugas Dukcapil", "petugas@demo.balai.id",
     "brem caruban manis legit"},
    {security::Role::citizen, "", "Warga Demo", "warga@demo.balai.id",
     "kereta api lewat tengah kota"},
};

}  // namespace

core::Status seed_demo(app::App& app) {
  for (const auto& d : kDemoAccounts) {
    auto existing = app.security.accounts.find_by_login(d.email);
    if (!existing) return existing.take_error();
    if (*existing) continue;
    auto created = app.security.accounts.create(
        security::NewAccount{d.role, d.agency, d.name, d.email, d.password}, app.clock.now());
    if (!created) return created.take_error();
  }
  return {};
}

}  // namespace balai::identity
