#include "app/admin_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "app/runtime.h"
#include "core/log.h"
#include "core/text.h"
#include "modules/calendar/module.h"
#include "modules/calendar/rules.h"
#include "modules/calendar/service.h"
#include "modules/catalog/service.h"
#include "modules/city/broker_sync.h"
#include "modules/city/module.h"
#include "modules/city/mqtt_client.h"
#include "modules/city/service.h"
#include "modules/console/staff_rules.h"
#include "security/accounts.h"
#include "security/actor.h"
#include "security/api_tokens.h"
#include "security/audit.h"
#include "security/totp.h"

namespace balai::app {

struct AdminCommands::Options {
  CLI::App* agency_add = nullptr;
  CLI::App* agency_list = nullptr;
  CLI::App* device_add = nullptr;
  CLI::App* device_revoke = nullptr;
  CLI::App* holiday_list = nullptr;
  CLI::App* holiday_add = nullptr;
  CLI::App* holiday_remove = nullptr;
  CLI::App* token_create = nullptr;
  CLI::App* token_list = nullptr;
  CLI::App* token_revoke = nullptr;
  CLI::App* user_add = nullptr;
  CLI::App* user_list = nullptr;

  std::string role;
  std::string type;
  std::string entity;
  std::string agency;
  std::string name;
  std::string name_en;
  std::string code;
  int expires_days = 0;
  CLI::Option* expires = nullptr;
  std::string token_id;
  std::string device_id;
  std::string email;
  std::string password;
  std::string password_file;
  bool show_email = false;
  int year = 0;
  CLI::Option* year_option = nullptr;
  std::string date;
  std::string name_id;
  bool collective = false;
};

namespace {

// Like commands.cpp's fail(), and also names each field a validation error is about, since the
// operator has no form to show them next to.
int fail(const core::Error& e) {
  core::log::flush();
  std::fprintf(stderr, "balai: %s\n", e.message.c_str());
  for (const auto& [field, problem] : e.fields)
    std::fprintf(stderr, "  %s: %s\n", field.c_str(), problem.c_str());
  return 1;
}

core::Error invalid(std::string field, std::string problem) {
  return core::Error{
      core::ErrorCode::validation_failed, "The request is not valid.", {{field, problem}}};
}

// Names and agency codes are typed by whoever created the row; a control character in one must
// not reach the operator's terminal as an escape sequence. C0, DEL and C1 become '?'.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += '?';
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Seconds are precise enough on a terminal; the milliseconds would only widen the columns.
std::string when(core::Timestamp t, core::Zone zone) {
  return core::format_iso8601(core::Timestamp{t.ms / 1000 * 1000}, zone);
}

std::string when(const std::optional<core::Timestamp>& t, core::Zone zone,
                 std::string_view none = "-") {
  return t ? when(*t, zone) : std::string(none);
}

std::string or_dash(const std::string& text) {
  return text.empty() ? "-" : printable(text);
}

// Rows printed as left-aligned columns two spaces apart (widths in code points).
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print() const {
    std::vector<size_t> widths(rows_.front().size(), 0);
    for (const auto& row : rows_)
      for (size_t i = 0; i < row.size(); ++i)
        widths[i] = std::max(widths[i], core::utf8_length(row[i]));
    for (const auto& row : rows_) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) {
        line += row[i];
        if (i + 1 < row.size()) line.append(widths[i] - core::utf8_length(row[i]) + 2, ' ');
      }
      std::printf("%s\n", line.c_str());
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

core::Result<std::unique_ptr<Runtime>> open_migrated(const core::Config& config) {
  auto rt = Runtime::open(config);
  if (!rt) return rt.take_error();
  auto migrated = (*rt)->migrate();
  if (!migrated) return migrated.take_error();
  return rt;
}

// The operator at the console changed something: one entry in the chain.
core::Status audit_change(Runtime& rt, std::string_view action, std::string_view object_type,
                          std::string_view object_id) {
  security::AuditEntry entry;
  entry.at = core::SystemClock{}.now();
  entry.action = action;
  entry.object_type = object_type;
  entry.object_id = object_id;
  return rt.audit().append(rt.database(), entry);
}

int token_create(const core::Config& config, const AdminCommands::Options& o) {
  const auto role = security::parse_role(o.role);
  if (!role) return fail(invalid("role", "must be device or integrator"));
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  security::NewApiToken request;
  request.name = o.name;
  request.role = *role;
  request.agency = o.agency;
  if (o.expires->count() > 0) request.expires_days = o.expires_days;
  const auto now = core::SystemClock{}.now();
  auto& tokens = (*rt)->security().tokens;
  auto created = tokens.create(request, now);
  if (!created) return fail(created.error());
  const auto& t = created->info;
  if (auto audited = audit_change(**rt, "tokens.create", "api_token", t.id); !audited) {
    // A token nobody can account for must not work: withdraw it before saying why.
    (void)tokens.revoke(t.id, now);
    std::fprintf(stderr, "balai: token %s was revoked: its creation could not be audited\n",
                 t.id.c_str());
    return fail(audited.error());
  }
  std::printf("token: %s\n", created->token.c_str());
  std::printf("This token is shown only once: store it now (only its digest is kept).\n");
  std::printf("id: %s\nrole: %s\nagency: %s\nexpires: %s\n", t.id.c_str(),
              std::string(security::to_string(t.role)).c_str(), or_dash(t.agency).c_str(),
              when(t.expires_at, config.city.zone, "never").c_str());
  return 0;
}

// Registers a sensor device for an entity and prints its credentials once: the bearer token for
// HTTP and the MQTT user and password (the same secret) with the topic it may publish to.
int device_add(const core::Config& config, const AdminCommands::Options& o) {
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  city::allow_actions((*rt)->security().policy);
  city::ContextService context((*rt)->app());
  auto device = context.add_device(o.type, o.entity, o.agency);
  if (!device) return fail(device.error());
  if (auto audited = audit_change(**rt, "city.devices.add", "device", device->device_id); !audited)
    return fail(audited.error());
  std::printf("device: %s\nentity: %s (%s)\n", device->device_id.c_str(), device->entity_id.c_str(),
              device->entity_type.c_str());
  std::printf("token: %s\n", device->token.c_str());
  std::printf("mqtt user: %s\nmqtt password: the token above\nmqtt topic: %s\n",
              device->device_id.c_str(), city::readings_topic(device->device_id).c_str());
  std::printf("This token is shown only once: store it in the device now.\n");
  // After the credentials: the device is registered even if the broker's files cannot be
  // written now (the server rewrites them when it starts).
  if (auto synced = city::sync_broker_files(config, context); !synced) return fail(synced.error());
  return 0;
}

// Revokes a device at once: its token (HTTP) and its broker access (the files are rewritten and
// the broker told to re-read them).
int device_revoke(const core::Config& config, const AdminCommands::Options& o) {
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  city::allow_actions((*rt)->security().policy);
  city::ContextService context((*rt)->app());
  if (auto revoked = context.revoke_device(o.device_id); !revoked) return fail(revoked.error());
  if (auto audited = audit_change(**rt, "city.devices.revoke", "device", o.device_id); !audited)
    return fail(audited.error());
  std::printf("revoked: %s\n", o.device_id.c_str());
  if (auto synced = city::sync_broker_files(config, context); !synced) return fail(synced.error());
  return 0;
}

int token_list(const core::Config& config) {
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  auto tokens = (*rt)->security().tokens.list();
  if (!tokens) return fail(tokens.error());
  const auto now = core::SystemClock{}.now();
  const auto zone = config.city.zone;
  Table table({"ID", "NAME", "ROLE", "AGENCY", "CREATED", "EXPIRES", "LAST USED", "STATUS"});
  for (const auto& t : *tokens) {
    const char* status = t.revoked_at                           ? "revoked"
                         : t.expires_at && now >= *t.expires_at ? "expired"
                                                                : "active";
    table.add({t.id, printable(t.name), std::string(security::to_string(t.role)), or_dash(t.agency),
               when(t.created_at, zone), when(t.expires_at, zone, "never"),
               when(t.last_used_at, zone, "never"), status});
  }
  table.print();
  return 0;
}

int token_revoke(const core::Config& config, const std::string& id) {
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  auto revoked = (*rt)->security().tokens.revoke(id, core::SystemClock{}.now());
  if (!revoked) return fail(revoked.error());
  auto audited = audit_change(**rt, "tokens.revoke", "api_token", id);
  if (!audited) return fail(audited.error());
  std::printf("revoked %s\n", id.c_str());
  return 0;
}

// The agencies (OPD) of the catalog, read and written through its service as the web console
// does (no routes: the command line installs no modules).
class AgencyCatalog {
 public:
  explicit AgencyCatalog(Runtime& rt)
      : store_(rt.database()), service_(store_, clock_, rt.app().cache) {}
  catalog::CatalogService& service() { return service_; }

  // Whether an agency has `code`.
  [[nodiscard]] core::Result<bool> contains(std::string_view code) const {
    auto agencies = service_.agencies();
    if (!agencies) return agencies.take_error();
    for (const auto& a : *agencies)
      if (a.code == code) return true;
    return false;
  }

 private:
  core::SystemClock clock_;
  catalog::Store store_;
  catalog::CatalogService service_;
};

int agency_add(const core::Config& config, const AdminCommands::Options& o) {
  const console::AgencyInput input{std::string(core::trim(o.code)), std::string(core::trim(o.name)),
                                   std::string(core::trim(o.name_en))};
  if (auto valid = console::validate(input, /*english_required=*/false); !valid) {
    // The problems under the options' names, which is what the operator typed.
    core::Error e = valid.error();
    e.fields.clear();
    for (const auto& [field, problem] : valid.error().fields)
      e.fields[field == "name_id" ? "name" : field == "name_en" ? "name-en" : field] = problem;
    return fail(e);
  }
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  AgencyCatalog agencies(**rt);
  auto known = agencies.contains(input.code);
  if (!known) return fail(known.error());
  // Recorded first, as the console does: no agency is added or renamed unrecorded.
  if (auto audited = audit_change(**rt, "agencies.save", "agency", input.code); !audited)
    return fail(audited.error());
  const catalog::Agency agency{input.code, {input.name_id, input.name_en}};
  if (auto saved = agencies.service().save_agency(agency); !saved) return fail(saved.error());
  std::printf("%s agency %s\n", *known ? "renamed" : "added", input.code.c_str());
  return 0;
}

int agency_list(const core::Config& config) {
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  AgencyCatalog agencies(**rt);
  auto list = agencies.service().agencies();
  if (!list) return fail(list.error());
  Table table({"CODE", "NAME", "NAME (EN)"});
  for (const auto& a : *list)
    table.add({printable(a.code), printable(a.name.id), or_dash(a.name.en)});
  table.print();
  return 0;
}

// The holiday calendar through its service, as the console page uses it (no routes: the command
// line installs no modules), for the operator (calendar::command_line_actor(), audited as
// "system" with request id "cli").
std::unique_ptr<calendar::CalendarService> holiday_calendar(Runtime& rt) {
  calendar::allow_actions(rt.security().policy);
  return std::make_unique<calendar::CalendarService>(rt.app());
}

constexpr std::string_view kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// "2026-05-01 (Fri)".
std::string date_and_day(core::Date date) {
  return calendar::format_date(date) + " (" +
         std::string(kWeekdays[calendar::iso_weekday(date) - 1]) + ")";
}

core::Error invalid_date() {
  return invalid("date", "must be a real day written YYYY-MM-DD, in a year from " +
                             std::to_string(calendar::kFirstYear) + " to " +
                             std::to_string(calendar::kLastYear));
}

// The calendar's problems under the options' names, which is what the operator typed.
core::Error with_option_names(const core::Error& e) {
  core::Error out = e;
  out.fields.clear();
  for (const auto& [field, problem] : e.fields)
    out.fields[field == "name_id" ? "name-id" : field == "name_en" ? "name-en" : field] = problem;
  return out;
}

int holiday_list(const core::Config& config, const AdminCommands::Options& o) {
  int year = core::local_date(core::SystemClock{}.now(), config.city.zone).year;
  if (o.year_option->count() > 0) year = o.year;
  if (year < calendar::kFirstYear || year > calendar::kLastYear)
    return fail(invalid("year", "must be from " + std::to_string(calendar::kFirstYear) + " to " +
                                    std::to_string(calendar::kLastYear)));
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  auto holidays = holiday_calendar(**rt)->holidays(year);
  if (!holidays) return fail(holidays.error());
  Table table({"DATE", "DAY", "KIND", "NAME", "NAME (EN)"});
  for (const auto& h : *holidays)
    table.add({calendar::format_date(h.date),
               std::string(kWeekdays[calendar::iso_weekday(h.date) - 1]),
               h.collective_leave ? "cuti bersama" : "holiday", printable(h.name_id),
               printable(h.name_en)});
  table.print();
  return 0;
}

int holiday_add(const core::Config& config, const AdminCommands::Options& o) {
  const auto date = calendar::parse_date(core::trim(o.date));
  if (!date) return fail(invalid_date());
  const calendar::Holiday holiday{*date, std::string(core::trim(o.name_id)),
                                  std::string(core::trim(o.name_en)), o.collective};
  if (auto valid = calendar::validate(holiday); !valid)
    return fail(with_option_names(valid.error()));
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  auto added = holiday_calendar(**rt)->add_holiday(calendar::command_line_actor(), holiday, "cli");
  if (!added) return fail(with_option_names(added.error()));
  std::printf("added %s %s\n", o.collective ? "cuti bersama" : "holiday",
              date_and_day(*date).c_str());
  return 0;
}

int holiday_remove(const core::Config& config, const AdminCommands::Options& o) {
  const auto date = calendar::parse_date(core::trim(o.date));
  if (!date) return fail(invalid_date());
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  auto removed =
      holiday_calendar(**rt)->remove_holiday(calendar::command_line_actor(), *date, "cli");
  if (!removed) return fail(removed.error());
  std::printf("removed the holiday of %s\n", date_and_day(*date).c_str());
  return 0;
}

// The first line of `path`, without its line ending.
core::Result<std::string> read_password_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::make_error(core::ErrorCode::not_found, "cannot read the password file");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int user_add(const core::Config& config, const AdminCommands::Options& o) {
  const auto role = security::parse_role(o.role);
  if (!role) return fail(invalid("role", "must be citizen, officer, supervisor, admin or auditor"));
  security::NewAccount account;
  account.role = *role;
  account.agency = o.agency;
  account.display_name = o.name;
  account.email = o.email;
  if (o.password_file.empty()) {
    account.password = o.password;
  } else {
    auto password = read_password_file(o.password_file);
    if (!password) return fail(password.error());
    account.password = std::move(password).value();
  }
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  if (!account.agency.empty()) {
    // Officers are scoped to their agency's records: a code the catalog does not know (a typo,
    // another case) would leave them seeing nothing, or one day a different agency's records.
    auto known = AgencyCatalog(**rt).contains(account.agency);
    if (!known) return fail(known.error());
    if (!*known)
      return fail(invalid("agency", "no agency has the code \"" + printable(account.agency) +
                                        "\" (see `balai agency list`; add it with `balai agency "
                                        "add`)"));
  }
  auto& accounts = (*rt)->security().accounts;
  const auto now = core::SystemClock{}.now();
  auto created = accounts.create(account, now);
  if (!created) return fail(created.error());
  const auto& a = *created;
  auto audited = audit_change(**rt, "accounts.create", "account", a.id);
  if (!audited) {
    std::fprintf(stderr, "balai: account %s was created but not audited\n", a.id.c_str());
    return fail(audited.error());
  }
  std::printf("created account %s\nrole: %s\nagency: %s\n", a.id.c_str(),
              std::string(security::to_string(a.role)).c_str(), or_dash(a.agency).c_str());
  if (!security::is_staff(a.role)) return 0;

  // Staff sign in with a second factor; handing it over now spares the enrolment step.
  const auto secret = security::generate_totp_secret();
  if (auto stored = accounts.set_totp(a.key, secret, /*enabled=*/true, now); !stored) {
    std::fprintf(stderr, "balai: no TOTP secret was stored; the person enrols at first sign-in\n");
    return fail(stored.error());
  }
  std::printf("totp secret: %s\n", security::base32_encode(secret).c_str());
  std::printf("totp uri: %s\n",
              security::otpauth_uri("Balai " + config.city.name, a.email, secret).c_str());
  auto codes = (*rt)->security().sign_in.issue_recovery_codes(a.key);
  if (!codes) return fail(codes.error());
  std::printf("recovery codes (each works once if the phone is lost):\n");
  for (const auto& code : *codes) std::printf("  %s\n", code.c_str());
  std::printf("Hand the secret and the codes to the person privately; they are not shown again.\n");
  return 0;
}

int user_list(const core::Config& config, bool show_email) {
  auto rt = open_migrated(config);
  if (!rt) return fail(rt.error());
  auto accounts = (*rt)->security().accounts.list();
  if (!accounts) return fail(accounts.error());
  std::vector<std::string> header = {"ID", "ROLE", "AGENCY", "STATUS", "2FA", "CREATED"};
  if (show_email) header.emplace_back("EMAIL");
  Table table(std::move(header));
  for (const auto& a : *accounts) {
    std::vector<std::string> row = {a.id,
                                    std::string(security::to_string(a.role)),
                                    or_dash(a.agency),
                                    a.active ? "active" : "disabled",
                                    a.totp_enabled ? "on" : "off",
                                    when(a.created_at, config.city.zone)};
    if (show_email) row.push_back(or_dash(a.email));
    table.add(std::move(row));
  }
  table.print();
  return 0;
}

}  // namespace

AdminCommands::AdminCommands(CLI::App& cli) : options_(std::make_unique<Options>()) {
  auto& o = *options_;
  auto* token = cli.add_subcommand("token", "API tokens for devices and integrators");
  token->require_subcommand(1);
  o.token_create = token->add_subcommand("create", "Create a token and print it (once)");
  o.token_create->add_option("--role", o.role, "device or integrator")->required();
  o.token_create->add_option("--agency", o.agency, "Agency (OPD) code the token is scoped to");
  o.token_create->add_option("--name", o.name, "What the token is for (1 to 100 characters)")
      ->required();
  o.expires = o.token_create->add_option("--expires", o.expires_days,
                                         "Days until it expires (1 to 3650; default: never)");
  o.token_list = token->add_subcommand("list", "List tokens (never the tokens themselves)");
  o.token_revoke = token->add_subcommand("revoke", "Revoke a token at once");
  o.token_revoke->add_option("id", o.token_id, "The token's id, as `token list` shows it")
      ->required();

  auto* device = cli.add_subcommand("device", "Sensor devices of the smart city");
  device->require_subcommand(1);
  o.device_add = device->add_subcommand(
      "add", "Register a device for an entity and print its credentials (once)");
  o.device_add
      ->add_option("--type", o.type,
                   "Entity type: TrafficFlowObserved, WeatherObserved, WaterLevelObserved, "
                   "AirQualityObserved or SecurityIncident")
      ->required();
  o.device_add->add_option("--entity", o.entity, "The entity's id, e.g. kali-madiun-01")
      ->required();
  o.device_add->add_option("--agency", o.agency, "Agency (OPD) code that owns the device");
  o.device_revoke = device->add_subcommand(
      "revoke", "Revoke a device at once: its token and its broker access (audited)");
  o.device_revoke->add_option("id", o.device_id, "The device's id (dev-...), as `add` printed it")
      ->required();

  auto* agency = cli.add_subcommand("agency", "The agencies (OPD) staff accounts belong to");
  agency->require_subcommand(1);
  o.agency_add =
      agency->add_subcommand("add", "Add an agency, or rename the one with this code (audited)");
  o.agency_add
      ->add_option("--code", o.code, "2 to 40 lower-case letters, digits or hyphens (disdukcapil)")
      ->required();
  o.agency_add->add_option("--name", o.name, "The agency's name in Indonesian")->required();
  o.agency_add->add_option("--name-en", o.name_en, "The agency's name in English");
  o.agency_list = agency->add_subcommand("list", "List the agencies of the catalog");

  auto* holiday = cli.add_subcommand(
      "holiday", "The holidays and cuti bersama that working-day deadlines skip");
  holiday->require_subcommand(1);
  o.holiday_list = holiday->add_subcommand("list", "List the holidays of a year");
  o.year_option = o.holiday_list->add_option("--year", o.year, "The year (default: this year)");
  o.holiday_add = holiday->add_subcommand("add", "Add a holiday (audited)");
  o.holiday_add->add_option("--date", o.date, "The day, YYYY-MM-DD")->required();
  o.holiday_add->add_option("--name-id", o.name_id, "Its name in Indonesian (1 to 120 characters)")
      ->required();
  o.holiday_add->add_option("--name-en", o.name_en, "Its name in English (1 to 120 characters)")
      ->required();
  o.holiday_add->add_flag("--collective", o.collective,
                          "Cuti bersama (collective leave) rather than a national holiday");
  o.holiday_remove = holiday->add_subcommand("remove", "Remove the holiday of a day (audited)");
  o.holiday_remove->add_option("--date", o.date, "The day, YYYY-MM-DD")->required();

  auto* user = cli.add_subcommand("user", "Accounts of citizens and staff");
  user->require_subcommand(1);
  o.user_add =
      user->add_subcommand("add", "Create an account (staff also get a TOTP secret, printed once)");
  o.user_add->footer(
      "Prefer --password-file to --password: a password on the command line stays in the shell\n"
      "history and is visible to other local users while the command runs.");
  o.user_add->add_option("--role", o.role, "citizen, officer, supervisor, admin or auditor")
      ->required();
  o.user_add->add_option(
      "--agency", o.agency,
      "Agency (OPD) code, one of `agency list`: required for officers and supervisors");
  o.user_add->add_option("--email", o.email, "Email address, the sign-in name")->required();
  o.user_add->add_option("--name", o.name, "The person's name")->required();
  auto* password = o.user_add->add_option_group("password", "Exactly one of these");
  password->add_option("--password", o.password,
                       "The initial password (lands in shell history: prefer --password-file)");
  password->add_option("--password-file", o.password_file,
                       "Read the initial password from the first line of this file");
  password->require_option(1);
  o.user_list = user->add_subcommand("list", "List accounts (without names or emails)");
  o.user_list->add_flag("--show-email", o.show_email, "Also show each account's email");
}

AdminCommands::~AdminCommands() = default;

std::optional<int> AdminCommands::run(const core::Config& config) const {
  const auto& o = *options_;
  if (o.agency_add->parsed()) return agency_add(config, o);
  if (o.agency_list->parsed()) return agency_list(config);
  if (o.device_add->parsed()) return device_add(config, o);
  if (o.device_revoke->parsed()) return device_revoke(config, o);
  if (o.holiday_list->parsed()) return holiday_list(config, o);
  if (o.holiday_add->parsed()) return holiday_add(config, o);
  if (o.holiday_remove->parsed()) return holiday_remove(config, o);
  if (o.token_create->parsed()) return token_create(config, o);
  if (o.token_list->parsed()) return token_list(config);
  if (o.token_revoke->parsed()) return token_revoke(config, o.token_id);
  if (o.user_add->parsed()) return user_add(config, o);
  if (o.user_list->parsed()) return user_list(config, o.show_email);
  return std::nullopt;
}

}  // namespace balai::app
