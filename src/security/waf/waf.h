#pragma once
// The web application firewall (DESIGN.md, security model): libmodsecurity 3 running the OWASP
// Core Rule Set 3.3 in anomaly-scoring mode over one request at a time. It is expensive (about
// half a millisecond for a simple GET, more for a body), so the server applies it only where
// attacker-controlled input is processed, on the worker pool, never on an I/O thread.
//
// No libmodsecurity type appears here: the engine lives behind a pointer in waf.cpp, so only
// balai_security links against it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace balai::http {
struct Request;
}

namespace balai::security::waf {

// off: nothing is inspected. detect: attacks are reported, never blocked (the way to roll the
// WAF out and find false positives first). block: attacks are reported and refused.
enum class Mode { off, detect, block };

// "off", "detect" or "block" (the values of security.waf); nullopt for anything else.
std::optional<Mode> parse_mode(std::string_view text);
std::string_view to_string(Mode mode);

struct Settings {
  Mode mode = Mode::off;
  // CRS paranoia level, 1 to 4: higher levels add stricter rules and more false positives.
  int paranoia = 1;
  // The site's CRS setup file. The exclusion files Debian keeps beside it
  // (REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf, RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf)
  // are loaded around the rules when present: that is where false positives get tuned away.
  std::string crs_setup = "/etc/modsecurity/crs/crs-setup.conf";
  // Folder of the CRS rule files (*.conf, with the .data files they read).
  std::string crs_rules = "/usr/share/modsecurity-crs/rules";
  // How much of a body the rules see. The server enforces the real body limits (per route, 413)
  // before the WAF runs; a longer body is inspected up to this length, not refused.
  uint64_t body_limit_bytes = 1024 * 1024;
};

// What the WAF concluded about one request. Safe to put in a security event: it holds rule ids
// and rule messages, never the matched data (a form field may be a citizen's personal data).
// CRS 3.3 messages expand only anomaly scores, argument or header names and the client
// address; a site rule whose msg quotes %{MATCHED_VAR} would break this, so exclusion files
// must not.
struct Verdict {
  // The request reached the CRS anomaly threshold (rule 949110), or a rule intervened.
  bool attack = false;
  // attack in block mode: the caller refuses the request with `status`.
  bool blocked = false;
  // The HTTP status the intervening rule asks for (403 from CRS) when blocked, else 0.
  int status = 0;
  // Every rule that matched, each once, in the order they matched (942100, 949110, ...).
  std::vector<int> rule_ids;
  // The matched rules' messages, joined with "; "
  // ("SQL Injection Attack Detected via libinjection; Inbound Anomaly Score Exceeded ...").
  std::string summary;
};

class Waf {
 public:
  // Parses the engine settings and every rule file once. Fails with ErrorCode::validation_failed
  // when a setting is out of range, and with ErrorCode::internal and a message for the operator
  // naming the file (and the line, for a rule that does not parse) when the setup file or the
  // rules folder is missing or a rule file is broken. In off mode reads no file at all.
  // Blocks (reads files, compiles a few hundred regular expressions: a fraction of a second):
  // call at start-up. Thread-safe; loads run one at a time (libmodsecurity's parser has
  // global state).
  [[nodiscard]] static core::Result<std::unique_ptr<Waf>> load(const Settings& settings);

  ~Waf();
  Waf(const Waf&) = delete;
  Waf& operator=(const Waf&) = delete;

  // Runs the request line, headers and body of `req` (as received: req.target, req.headers,
  // req.body, req.remote_address) through the rules. In off mode returns an empty verdict at
  // once. CPU-bound, about a millisecond: call on the worker pool. Thread-safe: the rules are
  // shared read-only and each call has its own libmodsecurity transaction.
  Verdict inspect(const http::Request& req) const;

  Mode mode() const;
  // Rules loaded (SecRule and SecAction, not markers): a CRS install has several hundred; 0 in
  // off mode.
  size_t rule_count() const;

 private:
  struct Engine;
  explicit Waf(std::unique_ptr<Engine> engine);

  std::unique_ptr<Engine> engine_;
};

}  // namespace balai::security::waf
