// The real server over real HTTP on each database backend (SQLite always, PostgreSQL when
// BALAI_TEST_PG is set): migrations, demo seed, reads and the readiness probe.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

class ServerOnBackend : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    // The harness opens its own connections from the URL; SQLite uses the harness's own file.
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>(std::function<void(core::Config&)>{}, url);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(ServerOnBackend, IsReadyWhenTheDatabaseAnswers) {
  EXPECT_EQ(server_->get("/readyz").status, 200);
}

TEST_P(ServerOnBackend, ServesTheSeededCatalog) {
  const auto r = server_->get("/api/v1/services?category=identity");
  ASSERT_EQ(r.status, 200);
  const auto body = boost::json::parse(r.body);
  const auto& services = body.at("services").as_array();
  ASSERT_EQ(services.size(), 2u);
  EXPECT_EQ(services[0].at("code").as_string(), "identitas");
  EXPECT_EQ(services[1].at("code").as_string(), "akta-kelahiran");
}

TEST_P(ServerOnBackend, ServesAServiceAndItsPage) {
  EXPECT_EQ(server_->get("/api/v1/services/pajak-daerah").status, 200);
  const auto page = server_->get("/layanan/pajak-daerah?lang=en");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Regional Tax"), std::string::npos);
  EXPECT_EQ(server_->get("/api/v1/services/tidak-ada").status, 404);
}

TEST_P(ServerOnBackend, SeedingTwiceChangesNothing) {
  ASSERT_TRUE(server_->runtime().seed_demo().ok());
  const auto r = server_->get("/api/v1/services?q=akta");
  const auto body = boost::json::parse(r.body);
  EXPECT_EQ(body.at("services").as_array().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerOnBackend, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
