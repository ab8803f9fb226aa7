// The alert rules wired to the context on a real database (both backends): the seeded rules,
// one open alert per rule and entity whoever raises it, and the states restored after a restart
// so that an alert open before it is neither raised twice nor left open when the value clears.
#include "modules/city/alert_service.h"

#include <gtest/gtest.h>

#include "app/runtime.h"
#include "db/migrator.h"
#include "modules/city/alert_store.h"
#include "modules/city/service.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

using city::AlertStatusFilter;
using city::AlertStore;
using city::StoredAlert;

class AlertStoreTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    auto migrated = db::migrate(db(), app::Runtime::all_migrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    store_ = std::make_unique<AlertStore>(db());
  }

  StoredAlert river_alert(std::string entity = "kali-madiun-01") {
    StoredAlert s;
    s.scope = city::Scope{"", "/"};
    auto& a = s.record.alert;
    a.rule_id = "banjir-siaga";
    a.severity = "danger";
    a.entity_id = std::move(entity);
    a.entity_type = "WaterLevelObserved";
    a.attr = "waterLevel";
    a.value = 162;
    a.threshold = 150;
    a.title_id = "Peringatan banjir";
    a.title_en = "Flood warning";
    a.status = "active";
    a.raised_ms = 1'800'000'000'000;
    return s;
  }

  std::optional<int64_t> insert(const StoredAlert& s) {
    std::optional<int64_t> key;
    auto status = db().transact([&](db::Connection& conn) -> core::Status {
      auto k = store_->insert(conn, s, std::nullopt);
      if (!k) return k.take_error();
      key = *k;
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return key;
  }

  int64_t add_account(const std::string& external_id) {
    auto inserted = db::execute(db(),
                                "INSERT INTO accounts (external_id, role, display_name, "
                                "password_hash, created_at, updated_at) VALUES (?, 'citizen', ?, "
                                "'x', 0, 0)",
                                {external_id, db::Blob{{1, 2, 3}}});
    EXPECT_TRUE(inserted.ok());
    auto rows = db().query("SELECT id FROM accounts WHERE external_id = ?", {external_id});
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return (*rows)[0].int64(0);
  }

  std::unique_ptr<AlertStore> store_;
};

TEST_P(AlertStoreTest, TheMigrationSeedsTheDefaultRules) {
  auto rules = store_->rules();
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  const auto defaults = city::default_alert_rules();
  ASSERT_EQ(rules->size(), defaults.size());
  for (size_t i = 0; i < defaults.size(); ++i) {
    EXPECT_EQ((*rules)[i].rule, defaults[i]) << defaults[i].id;
    EXPECT_TRUE((*rules)[i].enabled);
  }
}

TEST_P(AlertStoreTest, ReplacingTheRulesKeepsTheirOrder) {
  auto defaults = city::default_alert_rules();
  std::vector<city::StoredRule> rules{{defaults[2], false, 0}, {defaults[0], true, 0}};
  auto status = db().transact(
      [&](db::Connection& conn) { return store_->replace_rules(conn, rules, core::Timestamp{5}); });
  ASSERT_TRUE(status.ok()) << status.error().message;
  auto stored = store_->rules();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[0].rule, defaults[2]);
  EXPECT_FALSE((*stored)[0].enabled);
  EXPECT_EQ((*stored)[1].rule, defaults[0]);
  EXPECT_EQ((*stored)[1].updated_ms, 5);
}

TEST_P(AlertStoreTest, HoldsOneOpenAlertPerRuleAndEntity) {
  auto first = insert(river_alert());
  ASSERT_TRUE(first.has_value());
  EXPECT_GT(*first, 0);
  EXPECT_LT(*first, int64_t{1} << 53);
  EXPECT_FALSE(insert(river_alert()).has_value());  // another instance's raise: nothing written
  EXPECT_TRUE(insert(river_alert("kali-madiun-02")).has_value());

  auto status = db().transact([&](db::Connection& conn) {
    return store_->set_status(conn, *first, "resolved", core::Timestamp{9}, 0, "surut");
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  auto again = insert(river_alert());  // once resolved, the rule may raise again
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(*again, *first);

  auto open = store_->open(false);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->size(), 2u);
  auto resolved = store_->list(AlertStatusFilter::resolved, std::nullopt, 10);
  ASSERT_TRUE(resolved.ok());
  ASSERT_EQ(resolved->size(), 1u);
  EXPECT_EQ((*resolved)[0].record.alert.resolved_ms, 9);
  EXPECT_EQ((*resolved)[0].record.note, "surut");
  EXPECT_EQ((*resolved)[0].record.resolved_by, "");
}

TEST_P(AlertStoreTest, ListsByAgencyNewestFirst) {
  StoredAlert older = river_alert("a");
  older.agency = "dpupr";
  StoredAlert newer = river_alert("b");
  newer.agency = "dpupr";
  newer.record.alert.raised_ms += 1'000;
  StoredAlert other = river_alert("c");
  other.agency = "dlh";
  for (const auto* s : {&older, &newer, &other}) ASSERT_TRUE(insert(*s).has_value());
  auto mine = store_->list(AlertStatusFilter::all, std::string("dpupr"), 10);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].record.alert.entity_id, "b");
  EXPECT_EQ((*mine)[1].record.alert.entity_id, "a");
  auto everyone = store_->list(AlertStatusFilter::open, std::nullopt, 2);
  ASSERT_TRUE(everyone.ok());
  EXPECT_EQ(everyone->size(), 2u);  // the limit
}

TEST_P(AlertStoreTest, KeepsEachCitizensDistrictsOnce) {
  const int64_t warga = add_account("acc-warga");
  const int64_t tetangga = add_account("acc-tetangga");
  EXPECT_TRUE(*store_->add_watch(warga, "35.77.02", core::Timestamp{1}));
  EXPECT_TRUE(*store_->add_watch(warga, "35.77.01", core::Timestamp{1}));
  EXPECT_FALSE(*store_->add_watch(warga, "35.77.01", core::Timestamp{2}));
  EXPECT_TRUE(*store_->add_watch(tetangga, "35.77.01", core::Timestamp{1}));
  EXPECT_EQ(*store_->districts_of(warga), (std::vector<std::string>{"35.77.01", "35.77.02"}));
  EXPECT_EQ(*store_->watchers("35.77.01"), (std::vector<std::string>{"acc-warga", "acc-tetangga"}));
  EXPECT_TRUE(*store_->remove_watch(warga, "35.77.01"));
  EXPECT_FALSE(*store_->remove_watch(warga, "35.77.01"));
  EXPECT_EQ(*store_->watchers("35.77.01"), (std::vector<std::string>{"acc-tetangga"}));
}

BALAI_INSTANTIATE_DATABASE_TESTS(AlertStoreTest);

// --- The service on a running program ---

class AlertServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    start();
    auto device = context().add_device("WaterLevelObserved", "kali-madiun-01", "dpupr");
    ASSERT_TRUE(device.ok()) << device.error().message;
    // The flood rule at once (no 5-minute wait): the wiring, not the timing, is under test.
    auto rules = alerts().rules(&admin_);
    ASSERT_TRUE(rules.ok());
    for (auto& r : *rules) r.rule.duration_ms = 0;
    auto replaced = alerts().replace_rules(&admin_, *rules);
    ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  // (Re)starts the program on the test's database: a restart keeps what was committed.
  void start() {
    server_.reset();
    server_ = std::make_unique<ServerHarness>([](core::Config&) {}, database_->url(),
                                              /*seed_demo=*/false);
  }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }
  city::AlertService& alerts() { return city::alert_service_of(app()); }

  // A water level from an integrator, evaluated before returning.
  void level(double cm) {
    city::Reading r{"kali-madiun-01", "waterLevel", boost::json::value(cm), "", 0};
    r.observed_ms = app().clock.now().ms;
    auto report = context().ingest(integrator_, {r});
    ASSERT_TRUE(report.ok()) << report.error().message;
    ASSERT_EQ(report->accepted, 1);
    alerts().drain();
  }

  std::vector<city::Alert> open() {
    auto active = alerts().active(false);
    EXPECT_TRUE(active.ok());
    return active.ok() ? *active : std::vector<city::Alert>{};
  }

  size_t all_alerts() {
    auto all = alerts().list(&admin_, AlertStatusFilter::all, 500);
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }

  security::Actor admin_{"admin-test", security::Role::admin};
  security::Actor integrator_{"bridge-test", security::Role::integrator};
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(AlertServiceTest, ARisingLevelRaisesOneAlertAndAFallingOneResolvesIt) {
  level(120);
  EXPECT_TRUE(open().empty());
  level(162);
  auto raised = open();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].rule_id, "banjir-siaga");
  EXPECT_EQ(raised[0].value, 162);
  EXPECT_EQ(raised[0].status, "active");
  level(170);
  level(145);  // between the thresholds: still raised
  EXPECT_EQ(open().size(), 1u);
  EXPECT_EQ(all_alerts(), 1u);
  level(139);
  EXPECT_TRUE(open().empty());
  auto resolved = alerts().list(&admin_, AlertStatusFilter::resolved, 10);
  ASSERT_TRUE(resolved.ok());
  ASSERT_EQ(resolved->size(), 1u);
  EXPECT_EQ((*resolved)[0].resolved_by, "");  // by itself
}

TEST_P(AlertServiceTest, AfterARestartAnOpenAlertIsNeitherRaisedAgainNorLeftOpen) {
  level(162);
  ASSERT_EQ(open().size(), 1u);
  const int64_t key = open()[0].key;
  start();
  level(175);
  auto still = open();
  ASSERT_EQ(still.size(), 1u);
  EXPECT_EQ(still[0].key, key);
  EXPECT_EQ(all_alerts(), 1u);
  level(130);
  EXPECT_TRUE(open().empty());
}

TEST_P(AlertServiceTest, AnAlertAnotherInstanceRaisedIsNotRaisedTwice) {
  // Another instance, sharing the database, raised it first: this one's state did not know.
  StoredAlert theirs;
  theirs.scope = city::Scope{"", "/"};
  auto& a = theirs.record.alert;
  a.rule_id = "banjir-siaga";
  a.severity = "danger";
  a.entity_id = "kali-madiun-01";
  a.entity_type = "WaterLevelObserved";
  a.attr = "waterLevel";
  a.value = 155;
  a.threshold = 150;
  a.title_id = "Peringatan banjir";
  a.title_en = "Flood warning";
  a.status = "active";
  a.raised_ms = app().clock.now().ms;
  AlertStore store(app().db);
  auto status = app().db.transact([&](db::Connection& conn) -> core::Status {
    return core::status_of(store.insert(conn, theirs, std::nullopt));
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  level(162);
  auto alerts_now = open();
  ASSERT_EQ(alerts_now.size(), 1u);
  EXPECT_EQ(alerts_now[0].value, 155);  // theirs
  level(120);                           // and this instance resolves it when the level falls
  EXPECT_TRUE(open().empty());
}

TEST_P(AlertServiceTest, AfterStaffResolveTheRuleMustFireAgainFromNormal) {
  level(162);
  ASSERT_EQ(open().size(), 1u);
  auto resolved = alerts().resolve(&admin_, open()[0].key, "sudah ditangani");
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  EXPECT_EQ(resolved->alert.status, "resolved");
  alerts().drain();  // the reset reaches the worker
  level(165);        // still high: with no duration, a new alert at once
  auto again = open();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0].key, resolved->alert.key);
  EXPECT_EQ(all_alerts(), 2u);
}

TEST_P(AlertServiceTest, ADisabledRuleRaisesNothing) {
  auto rules = alerts().rules(&admin_);
  ASSERT_TRUE(rules.ok());
  for (auto& r : *rules) r.enabled = false;
  ASSERT_TRUE(alerts().replace_rules(&admin_, *rules).ok());
  level(190);
  EXPECT_TRUE(open().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertServiceTest, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
