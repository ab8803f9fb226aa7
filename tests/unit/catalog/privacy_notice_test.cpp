// The rules of a service's privacy notice (UU 27/2022 PDP): what a service that collects
// personal data must state, and the limits that keep a notice readable.
#include <gtest/gtest.h>

#include "modules/catalog/rules.h"
#include "modules/catalog/service.h"

namespace balai::catalog {
namespace {

Service service_without_personal_data() {
  Service s;
  s.code = "transportasi";
  s.agency_code = "dishub";
  s.icon = "icon-bus";
  s.name = {"Transportasi Umum", "Public Transport"};
  s.summary = {"Halte dan rute.", "Stops and routes."};
  return s;
}

Service service_with_personal_data() {
  Service s = service_without_personal_data();
  s.code = "vaksinasi";
  s.privacy_notice.data_items = {{"Nama dan NIK", "Name and NIK"}, {"Nomor telepon", ""}};
  s.privacy_notice.purpose = {"Mencatat janji temu.", "To record the appointment."};
  s.privacy_notice.recipients = {"Petugas puskesmas.", "Health centre staff."};
  s.privacy_notice.retention = {"Dihapus setelah 1 tahun.", "Deleted after 1 year."};
  s.legal_basis = "Permenkes No. 12 Tahun 2017";
  return s;
}

std::map<std::string, std::string> fields_of(const core::Status& status) {
  return status.ok() ? std::map<std::string, std::string>{} : status.error().fields;
}

TEST(PrivacyNotice, CollectsPersonalDataExactlyWhenItListsDataItems) {
  EXPECT_FALSE(service_without_personal_data().privacy_notice.collects_personal_data());
  EXPECT_TRUE(service_with_personal_data().privacy_notice.collects_personal_data());
}

TEST(ValidatePrivacyNotice, AcceptsAServiceThatCollectsNoPersonalDataWithAnEmptyNotice) {
  EXPECT_TRUE(validate(service_without_personal_data()).ok());
}

TEST(ValidatePrivacyNotice, AcceptsACompleteNoticeWithIndonesianOnlyItems) {
  EXPECT_TRUE(validate(service_with_personal_data()).ok());
}

TEST(ValidatePrivacyNotice, RequiresPurposeRecipientsRetentionAndLegalBasisWhenDataIsCollected) {
  Service s = service_with_personal_data();
  s.privacy_notice.purpose = {};
  s.privacy_notice.recipients = {"", "Health centre staff."};
  s.privacy_notice.retention = {"   ", ""};
  s.legal_basis = "";
  const auto status = validate(s);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::validation_failed);
  const auto fields = fields_of(status);
  for (const char* field : {"privacy_notice.purpose.id", "privacy_notice.recipients.id",
                            "privacy_notice.retention.id", "legal_basis"})
    EXPECT_TRUE(fields.contains(field)) << field;
}

TEST(ValidatePrivacyNotice, NamesTheDataItemThatHasNoIndonesianText) {
  Service s = service_with_personal_data();
  s.privacy_notice.data_items.push_back({"", "Email address"});
  const auto fields = fields_of(validate(s));
  EXPECT_TRUE(fields.contains("privacy_notice.data_items[2].id"));
  EXPECT_EQ(fields.size(), 1u);
}

TEST(ValidatePrivacyNotice, LimitsTheNumberAndLengthOfDataItems) {
  Service many = service_with_personal_data();
  many.privacy_notice.data_items.assign(41, LocalizedText{"Nama", "Name"});
  EXPECT_TRUE(fields_of(validate(many)).contains("privacy_notice.data_items"));

  Service long_item = service_with_personal_data();
  long_item.privacy_notice.data_items[0].en = std::string(201, 'a');
  EXPECT_TRUE(fields_of(validate(long_item)).contains("privacy_notice.data_items[0]"));
}

TEST(ValidatePrivacyNotice, CountsCharactersNotBytesInTheLimits) {
  Service s = service_with_personal_data();
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "é";  // 2000 characters, 4000 bytes
  s.privacy_notice.purpose.id = text;
  EXPECT_TRUE(validate(s).ok());
  s.privacy_notice.purpose.id += "é";
  EXPECT_TRUE(fields_of(validate(s)).contains("privacy_notice.purpose"));
}

TEST(ValidatePrivacyNotice, LimitsTheTextsEvenWhenNoPersonalDataIsCollected) {
  Service s = service_without_personal_data();
  s.privacy_notice.retention.en = std::string(2001, 'a');
  s.legal_basis = std::string(1001, 'a');
  const auto fields = fields_of(validate(s));
  EXPECT_TRUE(fields.contains("privacy_notice.retention"));
  EXPECT_TRUE(fields.contains("legal_basis"));
}

TEST(PrivacyNoticePath, IsTheServicePageFollowedByPrivasi) {
  EXPECT_EQ(privacy_notice_path("akta-kelahiran"), "/layanan/akta-kelahiran/privasi");
  EXPECT_EQ(privacy_notice_path(kPortalAccountServiceCode), "/layanan/identitas/privasi");
}

}  // namespace
}  // namespace balai::catalog
