#include "app/commands.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/admin_commands.h"
#include "app/config_loader.h"
#include "app/demo_sensors.h"
#include "app/runtime.h"
#include "core/log.h"
#include "security/reencryption.h"

namespace balai::app {
namespace {

constexpr std::string_view kVersion = "0.1.0";

int fail(const core::Error& e) {
  core::log::flush();
  std::fprintf(stderr, "balai: %s\n", e.message.c_str());
  return 1;
}

core::Result<core::Config> config_from(const std::string& path) {
  auto env = balai_environment();
  std::string file = path;
  if (file.empty()) {
    if (auto it = env.find("BALAI_CONFIG"); it != env.end()) file = it->second;
  }
  return load_config(file, env);
}

int cmd_migrate(const core::Config& config) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  auto report = (*rt)->migrate();
  if (!report) return fail(report.error());
  for (const auto& m : report->applied) std::printf("applied %s\n", m.c_str());
  std::printf("%zu applied, %d already applied\n", report->applied.size(), report->already_applied);
  return 0;
}

int cmd_seed(const core::Config& config) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  auto report = (*rt)->migrate();
  if (!report) return fail(report.error());
  auto seeded = (*rt)->seed_demo();
  if (!seeded) return fail(seeded.error());
  std::printf("demo city seeded: %s (%s)\n", config.city.name.c_str(),
              config.city.region_code.c_str());
  return 0;
}

int cmd_serve(const core::Config& config, bool migrate, bool demo) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  if (migrate) {
    auto report = (*rt)->migrate();
    if (!report) return fail(report.error());
  } else {
    auto checked = db::check_migrations((*rt)->database(), Runtime::all_migrations());
    if (!checked) return fail(checked.error());
  }
  if (demo) {
    auto seeded = (*rt)->seed_demo();
    if (!seeded) return fail(seeded.error());
  }
  auto started = (*rt)->start_server();
  if (!started) return fail(started.error());
  (*rt)->server().handle_signals();  // before the announcement: tests and scripts signal at once
  const auto& server = config.server;
  const std::string url = fmt::format("{}://{}:{}/", (*rt)->server().tls() ? "https" : "http",
                                      server.host, (*rt)->server().port());
  // Printed on stdout for people and scripts (tests read the port from it).
  std::printf("Balai is listening on %s\n", url.c_str());
  if (!server.public_url.empty()) std::printf("Public URL: %s\n", server.public_url.c_str());
  std::fflush(stdout);
  (*rt)->server().run();
  core::log::flush();
  return 0;
}

int cmd_keys_rotate(const core::Config& config) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  auto rotated = (*rt)->keyring().rotate(config.keyring_path(), core::SystemClock{}.now());
  if (!rotated) return fail(rotated.error());
  auto migrated = (*rt)->migrate();
  if (!migrated) return fail(migrated.error());
  // Running servers pick the new key up by themselves: a ciphertext under a key they do not
  // know makes them read the ring file again, and they look at it every few seconds anyway.
  auto report = security::reencrypt((*rt)->database(), (*rt)->security().cipher,
                                    Runtime::encrypted_columns());
  if (!report) return fail(report.error());
  security::AuditEntry entry;
  entry.at = core::SystemClock{}.now();
  entry.action = "keys.rotate";
  entry.object_type = "keyring";
  entry.object_id = std::to_string((*rt)->keyring().active_key_id());
  auto audited = (*rt)->audit().append((*rt)->database(), entry);
  if (!audited) return fail(audited.error());
  std::printf(
      "new data key %u is active; %lld fields re-encrypted (%lld of %lld examined were "
      "changed meanwhile, %lld unreadable)\n",
      (*rt)->keyring().active_key_id(), static_cast<long long>(report->reencrypted),
      static_cast<long long>(report->skipped), static_cast<long long>(report->examined),
      static_cast<long long>(report->unreadable));
  std::printf(
      "run `balai keys reencrypt` again after %d s to catch rows that running servers "
      "wrote with the old key meanwhile\n",
      static_cast<int>(security::KeyRing::kRefreshEveryMs / 1000));
  return report->unreadable == 0 ? 0 : 1;
}

int cmd_keys_reencrypt(const core::Config& config) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  auto migrated = (*rt)->migrate();
  if (!migrated) return fail(migrated.error());
  auto report = security::reencrypt((*rt)->database(), (*rt)->security().cipher,
                                    Runtime::encrypted_columns());
  if (!report) return fail(report.error());
  std::printf("%lld fields re-encrypted under key %u (%lld examined, %lld unreadable)\n",
              static_cast<long long>(report->reencrypted), (*rt)->keyring().active_key_id(),
              static_cast<long long>(report->examined), static_cast<long long>(report->unreadable));
  return report->unreadable == 0 ? 0 : 1;
}

int cmd_keys_list(const core::Config& config) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  for (const auto& k : (*rt)->keyring().data_keys()) {
    std::printf("key %u  created %s%s\n", k.id,
                core::format_iso8601(k.created_at, config.city.zone).c_str(),
                k.active ? "  (active)" : "");
  }
  return 0;
}

int cmd_audit_verify(const core::Config& config) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  auto checked = db::check_migrations((*rt)->database(), Runtime::all_migrations());
  if (!checked) return fail(checked.error());
  auto v = (*rt)->audit().verify((*rt)->database());
  if (!v) return fail(v.error());
  if (!v->ok) {
    std::fprintf(stderr, "balai: audit log is NOT intact: entry %lld: %s\n",
                 static_cast<long long>(v->first_bad_seq.value_or(0)), v->problem.c_str());
    return 1;
  }
  std::printf("audit log intact: %lld entries, %lld signed checkpoints\n",
              static_cast<long long>(v->entries), static_cast<long long>(v->checkpoints));
  return 0;
}

int cmd_audit_checkpoint(const core::Config& config, bool do_export) {
  auto rt = Runtime::open(config);
  if (!rt) return fail(rt.error());
  auto migrated = (*rt)->migrate();
  if (!migrated) return fail(migrated.error());
  auto made = (*rt)->audit().checkpoint((*rt)->database(), core::SystemClock{}.now());
  if (!made) return fail(made.error());
  auto cp = (*rt)->audit().latest_checkpoint((*rt)->database());
  if (!cp) return fail(cp.error());
  if (!*cp) {
    std::printf("the audit log is empty: nothing to sign\n");
    return 0;
  }
  const auto& c = **cp;
  if (do_export) {
    // A small JSON document the city can publish (web site, newspaper, another authority).
    std::printf(
        "{\"seq\":%lld,\"hash\":\"%s\",\"at\":\"%s\",\"signature\":\"%s\",\"public_key\":\"%s\","
        "\"algorithm\":\"Ed25519\"}\n",
        static_cast<long long>(c.seq), c.hash.c_str(), core::format_iso8601_utc(c.at).c_str(),
        c.signature.c_str(), c.public_key.c_str());
  } else {
    std::printf("checkpoint at entry %lld signed\n", static_cast<long long>(c.seq));
  }
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  // Files Balai creates (database, keys, uploads) hold personal data: owner-only.
  ::umask(077);
  CLI::App cli{"Balai: one portal for a city's public services"};
  cli.require_subcommand(1);
  std::string config_path;
  cli.add_option("-c,--config", config_path, "TOML configuration file (default: $BALAI_CONFIG)");

  auto* serve = cli.add_subcommand("serve", "Start the web server");
  bool no_migrate = false, demo = false;
  serve->add_flag("--no-migrate", no_migrate, "Do not apply pending migrations at start");
  serve->add_flag("--demo", demo, "Seed the demo city before serving");
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  auto* config = cli.add_subcommand("config", "Configuration tools");
  config->require_subcommand(1);
  auto* check =
      config->add_subcommand("check", "Print the effective configuration (secrets masked)");
  auto* demo_cmd = cli.add_subcommand("demo", "Demo data");
  demo_cmd->require_subcommand(1);
  auto* seed = demo_cmd->add_subcommand("seed", "Seed the demo city (idempotent)");
  auto* sensors = demo_cmd->add_subcommand(
      "sensors", "Simulate the demo city's devices over MQTT (sensors.mqtt_url) until Ctrl-C");
  int sensors_interval = 10, sensors_rounds = 0;
  sensors->add_option("--interval", sensors_interval, "Seconds between readings (default 10)")
      ->check(CLI::Range(1, 3600));
  sensors->add_option("--rounds", sensors_rounds, "Stop after this many rounds (default: never)")
      ->check(CLI::Range(0, 1'000'000));
  auto* version = cli.add_subcommand("version", "Print the version");
  auto* keys = cli.add_subcommand("keys", "The key ring that encrypts personal data");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand("rotate", "Add a new data key and make it active");
  auto* keys_list = keys->add_subcommand("list", "List the data keys (never their material)");
  auto* keys_reencrypt = keys->add_subcommand(
      "reencrypt", "Re-encrypt fields still under an older key with the active key");
  auto* audit = cli.add_subcommand("audit", "The tamper-evident audit log");
  audit->require_subcommand(1);
  auto* audit_verify =
      audit->add_subcommand("verify", "Check the chain and the signed checkpoints");
  auto* audit_checkpoint =
      audit->add_subcommand("checkpoint", "Sign a checkpoint of the chain's head now");
  bool export_checkpoint = false;
  audit_checkpoint->add_flag("--export", export_checkpoint, "Print it as JSON for publication");
  const AdminCommands admin(cli);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  if (version->parsed()) {
    std::printf("balai %s\n", std::string(kVersion).c_str());
    return 0;
  }
  auto cfg = config_from(config_path);
  if (!cfg) return fail(cfg.error());
  if (check->parsed()) {
    std::printf("# effective configuration (defaults, then the file, then BALAI_* environment)\n%s",
                describe_config(*cfg).c_str());
    return 0;
  }
  if (migrate->parsed()) return cmd_migrate(*cfg);
  if (keys_rotate->parsed()) return cmd_keys_rotate(*cfg);
  if (keys_list->parsed()) return cmd_keys_list(*cfg);
  if (keys_reencrypt->parsed()) return cmd_keys_reencrypt(*cfg);
  if (audit_verify->parsed()) return cmd_audit_verify(*cfg);
  if (audit_checkpoint->parsed()) return cmd_audit_checkpoint(*cfg, export_checkpoint);
  if (seed->parsed()) return cmd_seed(*cfg);
  if (sensors->parsed()) return run_demo_sensors(*cfg, sensors_interval, sensors_rounds);
  if (auto code = admin.run(*cfg)) return *code;
  if (serve->parsed()) return cmd_serve(*cfg, !no_migrate, demo);
  return 2;
}

}  // namespace balai::app
