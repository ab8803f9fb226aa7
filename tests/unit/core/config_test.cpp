#include "core/config.h"

#include <gtest/gtest.h>

namespace balai::core {
namespace {

TEST(Config, DatabaseUrlDefaultsToSqliteInTheDataDirectory) {
  Config c;
  c.data_dir = "/srv/balai";
  EXPECT_EQ(c.database_url(), "sqlite:/srv/balai/balai.db");
}

TEST(Config, DatabaseUrlIsTheConfiguredOneWhenSet) {
  Config c;
  c.database.url = "postgresql://balai@db:5432/balai";
  EXPECT_EQ(c.database_url(), "postgresql://balai@db:5432/balai");
}

}  // namespace
}  // namespace balai::core
