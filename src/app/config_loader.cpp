#include "app/config_loader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <vector>

#include "core/geo.h"
#include "core/log.h"

extern char** environ;

namespace balai::app {
namespace {

// One setting: its TOML path ("server.port"), its environment name (BALAI_SERVER_PORT), and how
// to set it from text; `secret` settings are masked when printed.
struct Setting {
  std::string key;
  std::function<bool(core::Config&, const std::string&)> set;
  std::function<std::string(const core::Config&)> show;
  bool quoted = true;
};

template <class T>
bool parse_number(const std::string& text, T& out, T min, T max) {
  T v{};
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || v < min || v > max) return false;
  out = v;
  return true;
}

bool parse_bool(const std::string& text, bool& out) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return out = true, true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return out = false, true;
  return false;
}

#define BALAI_STRING(path, field)                           \
  Setting {                                                 \
    path,                                                   \
        [](core::Config& c, const std::string& v) {         \
          c.field = v;                                      \
          return true;                                      \
        },                                                  \
        [](const core::Config& c) { return c.field; }, true \
  }
#define BALAI_INT(path, field, lo, hi)                                                   \
  Setting {                                                                              \
    path,                                                                                \
        [](core::Config& c, const std::string& v) {                                      \
          return parse_number(v, c.field, decltype(c.field)(lo), decltype(c.field)(hi)); \
        },                                                                               \
        [](const core::Config& c) { return std::to_string(c.field); }, false             \
  }
#define BALAI_BOOL(path, field)                                                              \
  Setting {                                                                                  \
    path, [](core::Config& c, const std::string& v) { return parse_bool(v, c.field); },      \
        [](const core::Config& c) { return std::string(c.field ? "true" : "false"); }, false \
  }

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = {
      BALAI_STRING("data_dir", data_dir),
      BALAI_STRING("web_dir", web_dir),
      BALAI_STRING("server.host", server.host),
      BALAI_INT("server.port", server.port, 0, 65535),
      BALAI_INT("server.io_threads", server.io_threads, 1, 256),
      BALAI_INT("server.worker_threads", server.worker_threads, 1, 1024),
      BALAI_INT("server.max_connections", server.max_connections, 1, 1'000'000),
      BALAI_INT("server.header_limit_bytes", server.header_limit_bytes, 1024, 1 << 20),
      BALAI_INT("server.body_limit_bytes", server.body_limit_bytes, 1024, uint64_t{1} << 32),
      BALAI_INT("server.header_timeout_ms", server.header_timeout_ms, 100, 600'000),
      BALAI_INT("server.body_timeout_ms", server.body_timeout_ms, 100, 3'600'000),
      BALAI_INT("server.idle_timeout_ms", server.idle_timeout_ms, 100, 3'600'000),
      BALAI_INT("server.write_timeout_ms", server.write_timeout_ms, 100, 3'600'000),
      BALAI_INT("server.shutdown_grace_ms", server.shutdown_grace_ms, 0, 60'000),
      BALAI_STRING("server.tls_cert_file", server.tls_cert_file),
      BALAI_STRING("server.tls_key_file", server.tls_key_file),
      BALAI_INT("server.redirect_http_port", server.redirect_http_port, 0, 65535),
      BALAI_STRING("server.public_url", server.public_url),
      BALAI_STRING("database.url", database.url),
      BALAI_INT("database.readers", database.readers, 1, 256),
      BALAI_INT("database.busy_timeout_ms", database.busy_timeout_ms, 0, 600'000),
      BALAI_STRING("security.keyring_file", security.keyring_file),
      BALAI_STRING("security.firewall_allow", security.firewall_allow),
      BALAI_STRING("security.firewall_deny", security.firewall_deny),
      BALAI_STRING("security.trusted_proxies", security.trusted_proxies),
      BALAI_INT("security.api_burst", security.api_burst, 1, 1'000'000),
      BALAI_INT("security.api_per_second", security.api_per_second, 1, 1'000'000),
      BALAI_INT("security.ban_failures", security.ban_failures, 1, 10'000),
      BALAI_INT("security.ban_window_ms", security.ban_window_ms, 1'000, 86'400'000),
      BALAI_INT("security.ban_first_ms", security.ban_first_ms, 1'000, 86'400'000),
      BALAI_INT("security.login_burst", security.login_burst, 1, 1'000'000),
      BALAI_INT("security.login_per_minute", security.login_per_minute, 1, 1'000'000),
      BALAI_INT("security.register_burst", security.register_burst, 1, 1'000'000),
      BALAI_INT("security.register_per_hour", security.register_per_hour, 1, 1'000'000),
      BALAI_INT("security.account_failures", security.account_failures, 1, 10'000),
      BALAI_INT("security.password_hash_memory_kib", security.password_hash_memory_kib, 8,
                4 * 1024 * 1024),
      BALAI_INT("security.password_hash_passes", security.password_hash_passes, 1, 10),
      BALAI_INT("security.session_idle_minutes_staff", security.session_idle_minutes_staff, 1,
                24 * 60),
      BALAI_INT("security.session_idle_minutes_citizen", security.session_idle_minutes_citizen, 1,
                7 * 24 * 60),
      BALAI_INT("security.session_absolute_hours", security.session_absolute_hours, 1, 24 * 30),
      BALAI_STRING("security.allowed_origins", security.allowed_origins),
      BALAI_STRING("security.waf", security.waf),
      BALAI_INT("security.waf_paranoia", security.waf_paranoia, 1, 4),
      BALAI_STRING("security.waf_crs_setup", security.waf_crs_setup),
      BALAI_STRING("security.waf_crs_rules", security.waf_crs_rules),
      BALAI_STRING("security.alert_webhook", security.alert_webhook),
      BALAI_INT("security.audit_checkpoint_minutes", security.audit_checkpoint_minutes, 1, 24 * 60),
      BALAI_INT("security.session_retention_days", security.session_retention_days, 1, 3650),
      BALAI_INT("security.staff_reads_per_hour", security.staff_reads_per_hour, 1, 1'000'000),
      BALAI_STRING("notify.smtp_url", notify.smtp_url),
      BALAI_STRING("notify.smtp_user", notify.smtp_user),
      BALAI_STRING("notify.smtp_password_file", notify.smtp_password_file),
      BALAI_STRING("notify.mail_from", notify.mail_from),
      BALAI_STRING("notify.sms_gateway_url", notify.sms_gateway_url),
      BALAI_STRING("notify.sms_gateway_token_file", notify.sms_gateway_token_file),
      BALAI_BOOL("notify.dev_outbox", notify.dev_outbox),
      BALAI_INT("notify.max_attempts", notify.max_attempts, 1, 100),
      BALAI_STRING("identity.verifying_agency", identity.verifying_agency),
      BALAI_INT("identity.unconfirmed_hours", identity.unconfirmed_hours, 1, 24 * 30),
      BALAI_INT("identity.ktp_retention_days", identity.ktp_retention_days, 0, 3650),
      BALAI_INT("identity.ktp_max_bytes", identity.ktp_max_bytes, 64 * 1024, 50 * 1024 * 1024),
      BALAI_INT("identity.code_minutes", identity.code_minutes, 1, 24 * 60),
      BALAI_INT("identity.code_attempts", identity.code_attempts, 1, 100),
      Setting{"complaints.verification",
              [](core::Config& c, const std::string& v) {
                if (v != "desk" && v != "village") return false;
                c.complaints.verification = v;
                return true;
              },
              [](const core::Config& c) { return c.complaints.verification; }, true},
      BALAI_STRING("complaints.desk_agency", complaints.desk_agency),
      BALAI_STRING("complaints.village_agency_prefix", complaints.village_agency_prefix),
      BALAI_INT("complaints.photo_max_bytes", complaints.photo_max_bytes, 64 * 1024,
                20 * 1024 * 1024),
      BALAI_STRING("city.name", city.name),
      BALAI_STRING("city.name_en", city.name_en),
      BALAI_STRING("city.region_code", city.region_code),
      Setting{"city.area",
              [](core::Config& c, const std::string& v) {
                if (!core::parse_geo_box(v)) return false;
                c.city.area = v;
                return true;
              },
              [](const core::Config& c) { return c.city.area; }, true},
      BALAI_STRING("city.map_tiles", city.map_tiles),
      Setting{
          "city.zone",
          [](core::Config& c, const std::string& v) {
            auto z = core::parse_zone(v);
            if (z) c.city.zone = *z;
            return z.has_value();
          },
          [](const core::Config& c) { return std::string(core::zone_abbreviation(c.city.zone)); },
          true},
      Setting{"sensors.mqtt_url",
              [](core::Config& c, const std::string& v) {
                // The rest (host, port) is checked when the city module connects.
                if (!v.empty() && !v.starts_with("mqtt://") && !v.starts_with("mqtts://"))
                  return false;
                c.sensors.mqtt_url = v;
                return true;
              },
              [](const core::Config& c) { return c.sensors.mqtt_url; }, true},
      BALAI_STRING("sensors.mqtt_user", sensors.mqtt_user),
      BALAI_STRING("sensors.mqtt_password_file", sensors.mqtt_password_file),
      BALAI_STRING("sensors.mqtt_ca_file", sensors.mqtt_ca_file),
      BALAI_STRING("sensors.broker_password_file", sensors.broker_password_file),
      BALAI_STRING("sensors.broker_acl_file", sensors.broker_acl_file),
      BALAI_STRING("sensors.broker_pid_file", sensors.broker_pid_file),
      BALAI_INT("sensors.history_raw_days", sensors.history_raw_days, 0, 36'500),
      BALAI_INT("sensors.history_minute_days", sensors.history_minute_days, 0, 36'500),
      BALAI_INT("sensors.history_hour_days", sensors.history_hour_days, 0, 36'500),
      BALAI_INT("sensors.history_rollup_rows", sensors.history_rollup_rows, 100, 10'000'000),
      BALAI_INT("sensors.notify_workers", sensors.notify_workers, 1, 64),
      BALAI_INT("sensors.notify_queue", sensors.notify_queue, 1, 1'000'000),
      BALAI_INT("sensors.notify_timeout_ms", sensors.notify_timeout_ms, 100, 120'000),
      Setting{"log.level",
              [](core::Config& c, const std::string& v) {
                core::log::Level level;
                if (!core::log::parse_level(v, level)) return false;
                c.log.level = v;
                return true;
              },
              [](const core::Config& c) { return c.log.level; }, true},
      BALAI_BOOL("log.access_log", log.access_log),
  };
  return all;
}

std::string env_name(const std::string& key) {
  std::string out = "BALAI_";
  for (char c : key)
    out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string node_text(const toml::node& n) {
  if (auto s = n.value<std::string>()) return *s;
  if (auto i = n.value<int64_t>()) return std::to_string(*i);
  if (auto b = n.value<bool>()) return *b ? "true" : "false";
  return {};
}

}  // namespace

core::Result<core::Config> load_config(const std::string& path,
                                       const std::map<std::string, std::string>& env) {
  core::Config config;
  auto invalid = [](const std::string& where, const std::string& key) {
    return core::make_error(core::ErrorCode::validation_failed,
                            fmt::format("invalid value for {} in {}", key, where));
  };
  if (!path.empty()) {
    toml::table root;
    try {
      root = toml::parse_file(path);
    } catch (const toml::parse_error& err) {
      return core::make_error(core::ErrorCode::validation_failed,
                              fmt::format("{}:{}:{}: {}", path, err.source().begin.line,
                                          err.source().begin.column, err.description()));
    }
    std::vector<std::string> seen;
    for (const auto& s : settings()) {
      const toml::node* node = root.at_path(s.key).node();
      if (!node) continue;
      seen.push_back(s.key);
      // Text settings want TOML strings, numbers and switches want numbers and booleans.
      if (node->is_table() || node->is_array() || node->is_string() != s.quoted ||
          !s.set(config, node_text(*node)))
        return invalid(path, s.key);
    }
    // Every key in the file must be a known setting.
    std::function<core::Status(const toml::table&, const std::string&)> check =
        [&](const toml::table& t, const std::string& prefix) -> core::Status {
      for (const auto& [k, v] : t) {
        const std::string key =
            prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (v.is_table()) {
          BALAI_TRY(check(*v.as_table(), key));
        } else if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
          return core::make_error(core::ErrorCode::validation_failed,
                                  fmt::format("unknown setting {} in {}", key, path));
        }
      }
      return {};
    };
    BALAI_TRY(check(root, ""));
  }
  for (const auto& s : settings()) {
    auto it = env.find(env_name(s.key));
    if (it == env.end()) continue;
    if (!s.set(config, it->second)) return invalid("the environment", env_name(s.key));
  }
  // A misspelt variable would silently leave its default in place: say so.
  for (const auto& [name, value] : env) {
    if (name == "BALAI_CONFIG" || name.starts_with("BALAI_TEST_") || name == "BALAI_BIN" ||
        name == "BALAI_SOURCE_DIR")
      continue;
    const bool known = std::any_of(settings().begin(), settings().end(),
                                   [&](const Setting& s) { return env_name(s.key) == name; });
    if (!known) core::log::warn("config.unknown_environment_variable", {{"name", name}});
  }
  if (config.server.redirect_http_port != 0 && config.server.public_url.empty())
    return core::make_error(
        core::ErrorCode::validation_failed,
        "server.redirect_http_port needs server.public_url (the redirect must not "
        "trust the client's Host header)");
  if (config.security.waf != "off" && config.security.waf != "detect" &&
      config.security.waf != "block")
    return core::make_error(core::ErrorCode::validation_failed,
                            "security.waf must be off, detect or block");
  if (config.security.session_idle_minutes_staff > config.security.session_absolute_hours * 60 ||
      config.security.session_idle_minutes_citizen > config.security.session_absolute_hours * 60)
    core::log::warn("config.session_idle_longer_than_absolute", {});
  if (config.server.tls_cert_file.empty() != config.server.tls_key_file.empty())
    return core::make_error(core::ErrorCode::validation_failed,
                            "server.tls_cert_file and server.tls_key_file must be set together");
  return config;
}

std::map<std::string, std::string> balai_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (!kv.starts_with("BALAI_")) continue;
    const size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

std::string mask_url_password(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string describe_config(const core::Config& config) {
  std::string out;
  std::string section;
  for (const auto& s : settings()) {
    const size_t dot = s.key.find('.');
    const std::string sec = dot == std::string::npos ? "" : s.key.substr(0, dot);
    const std::string name = dot == std::string::npos ? s.key : s.key.substr(dot + 1);
    if (sec != section) {
      out += fmt::format("\n[{}]\n", sec);
      section = sec;
    }
    std::string value = s.show(config);
    if (s.key == "database.url")
      value = mask_url_password(value.empty() ? config.database_url() : value);
    if (s.quoted) {
      std::string escaped;
      for (char c : value) {
        if (c == '"' || c == '\\') escaped += '\\';
        escaped += c;
      }
      value = "\"" + escaped + "\"";
    }
    out += fmt::format("{} = {}\n", name, value);
  }
  return out;
}

}  // namespace balai::app
