// `balai device add` as an operator uses it: a real process on a fresh data directory. The
// device's credentials are printed once and work: the token files readings for its entity.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "security/secret_token.h"
#include "support/cli_process.h"

namespace balai::testing {
namespace {

std::string line_value(const std::string& text, std::string_view label) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(label)) return line.substr(label.size());
  return "";
}

class CliDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("BALAI_BIN");
    cli_ = std::make_unique<CliProcess>(bin ? bin : BALAI_BIN_PATH, "dev");
  }
  CliOutcome run(const std::vector<std::string>& args) { return cli_->run(args); }
  std::unique_ptr<CliProcess> cli_;
};

TEST_F(CliDevice, AddPrintsTheDeviceItsTokenAndItsMqttTopicOnce) {
  const auto added = run({"device", "add", "--type", "WaterLevelObserved", "--entity",
                          "kali-madiun-01", "--agency", "dpupr"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string device = line_value(added.out, "device: ");
  EXPECT_TRUE(device.starts_with("dev-")) << added.out;
  EXPECT_EQ(line_value(added.out, "entity: "), "kali-madiun-01 (WaterLevelObserved)");
  const std::string token = line_value(added.out, "token: ");
  EXPECT_TRUE(security::looks_like_token(token, "bt_")) << added.out;
  EXPECT_EQ(line_value(added.out, "mqtt user: "), device);
  EXPECT_EQ(line_value(added.out, "mqtt topic: "), "balai/v1/devices/" + device + "/readings");
  EXPECT_NE(added.out.find("only once"), std::string::npos);

  // The token is listed as a device token, never shown again.
  const auto listed = run({"token", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(device), std::string::npos);
  EXPECT_NE(listed.out.find("device"), std::string::npos);
  EXPECT_EQ(listed.out.find(token), std::string::npos);

  // A second device for the same entity gets its own credentials.
  const auto second =
      run({"device", "add", "--type", "WaterLevelObserved", "--entity", "kali-madiun-01"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(line_value(second.out, "device: "), device);
}

TEST_F(CliDevice, RefusesAnUnknownTypeAndABadEntityIdNamingThem) {
  const auto type = run({"device", "add", "--type", "Toaster", "--entity", "dapur-1"});
  EXPECT_NE(type.exit_code, 0);
  EXPECT_NE(type.err.find("type"), std::string::npos) << type.err;
  const auto entity =
      run({"device", "add", "--type", "WeatherObserved", "--entity", "bad id;drop"});
  EXPECT_NE(entity.exit_code, 0);
  EXPECT_NE(entity.err.find("entity"), std::string::npos) << entity.err;
  const auto missing = run({"device", "add", "--type", "WeatherObserved"});
  EXPECT_NE(missing.exit_code, 0);
}

}  // namespace
}  // namespace balai::testing
