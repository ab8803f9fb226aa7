// The history's chunks (migration 006_history_chunks, HistoryStore) on both backends: the
// roll-up packs each series' points of one UTC hour into one row, raw answers unpack them in
// order (numbers, text and structured values alike, across pages of chunks), retention drops
// whole chunks oldest first, and the migration turns the rows of the old one-row-per-point
// table into chunks without losing one.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "app/runtime.h"
#include "db/migrator.h"
#include "modules/city/history.h"
#include "modules/city/history_store.h"
#include "support/databases.h"

namespace balai {
namespace {

using testing::DatabaseTest;

constexpr int64_t kHour = city::kHourMs;
// 2026-11-28T00:00:00Z: a whole hour.
constexpr int64_t kStart = 1'795'824'000'000;

class CityHistoryChunks : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
  }

  // Every migration, or every one but the chunks' (the schema a database had before it).
  void migrate(bool with_chunks = true) {
    auto all = app::Runtime::all_migrations();
    std::vector<db::Migration> chosen;
    for (auto& m : all)
      if (with_chunks || !(m.module == "city" && m.version >= 6)) chosen.push_back(m);
    auto report = db::migrate(db(), chosen);
    ASSERT_TRUE(report.ok()) << report.error().message;
  }

  int64_t entity(const std::string& id) {
    int64_t key = 0;
    auto status = db().transact([&](db::Connection& conn) -> core::Status {
      auto rows = conn.query(
          "INSERT INTO city_entities (service, service_path, entity_id, entity_type, attrs_json, "
          "created_ms, modified_ms) VALUES ('', '/', ?, 'WaterLevelObserved', '{}', 0, 0) "
          "RETURNING id",
          {id});
      if (!rows) return rows.take_error();
      key = (*rows)[0].int64(0);
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return key;
  }

  // A point as append_history writes it: a number, or any other value as JSON text.
  void add(std::string_view table, int64_t key, std::string_view attr, int64_t at,
           const boost::json::value& value) {
    db::Value number;
    db::Value text;
    if (value.is_number())
      number = value.to_number<double>();
    else
      text = boost::json::serialize(value);
    auto r =
        db::execute(db(),
                    "INSERT INTO " + std::string(table) +
                        " (entity_key, attr, observed_ms, number, text) VALUES (?, ?, ?, ?, ?)",
                    {key, attr, at, number, text});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  int64_t count(const std::string& sql) {
    auto rows = db().query(sql);
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    return rows.ok() && !rows->empty() && !(*rows)[0].is_null(0) ? (*rows)[0].int64(0) : -1;
  }

  city::RawSeries raw(int64_t key, std::string_view attr, int64_t from, int64_t to,
                      size_t limit = 1'000) {
    city::HistoryWindow window;
    window.from = core::Timestamp{from};
    window.to = core::Timestamp{to};
    auto series = city::HistoryStore(db()).raw(key, attr, window, limit);
    EXPECT_TRUE(series.ok()) << series.error().message;
    return series.ok() ? std::move(series).value() : city::RawSeries{};
  }
};

TEST_P(CityHistoryChunks, RollUpPacksEachSeriesHourIntoOneChunk) {
  migrate();
  const int64_t gauge = entity("kali-madiun-01");
  const int64_t panic = entity("panic-01");
  // Out of order on purpose: the chunk keeps them by time.
  add("city_history_incoming", gauge, "waterLevel", kStart + 3'000, 152.5);
  add("city_history_incoming", gauge, "waterLevel", kStart + 1'000, 150);
  add("city_history_incoming", gauge, "waterLevel", kStart + kHour + 5, 170.25);
  add("city_history_incoming", panic, "category", kStart + 2'000, "fire");
  add("city_history_incoming", panic, "detail", kStart + 2'000,
      boost::json::object{{"zone", "B"}, {"people", 3}});
  auto moved = city::HistoryStore(db()).roll_up(100);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->rows, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_chunks"), 4) << "two hours of the gauge";
  EXPECT_EQ(count("SELECT SUM(points) FROM city_history_chunks"), 5);
  EXPECT_EQ(count("SELECT SUM(numbers) FROM city_history_chunks"), 3);
  EXPECT_EQ(count("SELECT first_ms FROM city_history_chunks WHERE points = 2"), kStart + 1'000);
  EXPECT_EQ(count("SELECT last_ms FROM city_history_chunks WHERE points = 2"), kStart + 3'000);

  auto levels = raw(gauge, "waterLevel", kStart, kStart + 2 * kHour);
  ASSERT_EQ(levels.points.size(), 3u);
  EXPECT_FALSE(levels.truncated);
  EXPECT_EQ(levels.points[0].observed_ms, kStart + 1'000);
  EXPECT_EQ(levels.points[0].value, boost::json::value(150.0));
  EXPECT_EQ(levels.points[1].value, boost::json::value(152.5));
  EXPECT_EQ(levels.points[2].value, boost::json::value(170.25));
  // A window inside a chunk takes its part only.
  auto middle = raw(gauge, "waterLevel", kStart + 2'000, kStart + kHour);
  ASSERT_EQ(middle.points.size(), 1u);
  EXPECT_EQ(middle.points[0].observed_ms, kStart + 3'000);

  auto category = raw(panic, "category", kStart, kStart + kHour);
  ASSERT_EQ(category.points.size(), 1u);
  EXPECT_EQ(category.points[0].value, boost::json::value("fire"));
  auto detail = raw(panic, "detail", kStart, kStart + kHour);
  ASSERT_EQ(detail.points.size(), 1u);
  EXPECT_EQ(detail.points[0].value, (boost::json::object{{"zone", "B"}, {"people", 3}}));
}

TEST_P(CityHistoryChunks, RawMergesChunksAndIncomingRowsInTimeOrderAcrossPages) {
  migrate();
  const int64_t gauge = entity("kali-madiun-01");
  // 300 hours with one point each: 300 chunks, more than one page of them.
  for (int h = 0; h < 300; ++h)
    add("city_history_incoming", gauge, "waterLevel", kStart + h * kHour, h);
  ASSERT_TRUE(city::HistoryStore(db()).roll_up(1'000).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_chunks"), 300);
  // A late point, still incoming, between two rolled-up ones; and one at the same time as a
  // rolled-up point (which arrived first and comes first).
  add("city_history_incoming", gauge, "waterLevel", kStart + 10 * kHour + 1, 1'000);
  add("city_history_incoming", gauge, "waterLevel", kStart + 11 * kHour, 2'000);

  auto all = raw(gauge, "waterLevel", kStart, kStart + 400 * kHour);
  ASSERT_EQ(all.points.size(), 302u);
  EXPECT_FALSE(all.truncated);
  for (size_t i = 1; i < all.points.size(); ++i)
    EXPECT_LE(all.points[i - 1].observed_ms, all.points[i].observed_ms) << i;
  EXPECT_EQ(all.points[11].value, boost::json::value(1'000.0));
  EXPECT_EQ(all.points[12].value, boost::json::value(11.0));
  EXPECT_EQ(all.points[13].value, boost::json::value(2'000.0));
  EXPECT_EQ(all.points[301].value, boost::json::value(299.0));

  auto first = raw(gauge, "waterLevel", kStart, kStart + 400 * kHour, 10);
  ASSERT_EQ(first.points.size(), 10u);
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.points[9].value, boost::json::value(9.0));
  // A limit past the first page's chunks still answers in order.
  auto many = raw(gauge, "waterLevel", kStart + 5 * kHour, kStart + 400 * kHour, 280);
  ASSERT_EQ(many.points.size(), 280u);
  EXPECT_TRUE(many.truncated);
  EXPECT_EQ(many.points[0].value, boost::json::value(5.0));
  EXPECT_EQ(many.points[279].value, boost::json::value(282.0));
}

TEST_P(CityHistoryChunks, RetentionDeletesWholeChunksOldestFirst) {
  migrate();
  const int64_t gauge = entity("kali-madiun-01");
  for (int h = 0; h < 3; ++h)
    for (int i = 0; i < 4; ++i)
      add("city_history_incoming", gauge, "waterLevel", kStart + h * kHour + i * 1'000, 100 + h);
  ASSERT_TRUE(city::HistoryStore(db()).roll_up(1'000).ok());
  city::HistoryStore store(db());
  // Before the cutoff: the first hour's chunk entirely; the second's last point is not.
  auto gone = store.delete_raw_before(kStart + kHour + 3'000, 10);
  ASSERT_TRUE(gone.ok()) << gone.error().message;
  EXPECT_EQ(gone->chunks, 1);
  EXPECT_EQ(gone->points, 4);
  gone = store.delete_raw_before(kStart + 3 * kHour, 1);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->chunks, 1);
  auto left = raw(gauge, "waterLevel", kStart, kStart + 3 * kHour);
  ASSERT_EQ(left.points.size(), 4u) << "the oldest went first";
  EXPECT_EQ(left.points[0].value, boost::json::value(102.0));
}

TEST_P(CityHistoryChunks, MigrationTurnsRolledUpRowsIntoChunks) {
  migrate(/*with_chunks=*/false);
  const int64_t gauge = entity("kali-madiun-01");
  const int64_t panic = entity("panic-01");
  add("city_history", gauge, "waterLevel", kStart + 2'000, 151);
  add("city_history", gauge, "waterLevel", kStart + 1'000, 150.125);
  add("city_history", gauge, "waterLevel", kStart + kHour, 160);
  add("city_history", panic, "category", kStart, "fire");
  add("city_history_incoming", gauge, "waterLevel", kStart + 3'000, 152);
  migrate();
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_chunks"), 3);
  EXPECT_EQ(count("SELECT SUM(points) FROM city_history_chunks"), 4);
  EXPECT_EQ(count("SELECT SUM(numbers) FROM city_history_chunks"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 1) << "incoming rows stay";
  auto levels = raw(gauge, "waterLevel", kStart, kStart + kHour);
  ASSERT_EQ(levels.points.size(), 4u);
  EXPECT_EQ(levels.points[0].value, boost::json::value(150.125));
  EXPECT_EQ(levels.points[1].value, boost::json::value(151.0));
  EXPECT_EQ(levels.points[2].value, boost::json::value(152.0));
  EXPECT_EQ(levels.points[3].value, boost::json::value(160.0));
  auto category = raw(panic, "category", kStart, kStart + kHour);
  ASSERT_EQ(category.points.size(), 1u);
  EXPECT_EQ(category.points[0].value, boost::json::value("fire"));
  auto old_table = db().query("SELECT COUNT(*) FROM city_history");
  EXPECT_FALSE(old_table.ok()) << "the old table is gone";
}

BALAI_INSTANTIATE_DATABASE_TESTS(CityHistoryChunks);

}  // namespace
}  // namespace balai
