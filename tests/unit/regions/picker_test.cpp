#include "modules/regions/picker.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/static_files.h"
#include "support/databases.h"
#include "web/renderer.h"

namespace balai::regions {
namespace {

// Two provinces; Kota Madiun with two districts; Kartoharjo with two villages.
const Directory& table() {
  static const auto t = Directory::from_rows({
      {"31", "DKI Jakarta"},
      {"35", "Jawa Timur"},
      {"35.77", "Kota Madiun"},
      {"35.78", "Kota Surabaya"},
      {"35.78.01", "Genteng"},
      {"35.77.01", "Kartoharjo"},
      {"35.77.02", "Manguharjo"},
      {"35.77.01.1001", "Oro-oro Ombo"},
      {"35.77.01.1002", "Sukosari"},
  });
  return *t;
}

std::vector<std::string> option_codes(const boost::json::object& level) {
  std::vector<std::string> out;
  for (const auto& o : level.at("options").as_array()) out.emplace_back(o.at("code").as_string());
  return out;
}

std::string selected_code(const boost::json::object& level) {
  for (const auto& o : level.at("options").as_array())
    if (o.at("selected").as_bool()) return std::string(o.at("code").as_string());
  return {};
}

http::Form form_of(std::vector<std::pair<std::string, std::string>> fields) {
  http::Form f;
  f.fields = std::move(fields);
  return f;
}

TEST(PickerField, NamesEachLevelsFieldAfterThePrefix) {
  EXPECT_EQ(picker_field("domicile", Level::province), "domicile_province");
  EXPECT_EQ(picker_field("domicile", Level::village), "domicile_village");
}

TEST(Picker, ListsOnlyTheProvincesWhenNothingIsSelected) {
  const auto view = picker_view(table(), "domicile", "");
  const auto& province = view.at("province").as_object();
  EXPECT_EQ(option_codes(province), (std::vector<std::string>{"31", "35"}));
  EXPECT_EQ(selected_code(province), "");
  EXPECT_EQ(province.at("name").as_string(), "domicile_province");
  EXPECT_EQ(province.at("id").as_string(), "domicile-province");
  EXPECT_EQ(province.at("next").as_string(), "domicile-regency");
  for (const char* later : {"regency", "district", "village"})
    EXPECT_TRUE(view.at(later).at("options").as_array().empty()) << later;
  EXPECT_EQ(view.at("focus_id").as_string(), "domicile-province");
  EXPECT_TRUE(view.at("show_refresh").as_bool());
  EXPECT_EQ(view.at("refresh_name").as_string(), "_region_refresh");
  EXPECT_EQ(view.at("prefix").as_string(), "domicile");
  EXPECT_FALSE(view.at("has_script").as_bool());
  EXPECT_FALSE(view.at("has_error").as_bool());
}

TEST(Picker, FillsEveryLevelDownToTheSelectedDistrict) {
  const auto view = picker_view(table(), "domicile", "35.77.01");
  EXPECT_EQ(selected_code(view.at("province").as_object()), "35");
  const auto& regency = view.at("regency").as_object();
  EXPECT_EQ(option_codes(regency), (std::vector<std::string>{"35.77", "35.78"}));
  EXPECT_EQ(selected_code(regency), "35.77");
  const auto& district = view.at("district").as_object();
  EXPECT_EQ(option_codes(district), (std::vector<std::string>{"35.77.01", "35.77.02"}));
  EXPECT_EQ(selected_code(district), "35.77.01");
  EXPECT_TRUE(district.at("chosen").as_bool());
  const auto& village = view.at("village").as_object();
  EXPECT_EQ(option_codes(village), (std::vector<std::string>{"35.77.01.1001", "35.77.01.1002"}));
  EXPECT_EQ(selected_code(village), "");
  EXPECT_FALSE(village.at("chosen").as_bool());
  EXPECT_EQ(village.at("next").as_string(), "");
  EXPECT_EQ(view.at("focus_id").as_string(), "domicile-village");
}

TEST(Picker, StopsAtTheDeepestLevelTheFormAsksFor) {
  const auto view = picker_view(table(), "office", "35.77.01.1001", {.deepest = Level::district});
  EXPECT_FALSE(view.at("village").as_bool());
  EXPECT_EQ(selected_code(view.at("district").as_object()), "35.77.01");
  EXPECT_EQ(view.at("district").at("next").as_string(), "");
  EXPECT_EQ(view.at("focus_id").as_string(), "office-district");
}

TEST(Picker, SelectsTheKnownAncestorsOfAnUnknownCodeAndNothingForAMalformedOne) {
  const auto unknown = picker_view(table(), "domicile", "35.77.09");
  EXPECT_EQ(selected_code(unknown.at("regency").as_object()), "35.77");
  EXPECT_EQ(selected_code(unknown.at("district").as_object()), "");
  const auto malformed = picker_view(table(), "domicile", "35.77.x");
  EXPECT_EQ(selected_code(malformed.at("province").as_object()), "");
  EXPECT_TRUE(malformed.at("regency").at("options").as_array().empty());
}

TEST(Picker, CarriesTheLegendErrorAndScriptItIsGiven) {
  const auto view = picker_view(
      table(), "domicile", "",
      {.legend = "Alamat", .error = "Pilih kelurahan", .script_url = "/static/js/r.1.js"});
  EXPECT_EQ(view.at("legend").as_string(), "Alamat");
  EXPECT_TRUE(view.at("has_legend").as_bool());
  EXPECT_TRUE(view.at("has_error").as_bool());
  EXPECT_EQ(view.at("error_id").as_string(), "domicile-error");
  EXPECT_EQ(view.at("script").as_string(), "/static/js/r.1.js");
  EXPECT_TRUE(view.at("has_script").as_bool());
}

TEST(ChosenRegion, ReadsTheDeepestConsistentChoice) {
  const auto form = form_of({{"domicile_province", "35"},
                             {"domicile_regency", "35.77"},
                             {"domicile_district", "35.77.01"},
                             {"domicile_village", "35.77.01.1002"}});
  EXPECT_EQ(chosen_region(table(), form, "domicile"), "35.77.01.1002");
}

TEST(ChosenRegion, StopsAtTheFirstLevelLeftEmpty) {
  const auto form = form_of({{"domicile_province", "35"},
                             {"domicile_regency", "35.77"},
                             {"domicile_district", ""},
                             {"domicile_village", "35.77.01.1002"}});
  EXPECT_EQ(chosen_region(table(), form, "domicile"), "35.77");
  EXPECT_EQ(chosen_region(table(), form_of({}), "domicile"), "");
}

TEST(ChosenRegion, IgnoresAForgedCodeNotInTheTable) {
  const auto form = form_of({{"domicile_province", "35"},
                             {"domicile_regency", "35.77"},
                             {"domicile_district", "35.77.99"}});
  EXPECT_EQ(chosen_region(table(), form, "domicile"), "35.77");
  EXPECT_EQ(chosen_region(table(), form_of({{"domicile_province", "99"}}), "domicile"), "");
  EXPECT_EQ(chosen_region(table(), form_of({{"domicile_province", "35.77"}}), "domicile"), "");
}

TEST(ChosenRegion, IgnoresAStaleChoiceFromAnotherRegency) {
  // The person changed the regency to Surabaya without JavaScript; the district is still Madiun's.
  const auto form = form_of({{"domicile_province", "35"},
                             {"domicile_regency", "35.78"},
                             {"domicile_district", "35.77.01"}});
  EXPECT_EQ(chosen_region(table(), form, "domicile"), "35.78");
}

TEST(ChosenRegion, ReadsOnlyItsOwnPrefix) {
  const auto form = form_of({{"office_province", "35"}, {"domicile_province", "31"}});
  EXPECT_EQ(chosen_region(table(), form, "office"), "35");
}

TEST(RefreshRequested, IsTrueOnlyForThisPickersButton) {
  EXPECT_TRUE(refresh_requested(form_of({{"_region_refresh", "domicile"}}), "domicile"));
  EXPECT_FALSE(refresh_requested(form_of({{"_region_refresh", "office"}}), "domicile"));
  EXPECT_FALSE(refresh_requested(form_of({{"domicile_province", "35"}}), "domicile"));
}

// The partial itself, rendered by the real renderer with the project's templates and catalogs.
class PickerTemplate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string web = balai::testing::source_dir() + "/web";
    auto statics = http::StaticFiles::load(web + "/static");
    ASSERT_TRUE(statics.ok());
    statics_ = new http::StaticFiles(std::move(statics).value());
    auto renderer = web::Renderer::load(web, core::CityConfig{}, *statics_);
    ASSERT_TRUE(renderer.ok()) << renderer.error().message;
    renderer_ = renderer->release();
  }
  static void TearDownTestSuite() {
    delete renderer_;
    delete statics_;
  }
  static std::string render(boost::json::object view, const std::string& lang = "id") {
    http::Request req;
    req.path = "/test";
    req.query = "lang=" + lang;
    return renderer_->render_page("partials/region_picker", req, std::move(view));
  }
  static size_t count(const std::string& html, std::string_view what) {
    size_t n = 0;
    for (size_t at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
    return n;
  }
  static inline http::StaticFiles* statics_ = nullptr;
  static inline web::Renderer* renderer_ = nullptr;
};

TEST_F(PickerTemplate, LabelsFourSelectsAndOffersTheRefreshButton) {
  const std::string html = render(picker_view(table(), "domicile", "35.77.01",
                                              {.script_url = statics_->url_for(kPickerScript)}));
  EXPECT_EQ(count(html, "<select "), 4u);
  for (const char* id :
       {"domicile-province", "domicile-regency", "domicile-district", "domicile-village"}) {
    EXPECT_NE(html.find(std::string("<label class=\"form__label\" for=\"") + id + "\">"),
              std::string::npos)
        << id;
  }
  EXPECT_NE(html.find("Kabupaten/kota"), std::string::npos);
  EXPECT_NE(html.find("<option value=\"35.77.01\" selected>Kartoharjo</option>"),
            std::string::npos);
  EXPECT_NE(html.find("name=\"_region_refresh\" value=\"domicile\""), std::string::npos);
  EXPECT_NE(html.find("Perbarui pilihan wilayah"), std::string::npos);
  EXPECT_NE(html.find("<script src=\"/static/js/region-picker."), std::string::npos);
}

TEST_F(PickerTemplate, SpeaksEnglishWhenAsked) {
  const std::string html = render(picker_view(table(), "domicile", ""), "en");
  EXPECT_NE(html.find("Update region choices"), std::string::npos);
  EXPECT_NE(html.find("District (kecamatan)"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST_F(PickerTemplate, ShowsTheErrorLinkedFromTheFieldset) {
  const std::string html =
      render(picker_view(table(), "domicile", "35", {.error = "Pilih kelurahan/desa"}));
  EXPECT_NE(html.find("aria-describedby=\"domicile-hint domicile-error\""), std::string::npos);
  EXPECT_NE(html.find("id=\"domicile-error\""), std::string::npos);
}

}  // namespace
}  // namespace balai::regions
