// The history API (GET /api/v1/city/entities/{id}/history) and its jobs on both backends:
// readings posted over HTTP by a device, answered raw and by minute and hour in JSON and CSV,
// complete before and after the roll-up job (late readings merge into buckets already rolled
// up); retention deletes by age and never what is not rolled up; every refusal.
//
// The jobs are run the way the housekeeping thread runs them: the test takes the Job the
// module registered (app.jobs, by name) and calls it, with a later `now` where retention needs
// time to pass; Runtime::housekeeping_once() runs them all once more to show they are wired.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <sstream>
#include <thread>

#include "modules/city/history.h"
#include "modules/city/history_store.h"
#include "modules/city/ngsi_json.h"
#include "modules/city/service.h"
#include "security/api_tokens.h"
#include "support/auth_helpers.h"
#include "support/databases.h"
#include "support/mqtt_inbox.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

using Headers = std::map<std::string, std::string>;

boost::json::value parse(const HttpReply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  return ec ? boost::json::value() : v;
}

std::string iso(int64_t ms) {
  return core::format_iso8601_utc(core::Timestamp{ms});
}

// The error's field of an /api/v1 error body ("" when none).
std::string error_field(const HttpReply& r) {
  const auto v = parse(r);
  if (!v.is_object() || !v.as_object().contains("error")) return "not an error body: " + r.body;
  const auto& e = v.at("error").as_object();
  if (!e.contains("fields") || e.at("fields").as_object().empty()) return "";
  return std::string(e.at("fields").as_object().begin()->key());
}

class CityHistory : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>(
        [](core::Config& c) {
          c.sensors.history_raw_days = 2;
          c.sensors.history_minute_days = 4;
          c.sensors.history_hour_days = 6;
          c.sensors.history_rollup_rows = 1'000;
        },
        url, seed_demo());
    auto river = context().add_device("WaterLevelObserved", "kali-madiun-01", "dpupr");
    ASSERT_TRUE(river.ok()) << river.error().message;
    river_ = river->token;
    auto panic = context().add_device("SecurityIncident", "panic-01", "");
    ASSERT_TRUE(panic.ok()) << panic.error().message;
    panic_ = panic->token;
    auto air = context().add_device("AirQualityObserved", "aqms-taman", "dlh");
    ASSERT_TRUE(air.ok()) << air.error().message;
    air_ = air->token;
    auto token = server_->runtime().security().tokens.create(
        security::NewApiToken{"Command centre", security::Role::integrator, "", {}}, now());
    ASSERT_TRUE(token.ok());
    integrator_ = token->token;
    // A whole UTC hour a day and a bit ago: old enough to test buckets, young enough to keep.
    hour_ = city::bucket_start(now().ms - 30 * city::kHourMs, city::Resolution::hour);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  virtual bool seed_demo() const { return false; }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }
  core::Timestamp now() { return app().clock.now(); }

  // Posts readings {entity, attr, value (JSON text), observed ms} with a token; all must be taken.
  struct Point {
    std::string entity;
    std::string attr;
    std::string value;
    int64_t observed_ms;
  };
  void post(const std::string& token, const std::vector<Point>& points) {
    std::string items;
    for (const auto& p : points)
      items += std::string(items.empty() ? "" : ",") + R"({"entity":")" + p.entity +
               R"(","attr":")" + p.attr + R"(","value":)" + p.value + R"(,"observedAt":")" +
               iso(p.observed_ms) + R"("})";
    const auto r =
        server_->send("POST", "/api/v1/city/readings", R"({"readings":[)" + items + "]}",
                      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(parse(r).at("accepted").as_int64(), static_cast<int64_t>(points.size())) << r.body;
  }
  void level(double value, int64_t observed_ms) {
    std::ostringstream text;
    text << value;
    post(river_, {{"kali-madiun-01", "waterLevel", text.str(), observed_ms}});
  }

  HttpReply history(const std::string& id, const std::string& query, const std::string& token = {},
                    Headers headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return server_->get("/api/v1/city/entities/" + id + "/history?" + query, headers);
  }
  // The river's waterLevel over [from, to] at a resolution, as JSON points.
  boost::json::array points(int64_t from, int64_t to, std::string_view resolution) {
    const auto r =
        history("kali-madiun-01", "attr=waterLevel&from=" + iso(from) + "&to=" + iso(to) +
                                      "&resolution=" + std::string(resolution));
    EXPECT_EQ(r.status, 200) << r.body;
    const auto v = parse(r);
    if (!v.is_object() || !v.as_object().contains("points")) return {};
    return v.at("points").as_array();
  }

  void run_job(std::string_view name, core::Timestamp at) {
    for (const auto& job : app().jobs)
      if (job.name == name) return job.run(at);
    ADD_FAILURE() << "no job " << name;
  }
  void roll_up() { run_job("city.history_rollup", now()); }
  void expire(int64_t later_ms = 0) {
    run_job("city.history_retention", core::Timestamp{now().ms + later_ms});
  }

  int64_t count(const std::string& sql, const db::Params& params = {}) {
    auto rows = app().db.query(sql, params);
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().message);
    return rows.ok() ? (*rows)[0].int64(0) : -1;
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  std::string river_;
  std::string panic_;
  std::string air_;
  std::string integrator_;
  int64_t hour_ = 0;
};

constexpr int64_t kMinute = city::kMinuteMs;
constexpr int64_t kHour = city::kHourMs;
constexpr int64_t kDay = core::kDayMs;

// Field by field: a bucket point's start, count, min, max, avg.
void expect_bucket(const boost::json::value& p, int64_t start, int64_t n, double min, double max,
                   double avg) {
  EXPECT_EQ(p.at("t").as_string(), city::ngsi::format_date_time(start)) << p;
  EXPECT_EQ(p.at("count").to_number<int64_t>(), n) << p;
  EXPECT_DOUBLE_EQ(p.at("min").to_number<double>(), min) << p;
  EXPECT_DOUBLE_EQ(p.at("max").to_number<double>(), max) << p;
  EXPECT_DOUBLE_EQ(p.at("avg").to_number<double>(), avg) << p;
}

TEST_P(CityHistory, AnswersRawMinuteAndHourCompleteBeforeAndAfterTheRollUp) {
  post(river_, {{"kali-madiun-01", "waterLevel", "150", hour_ + 10'000},
                {"kali-madiun-01", "waterLevel", "154", hour_ + 40'000},
                {"kali-madiun-01", "waterLevel", "160.5", hour_ + kMinute + 5'000},
                {"kali-madiun-01", "waterLevel", "170", hour_ + kHour}});
  const int64_t from = hour_, to = hour_ + 2 * kHour - 1;
  auto check = [&](const char* when) {
    SCOPED_TRACE(when);
    const auto raw = points(from, to, "raw");
    ASSERT_EQ(raw.size(), 4u);
    EXPECT_EQ(raw[0].at("t").as_string(), city::ngsi::format_date_time(hour_ + 10'000));
    EXPECT_EQ(raw[0].at("value").to_number<double>(), 150);
    EXPECT_EQ(raw[2].at("value").to_number<double>(), 160.5);
    EXPECT_EQ(raw[3].at("t").as_string(), city::ngsi::format_date_time(hour_ + kHour));
    const auto minutes = points(from, to, "minute");
    ASSERT_EQ(minutes.size(), 3u);
    expect_bucket(minutes[0], hour_, 2, 150, 154, 152);
    expect_bucket(minutes[1], hour_ + kMinute, 1, 160.5, 160.5, 160.5);
    expect_bucket(minutes[2], hour_ + kHour, 1, 170, 170, 170);
    const auto hours = points(from, to, "hour");
    ASSERT_EQ(hours.size(), 2u);
    expect_bucket(hours[0], hour_, 3, 150, 160.5, 464.5 / 3);
    expect_bucket(hours[1], hour_ + kHour, 1, 170, 170, 170);
  };
  check("from raw history alone");
  EXPECT_EQ(count("SELECT COALESCE(SUM(points), 0) FROM city_history_chunks"), 0)
      << "all incoming before the roll-up";
  roll_up();
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 0);
  EXPECT_EQ(count("SELECT COALESCE(SUM(points), 0) FROM city_history_chunks"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_rollups"), 5);  // 3 minutes, 2 hours
  check("from the roll-ups");
  // The whole answer's head.
  const auto r = history("kali-madiun-01",
                         "attr=waterLevel&resolution=hour&from=" + iso(from) + "&to=" + iso(to));
  ASSERT_EQ(r.status, 200);
  const auto body = parse(r).as_object();
  EXPECT_EQ(body.at("entity").as_string(), "kali-madiun-01");
  EXPECT_EQ(body.at("type").as_string(), "WaterLevelObserved");
  EXPECT_EQ(body.at("attr").as_string(), "waterLevel");
  EXPECT_EQ(body.at("unit").as_string(), "CMT");
  EXPECT_EQ(body.at("unitLabel").as_string(), "cm");
  EXPECT_EQ(body.at("resolution").as_string(), "hour");
  EXPECT_EQ(body.at("from").as_string(), city::ngsi::format_date_time(from));
  EXPECT_EQ(body.at("to").as_string(), city::ngsi::format_date_time(to));
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=30");  // a public type
}

TEST_P(CityHistory, ALateReadingJoinsABucketAlreadyRolledUp) {
  level(150, hour_ + 10'000);
  level(154, hour_ + 40'000);
  roll_up();
  // Observed before the others, sent after the roll-up: the answer is complete at once...
  level(140, hour_ + 5'000);
  level(158, hour_ + 30 * kMinute);
  const int64_t from = hour_, to = hour_ + kHour - 1;
  auto minutes = points(from, to, "minute");
  ASSERT_EQ(minutes.size(), 2u);
  expect_bucket(minutes[0], hour_, 3, 140, 154, 148);
  expect_bucket(minutes[1], hour_ + 30 * kMinute, 1, 158, 158, 158);
  auto hours = points(from, to, "hour");
  ASSERT_EQ(hours.size(), 1u);
  expect_bucket(hours[0], hour_, 4, 140, 158, 150.5);
  // ...and the next roll-up adds it to the stored bucket instead of replacing it.
  roll_up();
  EXPECT_EQ(count("SELECT count FROM city_rollups WHERE resolution = 'minute' AND bucket_ms = ?",
                  {hour_}),
            3);
  EXPECT_EQ(
      count("SELECT count FROM city_rollups WHERE resolution = 'hour' AND bucket_ms = ?", {hour_}),
      4);
  hours = points(from, to, "hour");
  ASSERT_EQ(hours.size(), 1u);
  expect_bucket(hours[0], hour_, 4, 140, 158, 150.5);
  minutes = points(from, to, "minute");
  ASSERT_EQ(minutes.size(), 2u);
  expect_bucket(minutes[0], hour_, 3, 140, 154, 148);
}

TEST_P(CityHistory, AnswersCsvWhenAskedByParameterOrAcceptHeader) {
  level(150, hour_ + 10'000);
  level(153.25, hour_ + 70'000);
  roll_up();
  const std::string window = "&from=" + iso(hour_) + "&to=" + iso(hour_ + kHour - 1);
  auto r = history("kali-madiun-01", "attr=waterLevel&resolution=raw&format=csv" + window);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.header("content-disposition"),
            "attachment; filename=\"kali-madiun-01_waterLevel_raw.csv\"");
  EXPECT_EQ(r.body, "t,value\r\n" + city::ngsi::format_date_time(hour_ + 10'000) + ",150\r\n" +
                        city::ngsi::format_date_time(hour_ + 70'000) + ",153.25\r\n");
  r = history("kali-madiun-01", "attr=waterLevel&resolution=minute" + window, {},
              {{"Accept", "text/csv"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.body, "t,count,min,max,avg\r\n" + city::ngsi::format_date_time(hour_) +
                        ",1,150,150,150\r\n" + city::ngsi::format_date_time(hour_ + kMinute) +
                        ",1,153.25,153.25,153.25\r\n");
  r = history("kali-madiun-01", "attr=waterLevel&resolution=hour&format=csv" + window);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "t,count,min,max,avg\r\n" + city::ngsi::format_date_time(hour_) +
                        ",2,150,153.25,151.625\r\n");
  // JSON wins when asked for, by parameter or alongside.
  r = history("kali-madiun-01", "attr=waterLevel&format=json" + window, {},
              {{"Accept", "text/csv"}});
  EXPECT_EQ(r.header("content-type"), "application/json");
  r = history("kali-madiun-01", "attr=waterLevel" + window, {},
              {{"Accept", "application/json, text/csv"}});
  EXPECT_EQ(r.header("content-type"), "application/json");
}

TEST_P(CityHistory, DefaultsToTheLastDayByTheMinuteUpToNow) {
  const int64_t recent = now().ms - 10 * kMinute;
  level(120, recent);
  const auto r = history("kali-madiun-01", "attr=waterLevel");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = parse(r).as_object();
  EXPECT_EQ(body.at("resolution").as_string(), "minute");
  const auto from = core::parse_iso8601(body.at("from").as_string());
  const auto to = core::parse_iso8601(body.at("to").as_string());
  ASSERT_TRUE(from && to);
  EXPECT_EQ(to->ms - from->ms, kDay);
  ASSERT_EQ(body.at("points").as_array().size(), 1u);
  expect_bucket(body.at("points").as_array()[0],
                city::bucket_start(recent, city::Resolution::minute), 1, 120, 120, 120);
}

TEST_P(CityHistory, RetentionDeletesByAgeAndNeverWhatIsNotRolledUp) {
  const int64_t old_hour = city::bucket_start(now().ms - 5 * kDay, city::Resolution::hour);
  level(100, old_hour + 10'000);
  level(110, hour_ + 10'000);  // 30 hours old
  roll_up();
  // An old reading that arrives after the roll-up: retention must wait for the next one.
  level(90, old_hour + 20'000);
  expire();  // now: raw older than 2 days goes, minutes older than 4 days, hours older than 6
  auto raw = points(old_hour, now().ms, "raw");
  ASSERT_EQ(raw.size(), 2u);
  EXPECT_EQ(raw[0].at("value").to_number<double>(), 90);  // not rolled up yet: kept
  EXPECT_EQ(raw[1].at("value").to_number<double>(), 110);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_rollups WHERE resolution = 'minute'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_rollups WHERE resolution = 'hour'"), 2);
  // The old hour keeps its roll-up (and the late point, from raw, joins it).
  auto hours = points(old_hour, old_hour + kHour - 1, "hour");
  ASSERT_EQ(hours.size(), 1u);
  expect_bucket(hours[0], old_hour, 2, 90, 100, 95);
  EXPECT_TRUE(points(old_hour, old_hour + kHour - 1, "minute").size() == 1u);  // only the late one
  roll_up();
  expire();
  raw = points(old_hour, now().ms, "raw");
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].at("value").to_number<double>(), 110);
  EXPECT_TRUE(points(old_hour, old_hour + kHour - 1, "minute").empty());
  hours = points(old_hour, old_hour + kHour - 1, "hour");
  ASSERT_EQ(hours.size(), 1u);
  expect_bucket(hours[0], old_hour, 2, 90, 100, 95);
  // Two days later the old hour is past its 6 days; the recent one stays.
  expire(2 * kDay);
  EXPECT_TRUE(points(old_hour, old_hour + kHour - 1, "hour").empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_rollups WHERE resolution = 'hour'"), 1);
  // The housekeeping round runs both jobs too.
  level(111, hour_ + 20'000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 1);
  server_->runtime().housekeeping_once();
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 0);
}

TEST_P(CityHistory, JobsWorkInBoundedBatches) {
  std::vector<Point> batch;
  for (int i = 0; i < 7; ++i)
    batch.push_back({"kali-madiun-01", "waterLevel", std::to_string(100 + i), hour_ + i * 1000});
  post(river_, batch);
  post(panic_, {{"panic-01", "category", R"("fire")", hour_}});  // text: moved, not aggregated
  city::HistoryStore store(app().db);
  auto first = store.catch_up(city::JobLimits{3, 2});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 6);
  auto second = store.catch_up(city::JobLimits{3, 2});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 0);
  EXPECT_EQ(store.catch_up(city::JobLimits{3, 2}).value(), 0);
  EXPECT_EQ(count("SELECT count FROM city_rollups WHERE resolution = 'hour'"), 7);
  // Retention in batches of 2, one batch a run; 0 days keeps everything.
  const core::Timestamp later{now().ms + 30 * kDay};
  EXPECT_EQ(store.expire({0, 0, 0}, later, city::JobLimits{2, 1}).value().raw, 0);
  auto report = store.expire({1, 1, 1}, later, city::JobLimits{2, 1});
  ASSERT_TRUE(report.ok());
  // Raw history goes by chunks, oldest first: the panic button's (1 point), then the first
  // batch's (3 points); a batch of 2 chunks.
  EXPECT_EQ(report->raw, 4);
  EXPECT_EQ(report->minute, 1);
  EXPECT_EQ(report->hour, 1);
  EXPECT_EQ(count("SELECT COALESCE(SUM(points), 0) FROM city_history_chunks"), 4);
  report = store.expire({1, 1, 1}, later, city::JobLimits{100, 1});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->raw, 4);
  EXPECT_EQ(count("SELECT COALESCE(SUM(points), 0) FROM city_history_chunks"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_rollups"), 0);
  // A reading after everything went is rolled up like any other.
  level(120, now().ms - kMinute);
  EXPECT_EQ(store.catch_up().value(), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_rollups"), 2);
}

TEST_P(CityHistory, ReadingsWrittenDuringRollUpsAreCountedExactlyOnce) {
  // Writers on four entities commit in any order (PostgreSQL hands out ids before commit)
  // while the roll-up runs in small batches; every numeric row must land in exactly one bucket.
  auto more = context().add_device("WaterLevelObserved", "kali-madiun-02", "dpupr");
  auto aws = context().add_device("WeatherObserved", "aws-01", "bmkg");
  ASSERT_TRUE(more.ok() && aws.ok());
  const std::vector<std::pair<std::string, std::string>> series = {{"kali-madiun-01", "waterLevel"},
                                                                   {"kali-madiun-02", "waterLevel"},
                                                                   {"aqms-taman", "pm25"},
                                                                   {"aws-01", "temperature"}};
  std::atomic<int> writing{static_cast<int>(series.size())};
  std::vector<std::thread> writers;
  for (size_t w = 0; w < series.size(); ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 20; ++i)
        post(integrator_,
             {{series[w].first, series[w].second, std::to_string(10 + i % 7), hour_ + i * 1'000},
              {series[w].first, series[w].second, "20", hour_ + kHour + i}});
      --writing;
    });
  }
  city::HistoryStore store(app().db);
  int runs = 0;
  while (writing > 0 || runs == 0) {
    auto n = store.catch_up(city::JobLimits{3, 1});
    ++runs;
    if (!n.ok()) {
      ADD_FAILURE() << n.error().message;
      break;  // the writers are joined below
    }
  }
  for (auto& t : writers) t.join();
  ASSERT_TRUE(store.catch_up(city::JobLimits{1'000, 100}).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 0);
  const int64_t rows = count("SELECT SUM(numbers) FROM city_history_chunks");
  EXPECT_EQ(rows, 4 * 20 * 2);
  for (const char* resolution : {"minute", "hour"}) {
    SCOPED_TRACE(resolution);
    EXPECT_EQ(count("SELECT CAST(SUM(count) AS BIGINT) FROM city_rollups WHERE resolution = ?",
                    {resolution}),
              rows);
  }
  // And the API agrees with the raw rows, series by series.
  const auto hours = points(hour_, hour_ + 2 * kHour - 1, "hour");
  ASSERT_EQ(hours.size(), 2u);
  expect_bucket(hours[0], hour_, 20, 10, 16,
                (10 * 3 + 11 * 3 + 12 * 3 + 13 * 3 + 14 * 3 + 15 * 3 + 16 * 2) / 20.0);
  expect_bucket(hours[1], hour_ + kHour, 20, 20, 20, 20);
}

TEST_P(CityHistory, WritersRollUpOnceManyRowsHaveArrived) {
  // Under a heavy load the housekeeping minute is too long to wait: once history_rollup_rows
  // (1,000 here) new rows have arrived, the roll-up thread moves them at once, so the rows
  // readers scan without an index stay few.
  const security::Actor admin{
      "system", security::Role::admin, "", security::AuthMethod::session, "", {}};
  auto ingest = [&](int b) {
    std::vector<city::Reading> batch;
    for (int i = 0; i < 300; ++i)
      batch.push_back({"kali-madiun-01", "waterLevel", boost::json::value(100 + i % 50), "",
                       hour_ + b * 1'000 + i});
    auto report = context().ingest(admin, batch);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(report->accepted, 300);
  };
  for (int b = 0; b < 3; ++b) ingest(b);
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 900) << "not due yet";
  EXPECT_EQ(count("SELECT COALESCE(SUM(points), 0) FROM city_history_chunks"), 0);
  ingest(3);  // 1,200 since the last roll-up: due, and the roll-up thread is woken
  ASSERT_TRUE(eventually(
      [&] { return count("SELECT COALESCE(SUM(points), 0) FROM city_history_chunks") == 1'200; }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 0);
  // One series, one hour, moved in two batches of at most 1,000 rows: a chunk each.
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_chunks"), 2);
  ingest(4);  // the count starts again
  EXPECT_EQ(count("SELECT COUNT(*) FROM city_history_incoming"), 300);
  EXPECT_EQ(count("SELECT CAST(SUM(count) AS BIGINT) FROM city_rollups WHERE resolution = 'hour'"),
            1'200);
  // Answers count every row once, moved or not.
  const auto hours = points(hour_, hour_ + kHour - 1, "hour");
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0].at("count").to_number<int64_t>(), 1'500);
}

TEST_P(CityHistory, RefusesWhatItCannotAnswer) {
  level(150, hour_);
  post(panic_, {{"panic-01", "category", R"("fire")", hour_}});
  const std::string id = "kali-madiun-01";
  auto expect = [&](const HttpReply& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(error_field(r), field) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
  };
  expect(history("tidak-ada", "attr=waterLevel"), 404, "");
  expect(history(id, "attr=suhu"), 404, "attr");
  expect(history(id, "attr=waterLevel&type=AirQualityObserved"), 404, "");
  expect(history(id, ""), 422, "attr");
  expect(history(id, "attr="), 422, "attr");
  expect(history(id, "attr=waterLevel&from=kemarin"), 422, "from");
  expect(history(id, "attr=waterLevel&to=2026-11-28T09:00:00"), 422, "to");  // no zone
  expect(history(id, "attr=waterLevel&from=2026-11-28T10:00:00Z&to=2026-11-28T09:00:00Z"), 422,
         "from");
  expect(
      history(id,
              "attr=waterLevel&resolution=raw&from=2026-10-01T00:00:00Z&to=2026-11-28T00:00:00Z"),
      422, "from");
  expect(history(id, "attr=waterLevel&from=2025-01-01T00:00:00Z&to=2026-11-28T00:00:00Z"), 422,
         "from");
  expect(history(id, "attr=waterLevel&resolution=day"), 422, "resolution");
  expect(history(id, "attr=waterLevel&format=xml"), 422, "format");
  // A text attribute has raw history only.
  expect(history("panic-01", "attr=category&resolution=minute", integrator_), 422, "resolution");
  expect(history("panic-01", "attr=category&resolution=hour", integrator_), 422, "resolution");
  auto raw = history("panic-01",
                     "attr=category&resolution=raw&from=" + iso(hour_) + "&to=" + iso(now().ms),
                     integrator_);
  ASSERT_EQ(raw.status, 200) << raw.body;
  ASSERT_EQ(parse(raw).at("points").as_array().size(), 1u);
  EXPECT_EQ(parse(raw).at("points").at(0).at("value").as_string(), "fire");
  // Malformed tenant headers, as NGSI-v2 refuses them.
  expect(history(id, "attr=waterLevel", {}, {{"Fiware-Service", "kota-madiun"}}), 400, "");
  expect(history(id, "attr=waterLevel", {}, {{"Fiware-ServicePath", "tanpa-garis"}}), 400, "");
}

TEST_P(CityHistory, HonoursTheTenantHeadersAndAsksForATypeWhenAnIdIsAmbiguous) {
  auto create = [&](const std::string& body, Headers headers = {}) {
    headers["Content-Type"] = "application/json";
    headers["Authorization"] = "Bearer " + integrator_;
    const auto r = server_->send("POST", "/v2/entities", body, headers);
    ASSERT_EQ(r.status, 201) << r.body;
  };
  create(R"({"id":"gauge-9","type":"WaterLevelObserved","waterLevel":{"value":42}})",
         {{"Fiware-Service", "kota"}, {"Fiware-ServicePath", "/utara"}});
  const std::string q = "attr=waterLevel&resolution=raw";
  EXPECT_EQ(history("gauge-9", q).status, 404);
  const auto r = history("gauge-9", q, {}, {{"Fiware-Service", "Kota"}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(parse(r).at("points").as_array().size(), 1u);
  EXPECT_EQ(parse(r).at("points").at(0).at("value").to_number<double>(), 42);
  EXPECT_EQ(
      history("gauge-9", q, {}, {{"Fiware-Service", "kota"}, {"Fiware-ServicePath", "/utara"}})
          .status,
      200);
  EXPECT_EQ(
      history("gauge-9", q, {}, {{"Fiware-Service", "kota"}, {"Fiware-ServicePath", "/selatan"}})
          .status,
      404);
  // One id, two types: the type decides.
  create(R"({"id":"twin","type":"WaterLevelObserved","waterLevel":{"value":1}})");
  create(R"({"id":"twin","type":"WeatherObserved","temperature":{"value":30}})");
  EXPECT_EQ(history("twin", q).status, 409);
  EXPECT_EQ(history("twin", q + "&type=WaterLevelObserved").status, 200);
}

TEST_P(CityHistory, APrivateTypeNeedsACredentialAllowedToReadIt) {
  post(panic_, {{"panic-01", "confidence", "0.75", hour_}});
  const std::string q =
      "attr=confidence&resolution=raw&from=" + iso(hour_) + "&to=" + iso(now().ms);
  // Refused looks like missing: nobody learns that a private entity exists.
  auto anonymous = history("panic-01", q);
  EXPECT_EQ(anonymous.status, 404) << anonymous.body;
  EXPECT_EQ(parse(anonymous).at("error").at("message"),
            parse(history("no-such-entity", q)).at("error").at("message"));
  EXPECT_EQ(history("panic-01", q, air_).status, 404);  // another entity's device
  const auto own = history("panic-01", q, panic_);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.header("cache-control"), "no-store");
  EXPECT_EQ(parse(own).at("points").at(0).at("value").to_number<double>(), 0.75);
  EXPECT_EQ(history("panic-01", q, integrator_).status, 200);
  // Types Balai does not know are not public here either.
  const auto made = server_->send(
      "POST", "/v2/entities", R"({"id":"Room1","type":"Room","temperature":{"value":23}})",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + integrator_}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(history("Room1", "attr=temperature").status, 404);
  const auto room = history("Room1", "attr=temperature&resolution=hour", integrator_);
  ASSERT_EQ(room.status, 200) << room.body;
  ASSERT_EQ(parse(room).at("points").as_array().size(), 1u);
  // An attribute removed from the entity keeps its history, numeric by what was stored.
  const auto removed = server_->send("DELETE", "/v2/entities/Room1/attrs/temperature", "",
                                     {{"Authorization", "Bearer " + integrator_}});
  ASSERT_EQ(removed.status, 204) << removed.body;
  const auto gone = history("Room1", "attr=temperature&resolution=minute", integrator_);
  ASSERT_EQ(gone.status, 200) << gone.body;
  expect_bucket(parse(gone).at("points").at(0),
                city::bucket_start(now().ms, city::Resolution::minute), 1, 23, 23, 23);
  // A public type is anyone's, a device's of another entity too.
  level(150, hour_);
  EXPECT_EQ(history("kali-madiun-01", "attr=waterLevel").status, 200);
  EXPECT_EQ(history("kali-madiun-01", "attr=waterLevel", air_).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, CityHistory, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

// With the demo's people: staff sessions and a citizen's.
class CityHistoryPeople : public CityHistory {
 protected:
  bool seed_demo() const override { return true; }
};

TEST_P(CityHistoryPeople, StaffReadAPrivateHistoryAndCitizensDoNot) {
  post(panic_, {{"panic-01", "confidence", "0.5", hour_}});
  const std::string q =
      "attr=confidence&resolution=raw&from=" + iso(hour_) + "&to=" + iso(now().ms);
  const std::string officer = sign_in_bearer(*server_, kDemoOfficerLogin, kDemoOfficerPassword);
  const std::string citizen = sign_in_bearer(*server_, kDemoCitizenLogin, kDemoCitizenPassword);
  const auto staff = history("panic-01", q, officer);
  ASSERT_EQ(staff.status, 200) << staff.body;
  EXPECT_EQ(parse(staff).at("points").as_array().size(), 1u);
  const auto refused = history("panic-01", q, citizen);
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(history("kali-madiun-01", "attr=waterLevel", citizen).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, CityHistoryPeople, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
