#include "support/auth_helpers.h"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "security/totp.h"

namespace balai::testing {
namespace {

security::Attempt test_attempt() {
  return security::Attempt{"127.0.0.1", "balai-tests", ""};
}

std::string enrol(app::SecurityServices& s, const std::string& token, core::Timestamp now) {
  auto session = s.sessions.resolve(token, now);
  if (!session || !*session) throw std::runtime_error("enrolment: the session is not live");
  auto enrolment = s.sign_in.begin_enrolment(**session);
  if (!enrolment) throw std::runtime_error("enrolment: " + enrolment.error().message);
  auto secret = security::base32_decode(enrolment->secret_base32);
  if (!secret) throw std::runtime_error("enrolment: the secret is not base32");
  const std::string code = security::totp_code(*secret, security::totp_step(now));
  auto confirmed = s.sign_in.confirm_enrolment(token, code, test_attempt());
  if (!confirmed) throw std::runtime_error("enrolment: " + confirmed.error().message);
  return confirmed->started.token;
}

std::string second_factor(app::SecurityServices& s, const std::string& token, core::Timestamp now) {
  auto session = s.sessions.resolve(token, now);
  if (!session || !*session) throw std::runtime_error("second factor: the session is not live");
  auto account = s.accounts.find((*session)->account_id);
  if (!account || !*account) throw std::runtime_error("second factor: no account");
  // A code is accepted once: after an earlier sign-in in the same 30 seconds, take the next
  // step's code (the server accepts one step of drift).
  const int64_t step = std::max(security::totp_step(now), (*account)->totp_last_step + 1);
  if (step > security::totp_step(now) + 1)
    throw std::runtime_error("second factor: more than two sign-ins within one TOTP step");
  const std::string code = security::totp_code((*account)->totp_secret, step);
  auto done = s.sign_in.with_second_factor(token, code, test_attempt());
  if (!done) throw std::runtime_error("second factor: " + done.error().message);
  return done->token;
}

}  // namespace

std::string sign_in_bearer(ServerHarness& server, const std::string& login,
                           const std::string& password) {
  const boost::json::object body{{"login", login}, {"password", password}, {"client", "app"}};
  const HttpReply r = server.send("POST", "/api/v1/auth/login", boost::json::serialize(body),
                                  {{"Content-Type", "application/json"}});
  if (r.status != 200)
    throw std::runtime_error("sign-in of " + login + ": " + std::to_string(r.status) + " " +
                             r.body);
  const auto reply = boost::json::parse(r.body).as_object();
  const std::string stage(reply.at("stage").as_string());
  const std::string token(reply.at("token").as_string());
  auto& s = server.runtime().security();
  const core::Timestamp now = server.runtime().app().clock.now();
  if (stage == "full") return token;
  if (stage == "enrol") return enrol(s, token, now);
  if (stage == "second_factor") return second_factor(s, token, now);
  throw std::runtime_error("sign-in of " + login + ": unexpected stage " + stage);
}

std::map<std::string, std::string> bearer_headers(const std::string& token,
                                                  std::map<std::string, std::string> more) {
  more["Authorization"] = "Bearer " + token;
  return more;
}

}  // namespace balai::testing
