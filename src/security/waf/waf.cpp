#include "security/waf/waf.h"

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rule.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "http/request.h"
#include "security/waf/detail/engine_settings.h"

namespace balai::security::waf {

namespace {

namespace fs = std::filesystem;

// CRS's inbound blocking evaluation: the rule that fires once the anomaly score reaches the
// threshold. In detect mode nothing intervenes, so its match is what says "attack".
constexpr int kInboundAnomalyRule = 949110;

// libmodsecurity wants the server side of the connection; CRS never judges it, and the
// listener's real address is not this layer's business.
constexpr const char* kServerAddress = "127.0.0.1";
constexpr int kServerPort = 443;

// Beside crs-setup.conf, Debian keeps the site's exclusions: before the rules (runtime
// exclusions, ctl:...) and after them (SecRuleRemoveById and friends, which need the rules).
constexpr const char* kExclusionsBefore = "REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf";
constexpr const char* kExclusionsAfter = "RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf";

// What the rules said about one transaction; the log callback fills it.
struct Matches {
  std::vector<int> rule_ids;
  std::vector<std::string> messages;

  void add(int rule_id, std::string_view message) {
    if (std::find(rule_ids.begin(), rule_ids.end(), rule_id) == rule_ids.end())
      rule_ids.push_back(rule_id);
    if (!message.empty() && std::find(messages.begin(), messages.end(), message) == messages.end())
      messages.emplace_back(message);
  }
};

// Called by libmodsecurity for every matched rule that logs (not for the one that intervenes:
// that one travels in the intervention). `data` is the transaction's own Matches, so concurrent
// transactions never share state here. Only the id and the message are kept: m_data and
// m_match hold the request's own bytes.
void collect_match(void* data, const void* message) {
  if (data == nullptr || message == nullptr) return;
  const auto* rule_message = static_cast<const modsecurity::RuleMessage*>(message);
  static_cast<Matches*>(data)->add(static_cast<int>(rule_message->m_ruleId),
                                   rule_message->m_message);
}

// One ModSecurity object for the process, never destroyed. Its destructor calls
// xmlCleanupParser(), which tears down libxml2 for everyone, and it only carries the log
// callback, which is the same for every rule set.
modsecurity::ModSecurity& shared_modsecurity() {
  static modsecurity::ModSecurity* const instance = [] {
    auto* modsec = new modsecurity::ModSecurity();
    modsec->setConnectorInformation("balai");
    modsec->setServerLogCb(collect_match, modsecurity::RuleMessageLogProperty);
    return modsec;
  }();
  return *instance;
}

// Owns an intervention's malloc'ed strings.
class Intervention {
 public:
  Intervention() { modsecurity::intervention::clean(&it_); }
  ~Intervention() { modsecurity::intervention::free(&it_); }
  Intervention(const Intervention&) = delete;
  Intervention& operator=(const Intervention&) = delete;

  // True when the rules asked to interrupt the request (deny, drop, redirect).
  bool check(modsecurity::Transaction& transaction) {
    modsecurity::intervention::free(&it_);
    modsecurity::intervention::clean(&it_);
    return transaction.intervention(&it_) && it_.disruptive != 0;
  }
  int status() const { return it_.status; }
  std::string_view log() const { return it_.log ? std::string_view(it_.log) : std::string_view(); }

 private:
  modsecurity::ModSecurityIntervention it_;
};

// The value of `[name "value"]` in an intervention log line. The line also carries the matched
// data; only the fields asked for leave this function.
std::string_view log_field(std::string_view log, std::string_view name) {
  const std::string opening = "[" + std::string(name) + " \"";
  const size_t start = log.find(opening);
  if (start == std::string_view::npos) return {};
  const size_t value = start + opening.size();
  const size_t end = log.find("\"]", value);
  if (end == std::string_view::npos) return {};
  return log.substr(value, end - value);
}

// A path goes into an Include line, which libmodsecurity splits at white space and does not
// unquote.
core::Status check_includable(const fs::path& path) {
  const std::string text = path.string();
  if (text.find_first_of(" \t\r\n\"'") != std::string::npos)
    return core::make_error(core::ErrorCode::validation_failed,
                            "WAF file path must not contain spaces or quotes: " + text);
  return {};
}

// The files to Include, in the order CRS needs: setup, exclusions before, the rules in name
// order (the number in each name is its place), exclusions after.
core::Result<std::vector<fs::path>> rule_files(const Settings& settings) {
  std::error_code ec;
  const fs::path setup = fs::absolute(settings.crs_setup, ec);
  if (ec || !fs::is_regular_file(setup, ec))
    return core::make_error(core::ErrorCode::internal,
                            "WAF setup file not found: " + settings.crs_setup);
  const fs::path rules_dir = fs::absolute(settings.crs_rules, ec);
  if (ec || !fs::is_directory(rules_dir, ec))
    return core::make_error(core::ErrorCode::internal,
                            "WAF rules folder not found: " + settings.crs_rules);

  std::vector<fs::path> rules;
  for (const auto& entry : fs::directory_iterator(rules_dir, ec)) {
    if (entry.path().extension() == ".conf" && entry.is_regular_file(ec))
      rules.push_back(entry.path());
  }
  if (ec)
    return core::make_error(
        core::ErrorCode::internal,
        "WAF rules folder cannot be read: " + settings.crs_rules + ": " + ec.message());
  if (rules.empty())
    return core::make_error(core::ErrorCode::internal,
                            "WAF rules folder has no .conf files: " + settings.crs_rules);
  std::sort(rules.begin(), rules.end());

  std::vector<fs::path> files{setup};
  if (fs::is_regular_file(setup.parent_path() / kExclusionsBefore, ec))
    files.push_back(setup.parent_path() / kExclusionsBefore);
  files.insert(files.end(), rules.begin(), rules.end());
  if (fs::is_regular_file(setup.parent_path() / kExclusionsAfter, ec))
    files.push_back(setup.parent_path() / kExclusionsAfter);
  for (const auto& file : files) BALAI_TRY(check_includable(file));
  return files;
}

size_t count_rules(modsecurity::RulesSet& rules) {
  size_t count = 0;
  for (int phase = 0; phase < modsecurity::Phases::NUMBER_OF_PHASES; ++phase) {
    for (const auto& rule : rules.m_rulesSetPhases[phase]->m_rules) {
      if (!rule->isMarker()) ++count;
    }
  }
  return count;
}

}  // namespace

std::optional<Mode> parse_mode(std::string_view text) {
  if (text == "off") return Mode::off;
  if (text == "detect") return Mode::detect;
  if (text == "block") return Mode::block;
  return std::nullopt;
}

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::off:
      return "off";
    case Mode::detect:
      return "detect";
    case Mode::block:
      return "block";
  }
  return "off";
}

struct Waf::Engine {
  Mode mode = Mode::off;
  // Read-only once loaded: libmodsecurity evaluates one rule set from many transactions.
  modsecurity::RulesSet rules;
  size_t rule_count = 0;
};

core::Result<std::unique_ptr<Waf>> Waf::load(const Settings& settings) {
  if (settings.paranoia < 1 || settings.paranoia > 4)
    return core::make_error(
        core::ErrorCode::validation_failed,
        "WAF paranoia level must be 1 to 4, not " + std::to_string(settings.paranoia));
  if (settings.body_limit_bytes == 0)
    return core::make_error(core::ErrorCode::validation_failed,
                            "WAF body limit must be at least one byte");
  auto engine = std::make_unique<Engine>();
  engine->mode = settings.mode;
  // Off means no dependency on the rules either: a server without the CRS package still starts.
  if (settings.mode == Mode::off) return std::unique_ptr<Waf>(new Waf(std::move(engine)));

  auto files = rule_files(settings);
  if (!files) return files.take_error();
  std::string text = detail::engine_settings(settings);
  for (const auto& file : *files) text += "Include " + file.string() + "\n";

  // libmodsecurity's SecLang parser keeps its state in globals: two parses at once corrupt
  // each other (ModSecurity issues #2536, #3138).
  static std::mutex parser_mutex;
  const std::lock_guard lock(parser_mutex);
  shared_modsecurity();  // its constructor sets up libxml2 and libcurl before the first parse
  // The reference names the generated text in parser errors; errors inside an included file
  // name that file and line.
  if (engine->rules.load(text.c_str(), "<balai waf settings>") < 0)
    return core::make_error(core::ErrorCode::internal,
                            "WAF rules do not load: " + engine->rules.getParserError());
  engine->rule_count = count_rules(engine->rules);
  return std::unique_ptr<Waf>(new Waf(std::move(engine)));
}

Waf::Waf(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {}

Waf::~Waf() = default;

Mode Waf::mode() const {
  return engine_->mode;
}

size_t Waf::rule_count() const {
  return engine_->rule_count;
}

Verdict Waf::inspect(const http::Request& req) const {
  Verdict verdict;
  if (engine_->mode == Mode::off) return verdict;

  Matches matches;
  // RulesSet is shared read-only; the transaction (variables, collections, scores) is this
  // call's own.
  modsecurity::Transaction transaction(&shared_modsecurity(), &engine_->rules, &matches);
  Intervention intervention;
  const std::string method(http::to_string(req.method));
  const std::string client = req.remote_address.empty() ? "0.0.0.0" : req.remote_address;

  // Rules run in processRequestHeaders (phase 1) and processRequestBody (phase 2). Phase 2
  // holds most of CRS (everything over ARGS) and its blocking evaluation, so it runs for
  // bodiless requests too; after an intervention (block mode) it is pointless.
  transaction.processConnection(client.c_str(), 0, kServerAddress, kServerPort);
  transaction.processURI(req.target.c_str(), method.c_str(), "1.1");
  for (const auto& [name, value] : req.headers) transaction.addRequestHeader(name, value);
  transaction.processRequestHeaders();
  bool intervened = intervention.check(transaction);
  if (!intervened) {
    transaction.appendRequestBody(reinterpret_cast<const unsigned char*>(req.body.data()),
                                  req.body.size());
    transaction.processRequestBody();
    intervened = intervention.check(transaction);
  }
  if (intervened) {
    // The intervening rule does not reach the log callback; its id and message are in the
    // intervention's log line.
    const std::string_view id_text = log_field(intervention.log(), "id");
    int id = 0;
    std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (id > 0) matches.add(id, log_field(intervention.log(), "msg"));
  }

  verdict.rule_ids = std::move(matches.rule_ids);
  for (const auto& message : matches.messages) {
    if (!verdict.summary.empty()) verdict.summary += "; ";
    verdict.summary += message;
  }
  verdict.attack = intervened || std::find(verdict.rule_ids.begin(), verdict.rule_ids.end(),
                                           kInboundAnomalyRule) != verdict.rule_ids.end();
  if (intervened && engine_->mode == Mode::block) {
    verdict.blocked = true;
    verdict.status = intervention.status();
  }
  return verdict;
}

}  // namespace balai::security::waf
