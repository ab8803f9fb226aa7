// `balai demo sensors` against a real Mosquitto and a running Balai: the command registers a
// device per demo sensor, rewrites the broker's files, connects each device with its own
// credentials and publishes; the server stores every reading it receives.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "modules/city/broker_files.h"
#include "modules/city/demo.h"
#include "modules/city/mqtt_bridge.h"
#include "modules/city/service.h"
#include "support/cli_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_inbox.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kBalaiPassword = "demo-sensors-test-password-0123456789";

TEST(CliDemoSensors, PublishesEveryDemoSensorsReadingsAndTheServerStoresThem) {
  if (!MosquittoBroker::available()) GTEST_SKIP() << "mosquitto is not installed";
  MosquittoBroker::Options options;
  options.allow_anonymous = false;
  options.password_file = city::password_file_line("balai", kBalaiPassword) + "\n";
  options.acl_file = city::acl_file({}, "balai");
  MosquittoBroker broker(options);
  const char* bin = std::getenv("BALAI_BIN");
  CliProcess cli(bin ? bin : BALAI_BIN_PATH, "demo-sensors");
  const std::filesystem::path data = cli.dir() / "data";
  std::filesystem::create_directories(data);
  const std::filesystem::path password = cli.dir() / "balai-mqtt-password";
  std::ofstream(password) << kBalaiPassword << "\n";
  const std::string url = "mqtt://127.0.0.1:" + std::to_string(broker.port());

  // The server shares the command's data directory (database and key ring).
  ServerHarness server(
      [&](core::Config& c) {
        c.data_dir = data.string();
        c.sensors.mqtt_url = url;
        c.sensors.mqtt_password_file = password.string();
        c.sensors.broker_password_file = broker.password_path().string();
        c.sensors.broker_acl_file = broker.acl_path().string();
        c.sensors.broker_pid_file = broker.pid_path().string();
      },
      std::string{}, /*seed_demo=*/false);
  app::App& app = server.runtime().app();
  ASSERT_TRUE(eventually([&] { return city::mqtt_bridge_of(app)->connected(); })) << broker.log();

  const std::filesystem::path config = cli.dir() / "balai.toml";
  std::ofstream(config) << "[sensors]\nmqtt_url = \"" << url << "\"\nmqtt_password_file = \""
                        << password.string() << "\"\nbroker_password_file = \""
                        << broker.password_path().string() << "\"\nbroker_acl_file = \""
                        << broker.acl_path().string() << "\"\nbroker_pid_file = \""
                        << broker.pid_path().string() << "\"\n";
  const auto ran =
      cli.run({"-c", config.string(), "demo", "sensors", "--rounds", "2", "--interval", "1"});
  ASSERT_EQ(ran.exit_code, 0) << ran.err << ran.out;
  const size_t sensors = city::demo_sensors().size();
  EXPECT_NE(ran.out.find(std::to_string(sensors) + " devices connected"), std::string::npos)
      << ran.out;
  const size_t per_round = city::demo_readings(core::Zone::wib, 0).size();
  EXPECT_NE(ran.out.find("published " + std::to_string(per_round) + " readings"),
            std::string::npos)
      << ran.out;

  // Two rounds of every sensor's readings, all accepted (the seed ran in the command's process,
  // so the server's counters hold the MQTT readings only).
  city::ContextService& context = city::service_of(app);
  EXPECT_TRUE(eventually([&] { return context.counts().accepted >= int64_t(2 * per_round); }))
      << context.counts().accepted << " of " << 2 * per_round;
  EXPECT_TRUE(context.counts().rejected.empty());
  // The devices' credentials are kept for the next run, owner-only.
  const auto kept = data / "demo-devices.json";
  ASSERT_TRUE(std::filesystem::exists(kept));
  EXPECT_EQ(std::filesystem::status(kept).permissions() &
                (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  // A second run reuses them: no new devices.
  const auto again =
      cli.run({"-c", config.string(), "demo", "sensors", "--rounds", "1", "--interval", "1"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto users = context.broker_users();
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), sensors);
}

TEST(CliDemoSensors, RefusesToRunWithoutABroker) {
  const char* bin = std::getenv("BALAI_BIN");
  CliProcess cli(bin ? bin : BALAI_BIN_PATH, "demo-sensors-none");
  const auto ran = cli.run({"demo", "sensors", "--rounds", "1"});
  EXPECT_EQ(ran.exit_code, 1);
  EXPECT_NE(ran.err.find("sensors.mqtt_url"), std::string::npos) << ran.err;
}

}  // namespace
}  // namespace balai::testing
