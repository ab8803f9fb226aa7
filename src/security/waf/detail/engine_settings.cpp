#include "security/waf/detail/engine_settings.h"

namespace balai::security::waf::detail {

namespace {

std::string_view rule_engine(Mode mode) {
  switch (mode) {
    case Mode::off:
      return "Off";
    case Mode::detect:
      return "DetectionOnly";
    case Mode::block:
      return "On";
  }
  return "Off";
}

// Adds a critical anomaly (the score of one SQL injection) instead of denying outright, so a
// body the parsers reject is judged by CRS's own blocking evaluation, the same way in detect and
// block mode. A body the WAF cannot parse is a body it could not inspect: that is how a payload
// gets past it to a more lenient parser in the application. The message never carries
// REQBODY_ERROR_MSG, which quotes the body.
std::string body_check(int id, std::string_view variable, std::string_view message) {
  return "SecRule " + std::string(variable) + " \"!@eq 0\" \"id:" + std::to_string(id) +
         ",phase:2,pass,t:none,log,severity:'CRITICAL',msg:'" + std::string(message) +
         "',setvar:'tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}'\"\n";
}

}  // namespace

std::string engine_settings(const Settings& settings) {
  const std::string paranoia = std::to_string(settings.paranoia);
  std::string text;
  text += "SecRuleEngine " + std::string(rule_engine(settings.mode)) + "\n";

  // Bodies are inspected in memory, up to the limit; the server refuses oversized bodies itself
  // (413) before the WAF runs, so a longer body here is one a route allows (an upload), and
  // rejecting it would break that route.
  text += "SecRequestBodyAccess On\n";
  text += "SecRequestBodyLimit " + std::to_string(settings.body_limit_bytes) + "\n";
  text += "SecRequestBodyLimitAction ProcessPartial\n";
  text += "SecRequestBodyJsonDepthLimit 512\n";
  // Responses are never shown to the WAF, and nothing is written to disk: security events
  // carry rule ids and messages, never a copy of the request.
  text += "SecResponseBodyAccess Off\n";
  text += "SecAuditEngine Off\n";

  // ModSecurity picks the URL-encoded and multipart parsers from Content-Type itself; JSON
  // needs asking, or a JSON body's fields would never become ARGS for the rules to see.
  text += "SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/json\" \"id:" +
          std::to_string(kJsonBodyRule) +
          ",phase:1,pass,nolog,t:none,t:lowercase,ctl:requestBodyProcessor=JSON\"\n";
  text += body_check(kBodyErrorRule, "REQBODY_ERROR", "Request body could not be parsed");
  text += body_check(kMultipartStrictRule, "MULTIPART_STRICT_ERROR",
                     "Multipart request body failed strict validation");

  // CRS reads these once in REQUEST-901 unless already set; crs-setup.conf leaves them to the
  // site. The API uses PUT, PATCH and DELETE (CRS allows only GET HEAD POST OPTIONS by
  // default), and the application accepts exactly these body types (http/form.cpp, json.cpp).
  // CRS 3.3 has one paranoia level for running and blocking (blocking_paranoia_level is 4.x).
  text += "SecAction \"id:" + std::to_string(kCrsSettingsRule) +
          ",phase:1,pass,nolog,t:none"
          ",setvar:'tx.paranoia_level=" +
          paranoia + "',setvar:'tx.executing_paranoia_level=" + paranoia +
          "',setvar:'tx.allowed_methods=GET HEAD POST PUT PATCH DELETE OPTIONS'"
          ",setvar:'tx.allowed_request_content_type=|application/x-www-form-urlencoded| "
          "|multipart/form-data| |application/json|'\"\n";
  return text;
}

}  // namespace balai::security::waf::detail
