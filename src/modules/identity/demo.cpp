// Demo accounts for `make run`: one of each kind a tester needs first. The passwords are
// printed by the Makefile and pass the policy; staff enrol their TOTP at the first sign-in
// (the page shows the QR code). Never run on a real city's data: `demo seed` is for trials.
#include "modules/identity/module.h"
#include "modules/identity/store.h"
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

// The demo citizen's profile: a made-up NIK of Kartoharjo, Kota Madiun (a man born on
// 1 January 1990), contacts confirmed, identity not yet verified. Signs in with the NIK too.
core::Status seed_demo_citizen(app::App& app) {
  auto account = app.security.accounts.find_by_login("warga@demo.balai.id");
  if (!account) return account.take_error();
  if (!*account) return {};
  Store store(app.db, app.security.cipher);
  auto profile = store.find_citizen((*account)->key);
  if (!profile) return profile.take_error();
  if (*profile) return {};
  CheckedRegistration r;
  r.nik = "3577010101900003";
  r.full_name = (*account)->display_name;
  r.birth_date = core::Date{1990, 1, 1};
  r.sex = Sex::male;
  r.street = "Jl. Pahlawan No. 12, RT 01/RW 02";
  r.village_code = "35.77.01.1001";
  r.phone = "+6281200000003";
  r.email = (*account)->email;
  const core::Timestamp now = app.clock.now();
  return app.db.transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(app.security.accounts.add_login(c, (*account)->key, "nik", r.nik));
    BALAI_TRY(store.insert_citizen(c, (*account)->key, (*account)->id, r, now));
    BALAI_TRY(store.mark_confirmed(c, (*account)->key, CodePurpose::confirm_email, now));
    return store.mark_confirmed(c, (*account)->key, CodePurpose::confirm_phone, now);
  });
}

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
  return seed_demo_citizen(app);
}

}  // namespace balai::identity
