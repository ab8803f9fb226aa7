// Demo data for `make run`: the categories a regency's complaint desk starts with (routed to
// the agencies usually responsible), one routing rule, staff to work the queues, and a few
// reports around Kota Madiun in different states so the public list and map are not empty.
#include "modules/catalog/module.h"
#include "modules/catalog/service.h"
#include "modules/complaints/module.h"
#include "modules/complaints/service.h"
#include "security/accounts.h"

namespace balai::complaints {
namespace {

struct DemoStaff {
  security::Role role;
  const char* agency;
  const char* name;
  const char* email;
  const char* password;
};

constexpr DemoStaff kDemoStaff[] = {
    {security::Role::officer, "diskominfo", "Meja Pengaduan", "aduan@demo.balai.id",
     "nasi pecel pincuk daun pisang"},
    {security::Role::officer, "dpupr", "Petugas PUPR", "pupr@demo.balai.id",
     "jalan mulus aspal baru hitam"},
    {security::Role::supervisor, "dpupr", "Kabid Jalan PUPR", "kabid.pupr@demo.balai.id",
     "jembatan batu kali kokoh sekali"},
};

std::vector<Category> demo_categories() {
  Category road{"jalan-rusak",
                "Jalan rusak",
                "Damaged road",
                "Jalan berlubang, retak, atau amblas di jalan kota.",
                "Potholes, cracks or subsidence on city roads.",
                "dpupr",
                true,
                100,
                {},
                1};
  road.attributes = {
      {"kerusakan",
       AttributeType::singlevaluelist,
       true,
       "Jenis kerusakan",
       1,
       {{"lubang", "Berlubang"}, {"retak", "Retak"}, {"amblas", "Amblas"}}},
      {"luas_m2", AttributeType::number, false, "Perkiraan luas kerusakan (m²)", 2, {}},
  };
  Category waste{"sampah",
                 "Sampah menumpuk",
                 "Uncollected rubbish",
                 "Sampah tidak diangkut atau dibuang sembarangan.",
                 "Rubbish not collected or dumped illegally.",
                 "dlh",
                 true,
                 150,
                 {},
                 2};
  Category light{"lampu-jalan",
                 "Lampu jalan mati",
                 "Street light out",
                 "Penerangan jalan umum yang mati atau rusak.",
                 "Public street lights that are out or broken.",
                 "dishub",
                 true,
                 50,
                 {},
                 3};
  light.attributes = {{"jumlah", AttributeType::number, false, "Jumlah lampu yang mati", 1, {}}};
  Category drain{"drainase",
                 "Saluran tersumbat atau genangan",
                 "Blocked drain or flooding",
                 "Selokan tersumbat, genangan, atau banjir setelah hujan.",
                 "Blocked drains, standing water or floods after rain.",
                 "dpupr",
                 true,
                 200,
                 {},
                 4};
  Category tree{"pohon-tumbang",
                "Pohon tumbang",
                "Fallen tree",
                "Pohon tumbang atau dahan rawan patah di ruang publik.",
                "A fallen tree or a dangerous branch in a public place.",
                "dlh",
                true,
                100,
                {},
                5};
  Category service{"pelayanan-publik",
                   "Pelayanan publik",
                   "Public services",
                   "Keluhan tentang pelayanan kantor pemerintah kota.",
                   "Complaints about the service of city offices.",
                   "ortala",
                   false,
                   0,
                   {},
                   6};
  return {road, waste, light, drain, tree, service};
}

struct DemoReport {
  const char* category;
  const char* description;
  const char* lat;
  const char* lon;
  const char* address;
  const char* village;
  int stage;  // 0 submitted, 1 dispositioned, 2 followed up, 3 resolved
};

constexpr DemoReport kDemoReports[] = {
    {"jalan-rusak", "Lubang besar di tengah jalan, berbahaya untuk pengendara motor saat malam.",
     "-7.629100", "111.525300", "Jl. Pahlawan depan Alun-alun", "35.77.01.1001", 2},
    {"sampah", "Sampah di TPS belum diangkut sejak tiga hari, baunya sampai ke rumah warga.",
     "-7.623500", "111.526500", "TPS dekat Pasar Besar", "35.77.01.1002", 1},
    {"lampu-jalan", "Tiga lampu jalan mati berturut-turut, jalan gelap sekali.", "-7.636200",
     "111.514800", "Jl. Salak", "35.77.03.1003", 0},
    {"drainase", "Selokan tersumbat sehingga air menggenang setiap hujan.", "-7.617800",
     "111.518900", "Jl. Thamrin", "35.77.02.1006", 3},
};

// A 48x32 PNG drawn for the demo: sky, a cleaned drain, grass.
constexpr std::string_view kDemoAfterPhoto{
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
    "\x00\x30\x00\x00\x00\x20\x08\x02\x00\x00\x00\xdb\xb6\x6c\x4b\x00\x00\x00"
    "\x46\x49\x44\x41\x54\x78\xda\xed\xd3\x31\x09\x00\x20\x14\x40\x41\x23\x3a"
    "\x1b\xc2\xc5\x2e\xce\xc6\xb1\x8b\x25\x8c\x20\x82\xc3\x17\x0e\x5e\x80\x5b"
    "\x5e\xea\x73\x85\x2a\x01\x01\x01\x01\x01\x01\x5d\x82\xca\xc8\xa1\x02\x3a"
    "\x82\x6a\x6d\xa1\x02\xfa\x0f\xe4\x32\x20\x20\x20\x20\x20\xa0\xb7\x6d\x73"
    "\x82\xfe\x08\x27\x95\xfc\xbb\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82",
    127};

core::Status seed_staff(app::App& app) {
  for (const auto& d : kDemoStaff) {
    auto existing = app.security.accounts.find_by_login(d.email);
    if (!existing) return existing.take_error();
    if (*existing) continue;
    auto created = app.security.accounts.create(
        security::NewAccount{d.role, d.agency, d.name, d.email, d.password}, app.clock.now());
    if (!created) return created.take_error();
  }
  return {};
}

security::Actor actor_of(const security::Account& a) {
  return security::Actor{a.id, a.role, a.agency, security::AuthMethod::session, "", {}};
}

core::Status seed_reports(app::App& app, ComplaintService& service) {
  auto existing = app.db.query("SELECT COUNT(*) FROM complaints");
  if (!existing) return existing.take_error();
  if ((*existing)[0].int64(0) > 0) return {};
  auto citizen = app.security.accounts.find_by_login("warga@demo.balai.id");
  auto desk = app.security.accounts.find_by_login("aduan@demo.balai.id");
  auto works = app.security.accounts.find_by_login("pupr@demo.balai.id");
  if (!citizen || !desk || !works)
    return core::make_error(core::ErrorCode::internal, "demo accounts");
  if (!*citizen || !*desk || !*works) return {};
  const RequestFacts facts{"127.0.0.1", "demo", "portal"};
  for (const auto& d : kDemoReports) {
    Submission s;
    s.category = d.category;
    s.description = d.description;
    s.lat = d.lat;
    s.lon = d.lon;
    s.address = d.address;
    s.village_code = d.village;
    s.channel = "none";
    auto c = service.submit(actor_of(**citizen), s, facts);
    if (!c) return c.take_error();
    if (d.stage >= 1) BALAI_TRY(service.verify(actor_of(**desk), c->tracking, "", facts));
    if (d.stage < 2) continue;
    // Reports past disposition in the demo are all public works' (its demo officer).
    security::Actor handler = actor_of(**works);
    BALAI_TRY(service.follow_up(handler, c->tracking,
                                "Terima kasih, laporan sudah kami terima dan akan ditinjau "
                                "petugas lapangan minggu ini.",
                                facts));
    if (d.stage >= 3)
      BALAI_TRY(service.resolve(handler, c->tracking,
                                "Selokan sudah dibersihkan dan air mengalir lancar.",
                                {std::string(kDemoAfterPhoto)}, facts));
  }
  return {};
}

}  // namespace

core::Status seed_demo(app::App& app) {
  auto* catalog = catalog::service_of(app);
  if (catalog) {
    BALAI_TRY(catalog->save_agency(
        {"dpupr",
         {"Dinas Pekerjaan Umum dan Penataan Ruang", "Public Works and Spatial Planning Office"}}));
    BALAI_TRY(catalog->save_agency({"dlh", {"Dinas Lingkungan Hidup", "Environment Office"}}));
  }
  BALAI_TRY(seed_staff(app));
  ComplaintService& service = service_of(app);
  security::Actor system{"system", security::Role::admin, "", security::AuthMethod::session, "",
                         {}};
  const RequestFacts facts{"127.0.0.1", "demo", "portal"};
  auto existing = service.categories();
  if (!existing) return existing.take_error();
  if ((*existing)->empty()) {
    for (const auto& c : demo_categories()) BALAI_TRY(service.save_category(system, c, facts));
    // Fallen trees in Taman go to the public works office, which has the cranes there.
    BALAI_TRY(service.save_route(system, {"pohon-tumbang", "35.77.03", "dpupr"}, facts));
  }
  return seed_reports(app, service);
}

}  // namespace balai::complaints
