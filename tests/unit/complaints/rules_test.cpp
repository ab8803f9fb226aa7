#include "modules/complaints/rules.h"

#include <gtest/gtest.h>

#include "modules/regions/directory.h"
#include "support/images.h"

namespace balai::complaints::rules {
namespace {

using balai::testing::jpeg_with_gps;
using balai::testing::tiny_png;

class ComplaintRules : public ::testing::Test {
 protected:
  void SetUp() override {
    regions_ = regions::Directory::from_rows({{"35", "Jawa Timur"},
                                              {"35.77", "Kota Madiun"},
                                              {"35.77.01", "Kartoharjo"},
                                              {"35.77.01.1001", "Oro-oro Ombo"},
                                              {"35.77.03", "Taman"},
                                              {"35.77.03.1003", "Banjarejo"},
                                              {"35.78", "Kota Surabaya"},
                                              {"35.78.01", "Karang Pilang"},
                                              {"35.78.01.1001", "Warugunung"}});
    Category road{"jalan-rusak", "Jalan rusak", "Damaged road", "", "", "dpupr", true, 100, {}, 1};
    road.attributes = {
        {"kerusakan",
         AttributeType::singlevaluelist,
         true,
         "Jenis",
         1,
         {{"lubang", "Berlubang"}, {"retak", "Retak"}}},
        {"luas", AttributeType::number, false, "Luas", 2, {}},
        {"sejak", AttributeType::datetime, false, "Sejak", 3, {}},
        {"arah",
         AttributeType::multivaluelist,
         false,
         "Arah",
         4,
         {{"utara", "Utara"}, {"selatan", "Selatan"}}},
    };
    categories_ = {
        road, Category{"pelayanan-publik", "Pelayanan", "", "", "", "ortala", false, 0, {}, 2}};
  }

  SubmissionContext context(bool open311 = false) const {
    return SubmissionContext{categories_, *regions_,
                             "35.77",     *core::parse_geo_box("-7.68,111.48,-7.57,111.57"),
                             1024,        open311};
  }

  Submission good() const {
    Submission s;
    s.category = "jalan-rusak";
    s.description = "Lubang besar di tengah jalan.";
    s.lat = "-7.6291";
    s.lon = "111.5253";
    return s;
  }

  std::shared_ptr<const regions::Directory> regions_;
  std::vector<Category> categories_;
};

std::map<std::string, std::string> fields_of(const core::Result<CheckedSubmission>& r) {
  EXPECT_FALSE(r.ok());
  if (r.ok()) return {};
  return r.error().fields;
}

TEST_F(ComplaintRules, AcceptsAPinnedReport) {
  auto r = check_submission(good(), context());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, Kind::complaint);
  EXPECT_EQ(r->category->agency_code, "dpupr");
  EXPECT_EQ(r->location->lat_e6, -7'629'100);
  EXPECT_EQ(r->channel, Channel::email);
}

TEST_F(ComplaintRules, AcceptsAVillageWithoutAPin) {
  Submission s = good();
  s.lat = s.lon = "";
  s.village_code = "35.77.01.1001";
  s.kind = "aspirasi";
  auto r = check_submission(s, context());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->location);
  EXPECT_EQ(r->kind, Kind::aspiration);
}

TEST_F(ComplaintRules, NamesEveryBadFieldAtOnce) {
  Submission s;
  s.kind = "keluhan";
  s.category = "unknown";
  s.description = "   ";
  s.lat = "-7.6";
  s.channel = "pigeon";
  auto f = fields_of(check_submission(s, context()));
  EXPECT_EQ(f["kind"], "must be pengaduan, aspirasi or informasi");
  EXPECT_EQ(f["category"], "unknown category");
  EXPECT_EQ(f["description"], "required");
  EXPECT_EQ(f["lon"], "required with the other coordinate");
  EXPECT_EQ(f["channel"], "must be none, email or sms");
}

TEST_F(ComplaintRules, RefusesPlacesOutsideTheCity) {
  Submission s = good();
  s.lat = "-6.2";
  s.lon = "106.8";
  EXPECT_EQ(fields_of(check_submission(s, context()))["lat"],
            "the place is outside the city's area");
  s.lat = "abc";
  EXPECT_EQ(fields_of(check_submission(s, context()))["lat"],
            "latitude and longitude must be decimal degrees");
  s = good();
  s.lat = s.lon = "";
  s.village_code = "35.78.01.1001";  // Surabaya
  EXPECT_EQ(fields_of(check_submission(s, context()))["village_code"],
            "the village is outside the city");
  s.village_code = "35.77.01";  // a district, not a village
  EXPECT_EQ(fields_of(check_submission(s, context()))["village_code"], "not a village code");
  s.village_code = "";
  EXPECT_EQ(fields_of(check_submission(s, context()))["village_code"],
            "give a map pin or the village");
}

TEST_F(ComplaintRules, LimitsTheDescriptionInCharactersNotBytes) {
  Submission s = good();
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "é";  // two bytes each
  s.description = text;
  EXPECT_TRUE(check_submission(s, context()));
  s.description += "x";
  EXPECT_EQ(fields_of(check_submission(s, context()))["description"], "at most 4000 characters");
  s.description = std::string("ada\x01kontrol", 11);
  EXPECT_EQ(fields_of(check_submission(s, context()))["description"],
            "contains control characters");
}

TEST_F(ComplaintRules, ChecksPhotosByContentAndStripsTheirMetadata) {
  Submission s = good();
  s.photos = {{tiny_png()}, {jpeg_with_gps()}};
  auto r = check_submission(s, context());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->photos.size(), 2u);
  EXPECT_EQ(r->photos[0].media_type, "image/png");
  EXPECT_EQ(r->photos[1].media_type, "image/jpeg");
  EXPECT_EQ(r->photos[1].bytes.find("GPSLatitude"), std::string::npos);

  s.photos = {{"<?php echo 1; ?> pretending to be a .jpg"}};
  EXPECT_EQ(fields_of(check_submission(s, context()))["photos"],
            "each photo must be a JPEG, PNG or WebP image");
  s.photos = {{tiny_png()}, {tiny_png()}, {tiny_png()}, {tiny_png()}};
  EXPECT_EQ(fields_of(check_submission(s, context()))["photos"], "at most 3 photos");
  s.photos = {{tiny_png() + std::string(2000, '\0')}};
  auto big = check_submission(s, context());
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, core::ErrorCode::payload_too_large);
}

TEST_F(ComplaintRules, Open311FieldsOnlyThroughOpen311) {
  Submission s = good();
  s.attributes = {{"kerusakan", "lubang"}};
  EXPECT_EQ(fields_of(check_submission(s, context()))["attributes"], "not accepted here");
  auto r = check_submission(s, context(true));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->attributes.size(), 1u);
}

TEST_F(ComplaintRules, Open311AcceptsAnAddressAlone) {
  Submission s = good();
  s.lat = s.lon = "";
  s.address = "Jl. Pahlawan 12";
  s.attributes = {{"kerusakan", "retak"}};
  EXPECT_TRUE(check_submission(s, context(true)));
  EXPECT_FALSE(check_submission(s, context(false)));
}

TEST_F(ComplaintRules, ChecksAttributesAgainstTheDefinition) {
  std::map<std::string, std::string> errors;
  auto out = check_attributes(categories_[0],
                              {{"arah", "selatan"},
                               {"kerusakan", "retak"},
                               {"luas", "2.5"},
                               {"arah", "utara"},
                               {"sejak", "2026-11-01T08:00:00+07:00"}},
                              errors);
  EXPECT_TRUE(errors.empty());
  // In the definition's order; a multivaluelist keeps every value.
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].first, "kerusakan");
  EXPECT_EQ(out[3], (std::pair<std::string, std::string>{"arah", "selatan"}));

  errors.clear();
  check_attributes(categories_[0],
                   {{"kerusakan", "bolong"}, {"luas", "lebar"}, {"sejak", "kemarin"}, {"x", "1"}},
                   errors);
  EXPECT_EQ(errors["attribute[kerusakan]"], "not one of the allowed values");
  EXPECT_EQ(errors["attribute[luas]"], "not a valid number");
  EXPECT_EQ(errors["attribute[sejak]"], "not a valid datetime");
  EXPECT_EQ(errors["attribute[x]"], "not an attribute of this service");

  errors.clear();
  check_attributes(categories_[0], {{"kerusakan", "lubang"}, {"kerusakan", "retak"}}, errors);
  EXPECT_EQ(errors["attribute[kerusakan]"], "one value only");
  errors.clear();
  check_attributes(categories_[0], {}, errors);
  EXPECT_EQ(errors["attribute[kerusakan]"], "required");
}

TEST(ComplaintLifecycle, FollowsTheServiceLevelStates) {
  EXPECT_TRUE(allowed(Action::verify, Status::submitted));
  EXPECT_FALSE(allowed(Action::verify, Status::dispositioned));
  EXPECT_EQ(allowed(Action::verify, Status::rejected).error().code, core::ErrorCode::conflict);
  EXPECT_TRUE(allowed(Action::follow_up, Status::dispositioned));
  EXPECT_TRUE(allowed(Action::resolve, Status::in_progress));
  EXPECT_FALSE(allowed(Action::resolve, Status::submitted));
  EXPECT_TRUE(allowed(Action::reopen, Status::resolved));
  EXPECT_FALSE(allowed(Action::reopen, Status::closed));
  EXPECT_TRUE(allowed(Action::rate, Status::closed));
  EXPECT_FALSE(allowed(Action::rate, Status::resolved));
  EXPECT_FALSE(allowed(Action::comment, Status::rejected));
  EXPECT_TRUE(allowed(Action::note, Status::closed));
  EXPECT_FALSE(allowed(Action::support, Status::closed));
  EXPECT_FALSE(allowed(Action::merge, Status::rejected));
  EXPECT_TRUE(allowed(Action::escalate, Status::submitted));
  EXPECT_FALSE(allowed(Action::escalate, Status::resolved));

  EXPECT_EQ(next_status(Action::verify, Status::submitted), Status::dispositioned);
  EXPECT_EQ(next_status(Action::follow_up, Status::dispositioned), Status::in_progress);
  EXPECT_EQ(next_status(Action::follow_up, Status::in_progress), Status::in_progress);
  EXPECT_EQ(next_status(Action::reopen, Status::resolved), Status::in_progress);
  EXPECT_EQ(next_status(Action::close_auto, Status::resolved), Status::closed);
  EXPECT_EQ(next_status(Action::note, Status::submitted), Status::submitted);
  EXPECT_TRUE(is_open(Status::resolved));
  EXPECT_FALSE(is_open(Status::rejected));
}

TEST(ComplaintRouting, LongestRegionPrefixWins) {
  Category tree{"pohon-tumbang", "Pohon", "", "", "", "dlh", true, 100, {}, 1};
  std::vector<Route> routes = {{"pohon-tumbang", "35.77.03", "dpupr"},
                               {"pohon-tumbang", "35.77.03.1003", "kel-banjarejo"},
                               {"sampah", "35.77.03", "dlh-taman"},
                               {"pohon-tumbang", "35.77.0", "wrong"}};
  EXPECT_EQ(route(tree, "35.77.03.1001", routes), "dpupr");
  EXPECT_EQ(route(tree, "35.77.03.1003", routes), "kel-banjarejo");
  EXPECT_EQ(route(tree, "35.77.01.1001", routes), "dlh");
  EXPECT_EQ(route(tree, "", routes), "dlh");
}

TEST(ComplaintRouting, VerifierIsTheDeskOrTheVillageOffice) {
  auto exists = [](std::string_view code) { return code == "kel-3577011001"; };
  EXPECT_EQ(village_agency("kel-", "35.77.01.1001"), "kel-3577011001");
  EXPECT_EQ(verifier_for("desk", "diskominfo", "kel-", "35.77.01.1001", exists), "diskominfo");
  EXPECT_EQ(verifier_for("village", "diskominfo", "kel-", "35.77.01.1001", exists),
            "kel-3577011001");
  EXPECT_EQ(verifier_for("village", "diskominfo", "kel-", "35.77.01.1002", exists), "diskominfo");
  EXPECT_EQ(verifier_for("village", "diskominfo", "kel-", "", exists), "diskominfo");
}

core::Timestamp wib(int y, int m, int d, int hh, int mm) {
  return core::Timestamp{
      (core::days_from_civil({y, m, d}) * 86'400 + hh * 3600 + mm * 60 - 7 * 3600) * 1000};
}

TEST(ComplaintServiceLevels, CountWorkingDaysOverWeekendsAndHolidays) {
  // 2026-12-24 is a Thursday; the 25th (Christmas) and the 26th-27th (weekend) do not count.
  calendar::WorkingDays days({{2026, 12, 25}}, core::Zone::wib);
  const auto submitted = wib(2026, 12, 24, 9, 0);
  // Three working days after Thursday: Mon 28, Tue 29, Wed 30 -> the end of the 30th.
  EXPECT_EQ(verify_due(days, submitted).ms, wib(2026, 12, 30, 23, 59).ms + 59'999);
  // Five after Friday 18 December: 21, 22, 23, 24, 28.
  EXPECT_EQ(follow_up_due(days, wib(2026, 12, 18, 16, 0)).ms,
            wib(2026, 12, 28, 23, 59).ms + 59'999);
  // Ten after Monday 14 December: 15..18, 21..24, 28, 29.
  EXPECT_EQ(close_due(days, wib(2026, 12, 14, 10, 0)).ms, wib(2026, 12, 29, 23, 59).ms + 59'999);
}

TEST(ComplaintServiceLevels, OverdueOnlyForTheCitysSteps) {
  Complaint c;
  c.status = Status::submitted;
  c.due_at = core::Timestamp{1000};
  EXPECT_TRUE(overdue(c, core::Timestamp{1001}));
  EXPECT_FALSE(overdue(c, core::Timestamp{1000}));
  c.status = Status::resolved;  // the reporter's time: passing it closes the report instead
  EXPECT_FALSE(overdue(c, core::Timestamp{5000}));
  c.status = Status::dispositioned;
  c.due_at.reset();
  EXPECT_FALSE(overdue(c, core::Timestamp{5000}));
}

TEST(ComplaintTracking, FormatsAndRecognisesNumbers) {
  EXPECT_EQ(format_tracking(2026, 123), "ADU-2026-000123");
  EXPECT_EQ(format_tracking(2026, 1234567), "ADU-2026-1234567");
  EXPECT_TRUE(is_tracking("ADU-2026-000123"));
  EXPECT_TRUE(is_tracking("ADU-2026-1234567"));
  for (const char* bad : {"ADU-2026-00012", "adu-2026-000123", "ADU-2026-00012x", "ADU2026-000123",
                          "ADU-26-000123", "", "ADU-2026-000123/../x"})
    EXPECT_FALSE(is_tracking(bad)) << bad;
}

TEST(ComplaintStatistics, MedianOfDurations) {
  std::vector<int64_t> none;
  EXPECT_FALSE(median(none));
  std::vector<int64_t> odd{5, 1, 3};
  EXPECT_EQ(median(odd), 3);
  std::vector<int64_t> even{4, 1, 3, 2};
  EXPECT_EQ(median(even), 2);  // (2 + 3) / 2 rounded down
}

TEST(ComplaintText, DisplayTitleCutsAtAWord) {
  EXPECT_EQ(display_title("Judul", "apa saja"), "Judul");
  EXPECT_EQ(display_title("", "Baris pertama\nbaris kedua"), "Baris pertama");
  const std::string long_text =
      "Jalan di depan sekolah dasar negeri berlubang besar sekali dan sudah memakan korban dua "
      "pengendara motor minggu ini";
  const std::string t = display_title("", long_text);
  EXPECT_LT(t.size(), 90u);
  EXPECT_TRUE(t.ends_with("…"));
  EXPECT_EQ(t.find("  "), std::string::npos);
}

}  // namespace
}  // namespace balai::complaints::rules
