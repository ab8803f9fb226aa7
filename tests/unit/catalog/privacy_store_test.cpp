// The privacy notice columns of the catalog (migration 002) on both backends.
#include <gtest/gtest.h>

#include "db/migrator.h"
#include "modules/catalog/module.h"
#include "modules/catalog/store.h"
#include "support/databases.h"

namespace balai::catalog {
namespace {

class CatalogPrivacyStore : public balai::testing::DatabaseTest {
 protected:
  void migrate(int up_to_version) {
    std::vector<db::Migration> wanted;
    for (auto& m : migrations())
      if (m.version <= up_to_version) wanted.push_back(std::move(m));
    auto migrated = db::migrate(db(), wanted);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }

  void start_with_every_migration() {
    migrate(1'000);
    store_ = std::make_unique<Store>(db());
    ASSERT_TRUE(store_->upsert_agency({"dinkes", {"Dinas Kesehatan", "Health Office"}}, now_).ok());
  }

  static Service vaccination() {
    Service s;
    s.code = "vaksinasi";
    s.agency_code = "dinkes";
    s.category = Category::appointments;
    s.icon = "icon-vaccine";
    s.name = {"Vaksinasi", "Vaccination"};
    s.summary = {"Ringkas", "Short"};
    s.privacy = {"Nama dan NIK dipakai.", "Name and NIK are used."};
    s.privacy_notice.data_items = {{"Nama, NIK, tanggal lahir", "Name, NIK, birth date"},
                                   {"Hasil skrining \"kesehatan\" — ü", ""}};
    s.privacy_notice.purpose = {"Mencatat janji temu.", "To record the appointment."};
    s.privacy_notice.recipients = {"Petugas puskesmas.", "Health centre staff."};
    s.privacy_notice.retention = {"Dihapus setelah 1 tahun.", "Deleted after 1 year."};
    s.legal_basis = "Permenkes No. 12 Tahun 2017";
    return s;
  }

  core::Timestamp now_{1'795'000'000'000};
  std::unique_ptr<Store> store_;
};

TEST_P(CatalogPrivacyStore, SavesAndReadsBackTheWholePrivacyNotice) {
  ASSERT_NO_FATAL_FAILURE(start_with_every_migration());
  ASSERT_TRUE(store_->upsert_service(vaccination(), now_).ok());
  auto found = store_->find_service("vaksinasi");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const PrivacyNotice& n = (*found)->privacy_notice;
  ASSERT_EQ(n.data_items.size(), 2u);
  EXPECT_EQ(n.data_items[0].en, "Name, NIK, birth date");
  EXPECT_EQ(n.data_items[1].id, "Hasil skrining \"kesehatan\" — ü");
  EXPECT_EQ(n.data_items[1].en, "");
  EXPECT_EQ(n.purpose.en, "To record the appointment.");
  EXPECT_EQ(n.recipients.id, "Petugas puskesmas.");
  EXPECT_EQ(n.retention.en, "Deleted after 1 year.");
  EXPECT_EQ((*found)->privacy.id, "Nama dan NIK dipakai.");
}

TEST_P(CatalogPrivacyStore, ListsServicesWithTheirNotices) {
  ASSERT_NO_FATAL_FAILURE(start_with_every_migration());
  ASSERT_TRUE(store_->upsert_service(vaccination(), now_).ok());
  auto list = store_->list_services();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].privacy_notice.data_items.size(), 2u);
  EXPECT_EQ((*list)[0].privacy_notice.retention.id, "Dihapus setelah 1 tahun.");
}

TEST_P(CatalogPrivacyStore, ReplacesTheNoticeWhenAServiceIsSavedAgain) {
  ASSERT_NO_FATAL_FAILURE(start_with_every_migration());
  ASSERT_TRUE(store_->upsert_service(vaccination(), now_).ok());
  Service changed = vaccination();
  changed.privacy_notice = {};
  ASSERT_TRUE(store_->upsert_service(changed, now_).ok());
  auto found = store_->find_service("vaksinasi");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_FALSE((*found)->privacy_notice.collects_personal_data());
  EXPECT_EQ((*found)->privacy_notice.purpose.id, "");
}

TEST_P(CatalogPrivacyStore, GivesServicesSavedBeforeTheMigrationAnEmptyNotice) {
  ASSERT_NO_FATAL_FAILURE(migrate(1));
  // A row written with migration 001's columns only, as an older release would have.
  const auto written = db().transact([](db::Connection& c) -> core::Status {
    BALAI_TRY(c.execute_script(
        "INSERT INTO agencies (code, name_id, name_en, created_at, updated_at) "
        "VALUES ('dishub', 'Dinas Perhubungan', 'Transport Office', 1, 1); "
        "INSERT INTO services (code, agency_id, category, icon, name_id, name_en, summary_id, "
        "summary_en, description_id, description_en, requirements_json, privacy_id, privacy_en, "
        "cost_rupiah, processing_days, legal_basis, online, position, created_at, updated_at) "
        "SELECT 'transportasi', id, 'transport', 'icon-bus', 'Transportasi', 'Transport', 'R', "
        "'S', 'U', 'D', '[]', 'Tanpa data pribadi.', 'No personal data.', 0, 0, "
        "'UU No. 22 Tahun 2009', 0, 1, 1, 1 FROM agencies WHERE code = 'dishub';"));
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;

  ASSERT_NO_FATAL_FAILURE(migrate(1'000));
  Store store(db());
  auto found = store.find_service("transportasi");
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  const Service& s = **found;
  EXPECT_TRUE(s.privacy_notice.data_items.empty());
  EXPECT_EQ(s.privacy_notice.purpose.id, "");
  EXPECT_EQ(s.privacy_notice.retention.en, "");
  EXPECT_EQ(s.privacy.en, "No personal data.");
  EXPECT_EQ(s.legal_basis, "UU No. 22 Tahun 2009");
}

BALAI_INSTANTIATE_DATABASE_TESTS(CatalogPrivacyStore);

}  // namespace
}  // namespace balai::catalog
