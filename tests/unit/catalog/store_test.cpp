// The catalog's SQL on both backends.
#include "modules/catalog/store.h"

#include <gtest/gtest.h>

#include "db/migrator.h"
#include "modules/catalog/module.h"
#include "support/databases.h"

namespace balai::catalog {
namespace {

class CatalogStore : public balai::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    auto migrated = db::migrate(db(), migrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    store_ = std::make_unique<Store>(db());
    ASSERT_TRUE(store_->upsert_agency({"dinkes", {"Dinas Kesehatan", "Health Office"}}, now_).ok());
  }

  Service service(std::string code, int position) {
    Service s;
    s.code = std::move(code);
    s.agency_code = "dinkes";
    s.category = Category::appointments;
    s.icon = "icon-vaccine";
    s.name = {"Vaksinasi", "Vaccination"};
    s.summary = {"Ringkas", "Short"};
    s.description = {"Uraian", "Description"};
    s.requirements = {{"KTP", "ID card"}, {"Kartu \"Keluarga\" — ü", ""}};
    s.privacy = {"Privasi", "Privacy"};
    s.cost_rupiah = 150'000;
    s.processing_days = 2;
    s.legal_basis = "Permenkes No. 12 Tahun 2017";
    s.online = true;
    s.position = position;
    return s;
  }

  core::Timestamp now_{1'795'000'000'000};
  std::unique_ptr<Store> store_;
};

TEST_P(CatalogStore, SavesAndReadsBackEveryField) {
  ASSERT_TRUE(store_->upsert_service(service("vaksinasi", 1), now_).ok());
  auto found = store_->find_service("vaksinasi");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const Service& s = **found;
  EXPECT_EQ(s.agency_code, "dinkes");
  EXPECT_EQ(s.agency_name.en, "Health Office");
  EXPECT_EQ(s.category, Category::appointments);
  EXPECT_EQ(s.name.id, "Vaksinasi");
  EXPECT_EQ(s.cost_rupiah, 150'000);
  EXPECT_EQ(s.processing_days, 2);
  EXPECT_TRUE(s.online);
  ASSERT_EQ(s.requirements.size(), 2u);
  EXPECT_EQ(s.requirements[1].id, "Kartu \"Keluarga\" — ü");
  EXPECT_EQ(s.legal_basis, "Permenkes No. 12 Tahun 2017");
}

TEST_P(CatalogStore, ListsServicesInGridOrder) {
  ASSERT_TRUE(store_->upsert_service(service("kedua", 20), now_).ok());
  ASSERT_TRUE(store_->upsert_service(service("pertama", 10), now_).ok());
  auto list = store_->list_services();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].code, "pertama");
  EXPECT_EQ((*list)[1].code, "kedua");
}

TEST_P(CatalogStore, UpdatesAnExistingServiceByCode) {
  ASSERT_TRUE(store_->upsert_service(service("vaksinasi", 1), now_).ok());
  Service changed = service("vaksinasi", 1);
  changed.cost_rupiah = 0;
  changed.online = false;
  ASSERT_TRUE(store_->upsert_service(changed, now_).ok());
  auto list = store_->list_services();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].cost_rupiah, 0);
  EXPECT_FALSE((*list)[0].online);
}

TEST_P(CatalogStore, FindsNothingForAnUnknownCode) {
  auto found = store_->find_service("tidak-ada");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_P(CatalogStore, RefusesAServiceOfAnUnknownAgency) {
  Service s = service("vaksinasi", 1);
  s.agency_code = "nowhere";
  const auto status = store_->upsert_service(s, now_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::validation_failed);
  EXPECT_TRUE(status.error().fields.contains("agency_code"));
}

TEST_P(CatalogStore, RefusesANegativeCostAtTheDatabaseToo) {
  Service s = service("vaksinasi", 1);
  s.cost_rupiah = -5;
  const auto status = store_->upsert_service(s, now_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::conflict);
}

TEST_P(CatalogStore, UpdatesAnAgencysName) {
  ASSERT_TRUE(
      store_->upsert_agency({"dinkes", {"Dinas Kesehatan Kota", "City Health Office"}}, now_).ok());
  auto agencies = store_->list_agencies();
  ASSERT_TRUE(agencies.ok());
  ASSERT_EQ(agencies->size(), 1u);
  EXPECT_EQ((*agencies)[0].name.en, "City Health Office");
}

BALAI_INSTANTIATE_DATABASE_TESTS(CatalogStore);

}  // namespace
}  // namespace balai::catalog
