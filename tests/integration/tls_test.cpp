// Built-in TLS: HTTPS with a certificate, TLS 1.2 minimum, HSTS, and the plain-HTTP redirect.
// Uses the openssl and curl command-line tools (installed by scripts/install-deps).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "core/ids.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {
namespace fs = std::filesystem;

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("balai-tls-" + core::random_hex_id().substr(0, 8));
    fs::create_directories(dir_);
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout " +
        (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() + " 2>/dev/null");
    ASSERT_TRUE(fs::exists(dir_ / "cert.pem"));
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(Tls, ServesHttpsWithHsts) {
  ServerHarness server(
      [this](core::Config& c) {
        c.server.tls_cert_file = (dir_ / "cert.pem").string();
        c.server.tls_key_file = (dir_ / "key.pem").string();
      },
      {}, false);
  std::string out = run(
      "curl -sk -D - -o /dev/null https://127.0.0.1:" + std::to_string(server.port()) + "/healthz");
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(out.find("http/1.1 200"), std::string::npos) << out;
  EXPECT_NE(out.find("strict-transport-security: max-age="), std::string::npos) << out;
}

TEST_F(Tls, RefusesTls11) {
  ServerHarness server(
      [this](core::Config& c) {
        c.server.tls_cert_file = (dir_ / "cert.pem").string();
        c.server.tls_key_file = (dir_ / "key.pem").string();
      },
      {}, false);
  const std::string code =
      run("curl -sk --tlsv1.1 --tls-max 1.1 -o /dev/null -w '%{http_code}' https://127.0.0.1:" +
          std::to_string(server.port()) + "/healthz");
  EXPECT_EQ(code, "000");
  const std::string ok =
      run("curl -sk --tlsv1.2 --tls-max 1.2 -o /dev/null -w '%{http_code}' https://127.0.0.1:" +
          std::to_string(server.port()) + "/healthz");
  EXPECT_EQ(ok, "200");
}

TEST_F(Tls, RedirectsPlainHttpToHttps) {
  // A free port for the redirect listener: bind to 0, read it, release it.
  uint16_t plain_port = 0;
  {
    ServerHarness probe({}, {}, false);
    plain_port = probe.port();
  }
  ServerHarness server(
      [&](core::Config& c) {
        c.server.tls_cert_file = (dir_ / "cert.pem").string();
        c.server.tls_key_file = (dir_ / "key.pem").string();
        c.server.redirect_http_port = plain_port;
        c.server.public_url = "https://layanan.example.go.id/";
      },
      {}, false);
  // The Host header is the client's to choose; the redirect must not follow it.
  std::string out = run("curl -s -D - -o /dev/null -H 'Host: evil.example' 'http://127.0.0.1:" +
                        std::to_string(plain_port) + "/layanan/ktp?x=1'");
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(out.find("http/1.1 308"), std::string::npos) << out;
  EXPECT_NE(out.find("location: https://layanan.example.go.id/layanan/ktp?x=1"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("evil.example"), std::string::npos) << out;
}

TEST(TlsConfig, FailsToStartWithAMissingCertificate) {
  EXPECT_THROW(ServerHarness(
                   [](core::Config& c) {
                     c.server.tls_cert_file = "/nonexistent/cert.pem";
                     c.server.tls_key_file = "/nonexistent/key.pem";
                   },
                   {}, false),
               std::runtime_error);
}

}  // namespace
}  // namespace balai::testing
