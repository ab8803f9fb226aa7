// sensors.mqtt_url: the broker addresses an operator writes, and the ones refused.
#include "modules/city/mqtt_bridge.h"

#include <gtest/gtest.h>

namespace balai::city {
namespace {

TEST(BrokerOptions, ReadsHostAndPortWithTheSchemesDefaults) {
  auto plain = broker_options("mqtt://broker.madiunkota.go.id", "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->host, "broker.madiunkota.go.id");
  EXPECT_EQ(plain->port, 1883);
  EXPECT_FALSE(plain->tls_ca_file);

  auto port = broker_options("mqtt://127.0.0.1:18830/", "");
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(port->host, "127.0.0.1");
  EXPECT_EQ(port->port, 18830);

  auto tls = broker_options("mqtts://broker.local", "/etc/balai/ca.pem");
  ASSERT_TRUE(tls.ok());
  EXPECT_EQ(tls->port, 8883);
  EXPECT_EQ(tls->tls_ca_file, "/etc/balai/ca.pem");

  auto v6 = broker_options("mqtt://[::1]:1884", "");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 1884);
}

TEST(BrokerOptions, RefusesWhatIsNotABrokerAddress) {
  for (const char* url : {"", "broker:1883", "http://broker", "mqtt://", "mqtt://:1883",
                          "mqtt://host:", "mqtt://host:0", "mqtt://host:65536", "mqtt://host:x",
                          "mqtt://user@host", "mqtt://host/path", "mqtt://[::1", "mqtt://[::1]x"}) {
    auto o = broker_options(url, "");
    ASSERT_FALSE(o.ok()) << url;
    EXPECT_EQ(o.error().code, core::ErrorCode::validation_failed) << url;
  }
  // TLS without the CA that signs the broker's certificate: refused, never unverified.
  auto tls = broker_options("mqtts://broker.local", "");
  ASSERT_FALSE(tls.ok());
  EXPECT_NE(tls.error().message.find("mqtt_ca_file"), std::string::npos);
}

}  // namespace
}  // namespace balai::city
