// The identity journey over real HTTP on each backend: register -> confirm both contacts ->
// sign in -> upload a KTP photo -> an officer of the population agency verifies -> the citizen's
// access log shows the officer's read with its purpose -> the export holds the data -> a
// correction request is handled within its deadline. And the refusals: another citizen, an
// officer of another agency, bad input.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "modules/identity/service.h"
#include "modules/notify/outbox.h"
#include "security/accounts.h"
#include "support/auth_helpers.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kNik = "3577014107900001";  // Kartoharjo, woman born 1 July 1990
constexpr const char* kVillage = "35.77.01.1002";
constexpr const char* kPassword = "sepeda onthel di alun-alun";

std::string registration_body(const std::string& nik = kNik,
                              const std::string& email = "sri.rahayu@example.id",
                              const std::string& birth = "1990-07-01") {
  boost::json::object o{{"nik", nik},
                        {"full_name", "Sri Rahayu"},
                        {"birth_date", birth},
                        {"sex", "female"},
                        {"street", "Jl. Salak No. 7, RT 02/RW 05"},
                        {"village_code", kVillage},
                        {"phone", "0812-3456-7890"},
                        {"email", email},
                        {"password", kPassword}};
  return boost::json::serialize(o);
}

const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

boost::json::object parse(const HttpReply& r) {
  auto v = boost::json::parse(r.body);
  return v.is_object() ? v.as_object() : boost::json::object{};
}

class IdentityJourney : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ =
        std::make_unique<ServerHarness>([](core::Config& c) { c.notify.dev_outbox = true; }, url);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  // The latest code sent for `kind` ("identity.confirm_email", ...), via the dev outbox. The
  // server's own delivery thread may hold the message for a moment: wait for it, with a deadline.
  std::string latest_code(const std::string& kind) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      auto delivered = server_->runtime().app().outbox.deliver_due();
      EXPECT_TRUE(delivered.ok());
      auto r = server_->get("/api/v1/dev/outbox");
      EXPECT_EQ(r.status, 200) << r.body;
      const auto outbox = parse(r);
      for (const auto& m : outbox.at("messages").as_array()) {
        const auto& o = m.as_object();
        if (o.at("kind").as_string() != kind) continue;
        std::smatch match;
        const std::string body(o.at("body").as_string());
        if (std::regex_search(body, match, std::regex("([0-9]{6})"))) return match[1];
      }
      std::this_thread::yield();
    } while (std::chrono::steady_clock::now() < deadline);
    ADD_FAILURE() << "no message of kind " << kind;
    return "";
  }

  std::string register_and_confirm() {
    auto r = server_->send("POST", "/api/v1/auth/register", registration_body(), kJson);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id(parse(r)["id"].as_string());
    for (const char* channel : {"email", "phone"}) {
      const std::string code = latest_code(std::string("identity.confirm_") + channel);
      auto c = server_->send("POST", "/api/v1/auth/register/confirm",
                             boost::json::serialize(boost::json::object{
                                 {"id", id}, {"channel", channel}, {"code", code}}),
                             kJson);
      EXPECT_EQ(c.status, 200) << c.body;
    }
    return id;
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(IdentityJourney, FromRegistrationToVerificationAccessLogExportAndARequest) {
  auto& srv = *server_;
  auto r = srv.send("POST", "/api/v1/auth/register", registration_body(), kJson);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id(parse(r)["id"].as_string());

  // Before the codes are confirmed the right password only says "confirm first".
  auto early = srv.send("POST", "/api/v1/auth/login",
                        R"({"login":")" + std::string(kNik) + R"(","password":")" + kPassword +
                            R"(","client":"app"})",
                        kJson);
  EXPECT_EQ(early.status, 403) << early.body;

  // A wrong code is refused without saying more.
  auto wrong = srv.send("POST", "/api/v1/auth/register/confirm",
                        R"({"id":")" + id + R"(","channel":"email","code":"000000"})", kJson);
  EXPECT_EQ(wrong.status, 401);
  for (const char* channel : {"email", "phone"}) {
    const std::string code = latest_code(std::string("identity.confirm_") + channel);
    auto c = srv.send(
        "POST", "/api/v1/auth/register/confirm",
        R"({"id":")" + id + R"(","channel":")" + channel + R"(","code":")" + code + R"("})", kJson);
    ASSERT_EQ(c.status, 200) << c.body;
  }

  // Sign in with the NIK.
  const std::string citizen = sign_in_bearer(srv, kNik, kPassword);
  auto me = srv.get("/api/v1/me", bearer_headers(citizen));
  ASSERT_EQ(me.status, 200) << me.body;
  auto profile = parse(me);
  EXPECT_EQ(profile["nik"].as_string(), kNik);
  EXPECT_EQ(profile["full_name"].as_string(), "Sri Rahayu");
  EXPECT_EQ(profile["phone"].as_string(), "+6281234567890");
  EXPECT_EQ(profile["identity"].as_object().at("status").as_string(), "unverified");
  EXPECT_NE(std::string(profile["address"].as_object().at("region").as_string()).find("Sukosari"),
            std::string::npos);

  // Upload a KTP photo (a PNG by its bytes).
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(64, 'x');
  auto up = srv.send("PUT", "/api/v1/me/ktp", png,
                     bearer_headers(citizen, {{"Content-Type", "image/png"}}));
  ASSERT_EQ(up.status, 204) << up.body;

  // The officer of the population agency sees the case, reads with a purpose and verifies.
  const std::string officer = sign_in_bearer(srv, kDemoOfficerLogin, kDemoOfficerPassword);
  auto queue = srv.get("/api/v1/identity/verifications", bearer_headers(officer));
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_NE(queue.body.find(id), std::string::npos);
  auto no_purpose = srv.get("/api/v1/citizens/" + id, bearer_headers(officer));
  EXPECT_EQ(no_purpose.status, 422);
  auto read = srv.get("/api/v1/citizens/" + id + "?purpose=verifikasi%20identitas",
                      bearer_headers(officer));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(parse(read)["nik"].as_string(), kNik);
  auto decided = srv.send("POST", "/api/v1/identity/verifications/" + id + "/decision",
                          R"({"verified":true})", bearer_headers(officer, kJson));
  ASSERT_EQ(decided.status, 200) << decided.body;
  auto again = srv.send("POST", "/api/v1/identity/verifications/" + id + "/decision",
                        R"({"verified":true})", bearer_headers(officer, kJson));
  EXPECT_EQ(again.status, 409);

  // The photo is gone after the decision (retention 0 days).
  auto photos = srv.runtime().database().query("SELECT COUNT(*) FROM ktp_photos");
  ASSERT_TRUE(photos.ok());
  EXPECT_EQ((*photos)[0].int64(0), 0);

  // The citizen sees who read their data, and why.
  auto log = srv.get("/api/v1/me/access-log", bearer_headers(citizen));
  ASSERT_EQ(log.status, 200) << log.body;
  bool seen = false;
  const auto entries = parse(log);
  for (const auto& e : entries.at("entries").as_array()) {
    const auto& o = e.as_object();
    seen |= o.at("purpose").as_string() == "verifikasi identitas" &&
            o.at("role").as_string() == "officer" && o.at("agency").as_string() == "disdukcapil" &&
            !o.at("who").as_string().empty();
  }
  EXPECT_TRUE(seen) << log.body;
  EXPECT_EQ(parse(srv.get("/api/v1/me", bearer_headers(citizen)))["identity"]
                .as_object()
                .at("status")
                .as_string(),
            "verified");

  // The export holds the data and the log.
  auto exported = srv.get("/api/v1/me/export", bearer_headers(citizen));
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.header("content-disposition").find("attachment"), std::string::npos);
  auto e = parse(exported);
  EXPECT_EQ(e["profile"].as_object().at("nik").as_string(), kNik);
  EXPECT_FALSE(e["access_log"].as_array().empty());

  // A correction request, handled within its 3x24-hour deadline.
  auto made = srv.send("POST", "/api/v1/me/data-requests",
                       R"({"kind":"correction","details":"Nama saya tertulis tanpa gelar."})",
                       bearer_headers(citizen, kJson));
  ASSERT_EQ(made.status, 201) << made.body;
  auto request = parse(made);
  const std::string request_id(request["id"].as_string());
  EXPECT_EQ(request["status"].as_string(), "open");
  auto handled = srv.send("POST", "/api/v1/identity/data-requests/" + request_id + "/outcome",
                          R"({"done":true,"outcome":"Data diperbaiki sesuai KTP."})",
                          bearer_headers(officer, kJson));
  ASSERT_EQ(handled.status, 200) << handled.body;
  EXPECT_EQ(parse(handled)["status"].as_string(), "done");
  EXPECT_TRUE(parse(handled)["within_deadline"].as_bool());
  auto mine = parse(srv.get("/api/v1/me/data-requests", bearer_headers(citizen)));
  EXPECT_EQ(mine["requests"].as_array()[0].as_object().at("outcome").as_string(),
            "Data diperbaiki sesuai KTP.");

  // The public transparency page counts it (and nothing personal).
  auto open = srv.get("/api/v1/transparency");
  ASSERT_EQ(open.status, 200);
  EXPECT_EQ(open.body.find(kNik), std::string::npos);
  EXPECT_NE(open.body.find("disdukcapil"), std::string::npos);

  auto verified = srv.runtime().audit().verify(srv.runtime().database());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
}

TEST_P(IdentityJourney, KeepsPersonalDataEncryptedAtRest) {
  register_and_confirm();
  auto rows = server_->runtime().database().query("SELECT nik, phone, address FROM citizens");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);  // the demo citizen's and this one
  for (const auto& row : *rows) {
    for (size_t i = 0; i < 3; ++i) {
      const auto& bytes = row.blob(i).bytes;
      const std::string raw(bytes.begin(), bytes.end());
      EXPECT_EQ(raw.find(kNik), std::string::npos);
      EXPECT_EQ(raw.find("6281234567890"), std::string::npos);
      EXPECT_EQ(raw.find("Salak"), std::string::npos);
    }
  }
}

TEST_P(IdentityJourney, RefusesOthersRecordsAndOtherAgencies) {
  const std::string id = register_and_confirm();
  // Another citizen cannot read this one.
  const std::string other = sign_in_bearer(*server_, kDemoCitizenLogin, kDemoCitizenPassword);
  auto r = server_->get("/api/v1/citizens/" + id + "?purpose=ingin%20tahu", bearer_headers(other));
  EXPECT_EQ(r.status, 403);
  // An officer of another agency can neither read nor verify.
  auto& accounts = server_->runtime().security().accounts;
  auto created =
      accounts.create(security::NewAccount{security::Role::officer, "dishub", "Bagus Prakoso",
                                           "bagus@dishub.example.id", "lampu merah di perempatan"},
                      core::SystemClock{}.now());
  ASSERT_TRUE(created.ok()) << created.error().message;
  const std::string dishub =
      sign_in_bearer(*server_, "bagus@dishub.example.id", "lampu merah di perempatan");
  auto read = server_->get("/api/v1/citizens/" + id + "?purpose=cek", bearer_headers(dishub));
  EXPECT_EQ(read.status, 403);
  auto decide = server_->send("POST", "/api/v1/identity/verifications/" + id + "/decision",
                              R"({"verified":true})", bearer_headers(dishub, kJson));
  EXPECT_EQ(decide.status, 403);
  auto queue = server_->get("/api/v1/identity/verifications", bearer_headers(dishub));
  EXPECT_EQ(queue.status, 403);
  // Anonymous: 401.
  EXPECT_EQ(server_->get("/api/v1/me").status, 401);
  EXPECT_EQ(server_->get("/api/v1/citizens/" + id + "?purpose=x").status, 401);
}

TEST_P(IdentityJourney, OneAccountPerNikAndEmail) {
  register_and_confirm();
  auto same_nik = server_->send("POST", "/api/v1/auth/register",
                                registration_body(kNik, "lain@example.id"), kJson);
  EXPECT_EQ(same_nik.status, 409) << same_nik.body;
  auto same_email = server_->send(
      "POST", "/api/v1/auth/register",
      registration_body("3577015208850002", "sri.rahayu@example.id", "1985-08-12"), kJson);
  EXPECT_EQ(same_email.status, 409) << same_email.body;
}

TEST_P(IdentityJourney, RejectsBadRegistrationsWithTheFieldNamed) {
  auto& srv = *server_;
  auto malformed = srv.send("POST", "/api/v1/auth/register", "{\"nik\":", kJson);
  EXPECT_EQ(malformed.status, 400);
  auto not_json = srv.send("POST", "/api/v1/auth/register", "nik=1",
                           {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(not_json.status, 415);
  auto empty = srv.send("POST", "/api/v1/auth/register", "{}", kJson);
  ASSERT_EQ(empty.status, 422);
  auto fields = parse(empty)["error"].as_object().at("fields").as_object();
  for (const char* f : {"nik", "full_name", "birth_date", "sex", "street", "village_code", "phone",
                        "email", "password"})
    EXPECT_TRUE(fields.contains(f)) << f;
  auto wrong_type = srv.send("POST", "/api/v1/auth/register", R"({"nik":3577014107900001})", kJson);
  EXPECT_EQ(wrong_type.status, 422);
  auto mismatch = srv.send("POST", "/api/v1/auth/register",
                           registration_body(kNik, "x@example.id", "1990-07-02"), kJson);
  ASSERT_EQ(mismatch.status, 422);
  EXPECT_EQ(parse(mismatch)["error"].as_object().at("fields").as_object().at("birth_date"),
            "does_not_match_nik");
  EXPECT_EQ(mismatch.body.find(kNik), std::string::npos);  // never echoed
  auto huge = srv.send("POST", "/api/v1/auth/register",
                       R"({"nik":")" + std::string(20000, '1') + R"("})", kJson);
  EXPECT_EQ(huge.status, 413);
  auto weak = srv.send(
      "POST", "/api/v1/auth/register",
      [] {
        auto o = boost::json::parse(registration_body()).as_object();
        o["password"] = "password1234";
        return boost::json::serialize(o);
      }(),
      kJson);
  EXPECT_EQ(weak.status, 422) << weak.body;
}

TEST_P(IdentityJourney, RejectsAFileThatIsNotAPhoto) {
  register_and_confirm();
  const std::string citizen = sign_in_bearer(*server_, kNik, kPassword);
  auto script = server_->send("PUT", "/api/v1/me/ktp", "<script>alert(1)</script>",
                              bearer_headers(citizen, {{"Content-Type", "image/jpeg"}}));
  EXPECT_EQ(script.status, 422) << script.body;
  auto text = server_->send("PUT", "/api/v1/me/ktp", "hello",
                            bearer_headers(citizen, {{"Content-Type", "text/plain"}}));
  EXPECT_EQ(text.status, 415);
}

TEST_P(IdentityJourney, ResetsAPasswordThroughTheConfirmedEmail) {
  register_and_confirm();
  auto asked = server_->send("POST", "/api/v1/auth/password/forgot",
                             R"({"login":"sri.rahayu@example.id"})", kJson);
  EXPECT_EQ(asked.status, 202);
  auto unknown = server_->send("POST", "/api/v1/auth/password/forgot",
                               R"({"login":"tidak.ada@example.id"})", kJson);
  EXPECT_EQ(unknown.status, 202);  // the same answer: nobody learns who has an account
  const std::string code = latest_code("identity.reset_password");
  auto reset = server_->send("POST", "/api/v1/auth/password/reset",
                             R"({"login":"sri.rahayu@example.id","code":")" + code +
                                 R"(","password":"gerimis turun di pagi hari"})",
                             kJson);
  EXPECT_EQ(reset.status, 204) << reset.body;
  EXPECT_NO_THROW(sign_in_bearer(*server_, kNik, "gerimis turun di pagi hari"));
  auto reused = server_->send("POST", "/api/v1/auth/password/reset",
                              R"({"login":"sri.rahayu@example.id","code":")" + code +
                                  R"(","password":"angin sepoi di sawah hijau"})",
                              kJson);
  EXPECT_EQ(reused.status, 401);
}

TEST_P(IdentityJourney, RecordsConsentsWithTheirHistory) {
  register_and_confirm();
  const std::string citizen = sign_in_bearer(*server_, kNik, kPassword);
  auto give = server_->send("PUT", "/api/v1/me/consents/notifications_sms", R"({"granted":true})",
                            bearer_headers(citizen, kJson));
  EXPECT_EQ(give.status, 200) << give.body;
  auto take = server_->send("PUT", "/api/v1/me/consents/notifications_sms", R"({"granted":false})",
                            bearer_headers(citizen, kJson));
  EXPECT_EQ(take.status, 200);
  auto unknown = server_->send("PUT", "/api/v1/me/consents/jualan", R"({"granted":true})",
                               bearer_headers(citizen, kJson));
  EXPECT_EQ(unknown.status, 422);
  auto bad = server_->send("PUT", "/api/v1/me/consents/notifications_sms", R"({"granted":"ya"})",
                           bearer_headers(citizen, kJson));
  EXPECT_EQ(bad.status, 422);
  auto list = parse(server_->get("/api/v1/me/consents", bearer_headers(citizen)));
  EXPECT_FALSE(list["current"].as_object().at("notifications_sms").as_bool());
  EXPECT_EQ(list["history"].as_array().size(), 2u);
}

TEST_P(IdentityJourney, ErasesAPersonWhenTheirDeletionRequestIsDone) {
  const std::string id = register_and_confirm();
  const std::string citizen = sign_in_bearer(*server_, kNik, kPassword);
  auto made = server_->send("POST", "/api/v1/me/data-requests",
                            R"({"kind":"deletion","details":"Hapus akun saya."})",
                            bearer_headers(citizen, kJson));
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string request_id(parse(made)["id"].as_string());
  // Another citizen cannot handle it; nor can they see it.
  const std::string other = sign_in_bearer(*server_, kDemoCitizenLogin, kDemoCitizenPassword);
  auto refused = server_->send("POST", "/api/v1/identity/data-requests/" + request_id + "/outcome",
                               R"({"done":true,"outcome":"x"})", bearer_headers(other, kJson));
  EXPECT_EQ(refused.status, 403);
  const std::string officer = sign_in_bearer(*server_, kDemoOfficerLogin, kDemoOfficerPassword);
  auto no_outcome =
      server_->send("POST", "/api/v1/identity/data-requests/" + request_id + "/outcome",
                    R"({"done":true})", bearer_headers(officer, kJson));
  EXPECT_EQ(no_outcome.status, 422);
  auto done =
      server_->send("POST", "/api/v1/identity/data-requests/" + request_id + "/outcome",
                    R"({"done":true,"outcome":"Data dihapus."})", bearer_headers(officer, kJson));
  ASSERT_EQ(done.status, 200) << done.body;
  auto twice =
      server_->send("POST", "/api/v1/identity/data-requests/" + request_id + "/outcome",
                    R"({"done":true,"outcome":"Data dihapus."})", bearer_headers(officer, kJson));
  EXPECT_EQ(twice.status, 409);
  // The profile and sign-in names are gone, the session ended; the audit chain still holds.
  EXPECT_EQ(server_->get("/api/v1/me", bearer_headers(citizen)).status, 401);
  auto profiles = server_->runtime().database().query(
      "SELECT COUNT(*) FROM citizens WHERE external_id = ?", {id});
  ASSERT_TRUE(profiles.ok());
  EXPECT_EQ((*profiles)[0].int64(0), 0);
  EXPECT_THROW(sign_in_bearer(*server_, kNik, kPassword), std::runtime_error);
  auto verified = server_->runtime().audit().verify(server_->runtime().database());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok);
  // The NIK is free again: the person may register anew.
  auto again = server_->send("POST", "/api/v1/auth/register", registration_body(), kJson);
  EXPECT_EQ(again.status, 201) << again.body;
}

TEST_P(IdentityJourney, ChangesAPasswordOnlyWithTheCurrentOne) {
  register_and_confirm();
  const std::string citizen = sign_in_bearer(*server_, kNik, kPassword);
  auto wrong =
      server_->send("POST", "/api/v1/me/password",
                    R"({"current_password":"bukan ini","password":"hujan deras sore ini"})",
                    bearer_headers(citizen, kJson));
  EXPECT_EQ(wrong.status, 422);
  auto weak = server_->send(
      "POST", "/api/v1/me/password",
      R"({"current_password":")" + std::string(kPassword) + R"(","password":"3577014107900001"})",
      bearer_headers(citizen, kJson));
  EXPECT_EQ(weak.status, 422);  // the person's own NIK is not a password
  auto changed = server_->send("POST", "/api/v1/me/password",
                               R"({"current_password":")" + std::string(kPassword) +
                                   R"(","password":"hujan deras sore ini"})",
                               bearer_headers(citizen, kJson));
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(server_->get("/api/v1/me", bearer_headers(citizen)).status, 401);
  EXPECT_NO_THROW(sign_in_bearer(*server_, kNik, "hujan deras sore ini"));
}

TEST_P(IdentityJourney, ExpiresRegistrationsNeverConfirmed) {
  auto r = server_->send("POST", "/api/v1/auth/register", registration_body(), kJson);
  ASSERT_EQ(r.status, 201);
  auto* service = identity::service_of(server_->runtime().app());
  ASSERT_NE(service, nullptr);
  service->expire_registrations(core::Timestamp{core::SystemClock{}.now().ms + 25 * 3'600'000});
  auto again = server_->send("POST", "/api/v1/auth/register", registration_body(), kJson);
  EXPECT_EQ(again.status, 201) << again.body;  // the NIK was released
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityJourney, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
