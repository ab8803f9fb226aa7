#include "modules/regions/directory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/databases.h"

namespace balai::regions {
namespace {

std::string real_table_path() {
  return balai::testing::source_dir() + "/data/wilayah/wilayah.csv";
}

const Directory& real_table() {
  static const std::shared_ptr<const Directory> table = [] {
    auto loaded = Directory::load(real_table_path());
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(loaded).value();
  }();
  return *table;
}

// A small table: two provinces, Kota Madiun's districts and some of Kartoharjo's villages.
std::shared_ptr<const Directory> small_table() {
  return Directory::from_rows({
      {"35.77.01.1002", "Sukosari"},
      {"35", "Jawa Timur"},
      {"35.77", "Kota Madiun"},
      {"35.77.02", "Manguharjo"},
      {"35.77.01", "Kartoharjo"},
      {"35.77.01.1001", "Oro-oro Ombo"},
      {"35.78", "Kota Surabaya"},
      {"31", "DKI Jakarta"},
      {"35.77.03", "Taman"},
  });
}

std::vector<std::string> codes(const std::vector<const Region*>& regions) {
  std::vector<std::string> out;
  for (const Region* r : regions) out.push_back(r->code);
  return out;
}

// A CSV file in a fresh temporary folder, removed at the end of the test.
class CsvFile {
 public:
  explicit CsvFile(std::string_view content) {
    dir_ = std::filesystem::temp_directory_path() /
           ("balai-wilayah-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "wilayah.csv", std::ios::binary) << content;
  }
  ~CsvFile() { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "wilayah.csv").string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
};

TEST(Directory, LoadsEveryRowOfTheKemendagriTable) {
  EXPECT_EQ(real_table().size(), 91'599u);
}

TEST(Directory, FindsAProvinceARegencyADistrictAndAVillageByCode) {
  const Directory& t = real_table();
  ASSERT_NE(t.find("35"), nullptr);
  EXPECT_EQ(t.find("35")->name, "Jawa Timur");
  EXPECT_EQ(t.find("35.77")->name, "Kota Madiun");
  EXPECT_EQ(t.find("35.77.01")->name, "Kartoharjo");
  EXPECT_EQ(t.find("35.77.01")->level, Level::district);
  EXPECT_EQ(t.find("35.77.01.1001")->name, "Oro-oro Ombo");
  EXPECT_EQ(t.find("35.77.01.1001")->level, Level::village);
}

TEST(Directory, ReadsQuotedNamesThatHoldCommas) {
  ASSERT_NE(real_table().find("12.07.28.1007"), nullptr);
  EXPECT_EQ(real_table().find("12.07.28.1007")->name, "Lubuk Pakam I,II");
}

TEST(Directory, FindsNothingForUnknownOrMalformedCodes) {
  const Directory& t = real_table();
  EXPECT_EQ(t.find("99"), nullptr);
  EXPECT_EQ(t.find("35.77.99"), nullptr);
  EXPECT_EQ(t.find(""), nullptr);
  EXPECT_EQ(t.find("3577"), nullptr);
  EXPECT_EQ(t.find("35.77."), nullptr);
}

TEST(Directory, ListsTheThirtyEightProvincesUnderTheEmptyParent) {
  const auto provinces = real_table().children("");
  ASSERT_EQ(provinces.size(), 38u);
  EXPECT_EQ(provinces.front()->code, "11");
  EXPECT_EQ(provinces.front()->name, "Aceh");
  EXPECT_EQ(provinces.back()->code, "96");
  for (const Region* p : provinces) EXPECT_EQ(p->level, Level::province);
}

TEST(Directory, ListsTheRegenciesAndCitiesOfAProvinceInCodeOrder) {
  const auto regencies = real_table().children("35");
  ASSERT_EQ(regencies.size(), 38u);
  EXPECT_EQ(regencies.front()->code, "35.01");
  for (size_t i = 1; i < regencies.size(); ++i)
    EXPECT_LT(regencies[i - 1]->code, regencies[i]->code);
  for (const Region* r : regencies) EXPECT_EQ(r->level, Level::regency);
}

TEST(Directory, ListsTheVillagesOfADistrict) {
  const auto villages = real_table().children("35.77.01");
  ASSERT_EQ(villages.size(), 9u);
  EXPECT_EQ(villages.front()->name, "Oro-oro Ombo");
  EXPECT_EQ(villages.back()->code, "35.77.01.1009");
}

TEST(Directory, ListsNoChildrenUnderAVillageOrAnUnknownCode) {
  EXPECT_TRUE(real_table().children("35.77.01.1001").empty());
  EXPECT_TRUE(real_table().children("99").empty());
  EXPECT_TRUE(real_table().children("3").empty());
}

TEST(Directory, ListsOnlyDirectChildrenOfASmallTable) {
  const auto t = small_table();
  EXPECT_EQ(codes(t->children("")), (std::vector<std::string>{"31", "35"}));
  EXPECT_EQ(codes(t->children("35")), (std::vector<std::string>{"35.77", "35.78"}));
  EXPECT_EQ(codes(t->children("35.77")),
            (std::vector<std::string>{"35.77.01", "35.77.02", "35.77.03"}));
  EXPECT_EQ(codes(t->children("35.77.01")),
            (std::vector<std::string>{"35.77.01.1001", "35.77.01.1002"}));
  EXPECT_TRUE(t->children("31").empty());
}

TEST(Directory, GivesTheLineageFromTheProvinceDown) {
  const auto t = small_table();
  EXPECT_EQ(codes(t->lineage("35.77.01.1002")),
            (std::vector<std::string>{"35", "35.77", "35.77.01", "35.77.01.1002"}));
  EXPECT_EQ(codes(t->lineage("35")), (std::vector<std::string>{"35"}));
  EXPECT_EQ(real_table().lineage("35.77.01").back()->name, "Kartoharjo");
}

TEST(Directory, GivesNoLineageForAnUnknownCode) {
  EXPECT_TRUE(small_table()->lineage("35.77.04").empty());
  EXPECT_TRUE(small_table()->lineage("").empty());
}

TEST(Directory, DropsRowsWithMalformedCodesAndTakesLevelsFromTheCodes) {
  const auto t = Directory::from_rows({{"35", "Jawa Timur", Level::village},
                                       {"3x", "Bad"},
                                       {"35.7", "Bad"},
                                       {"35.77.01.101", "Bad"}});
  EXPECT_EQ(t->size(), 1u);
  EXPECT_EQ(t->find("35")->level, Level::province);
}

TEST(Directory, LoadsEachFileOncePerProcess) {
  auto first = Directory::load(real_table_path());
  auto second =
      Directory::load(balai::testing::source_dir() + "/data/wilayah/../wilayah/wilayah.csv");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(first->get(), &real_table());
}

TEST(Directory, RefusesAMissingFile) {
  auto loaded = Directory::load("/nonexistent/wilayah.csv");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, core::ErrorCode::internal);
}

TEST(Directory, LoadsASmallFileWithQuotesAndWindowsLineEnds) {
  CsvFile file(
      "kode,nama\r\n35,Jawa Timur\r\n35.77,Kota Madiun\r\n35.77.01,\"Karto \"\"A\"\", B\"\r\n");
  auto loaded = Directory::load(file.path());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->find("35.77.01")->name, "Karto \"A\", B");
}

TEST(Directory, NamesTheLineOfAMalformedRow) {
  const struct {
    std::string_view content;
    std::string_view line;
  } cases[] = {
      {"kode,nama\n35,Jawa Timur\n35.7,Bad code\n", "line 3"},
      {"kode,nama\n35,Jawa Timur\n35.77\n", "line 3"},
      {"kode,nama\n35,Jawa Timur\n35.77,Kota, Madiun\n", "line 3"},
      {"kode,nama\n35,\"Jawa Timur\n", "line 2"},
      {"kode,nama\n35,\n", "line 2"},
      {"code,name\n35,Jawa Timur\n", "line 1"},
      {"kode,nama\n35,Jawa Timur\n35,Jawa Timur lagi\n", "line 3"},
      {"kode,nama\n35,Jawa Timur\n35.77.01,Kartoharjo\n", "line 3"},  // no parent 35.77
      {"kode,nama\n", "line 1"},
      {"", "line 1"},
  };
  for (const auto& c : cases) {
    CsvFile file(c.content);
    auto loaded = Directory::load(file.path());
    ASSERT_FALSE(loaded.ok()) << c.content;
    EXPECT_NE(loaded.error().message.find(c.line), std::string::npos)
        << loaded.error().message << " for " << c.content;
  }
}

TEST(DistrictCodeFromDigits, DotsTheSixDigitsOfANik) {
  EXPECT_EQ(district_code_from_digits("357701"), "35.77.01");
  EXPECT_EQ(district_code_from_digits("35770"), "");
  EXPECT_EQ(district_code_from_digits("3577011"), "");
  EXPECT_EQ(district_code_from_digits("35770a"), "");
}

TEST(LevelOf, ReadsTheLevelFromTheCodesShape) {
  EXPECT_EQ(level_of("35"), Level::province);
  EXPECT_EQ(level_of("35.77"), Level::regency);
  EXPECT_EQ(level_of("35.77.01"), Level::district);
  EXPECT_EQ(level_of("35.77.01.1001"), Level::village);
}

TEST(LevelOf, RejectsMalformedCodes) {
  for (std::string_view code :
       {"", "3", "357", "35.", ".35", "35..77", "35.7", "35.777", "35.77.1", "35.77.01.101",
        "35.77.01.10011", "35.77.01.1001.1", "3a", "35.7b", "35,77", " 35", "35 ", "35/77", "-5"}) {
    EXPECT_FALSE(level_of(code).has_value()) << code;
  }
}

TEST(LevelName, NamesEachLevelForTheApi) {
  EXPECT_EQ(to_string(Level::province), "province");
  EXPECT_EQ(to_string(Level::regency), "regency");
  EXPECT_EQ(to_string(Level::district), "district");
  EXPECT_EQ(to_string(Level::village), "village");
}

}  // namespace
}  // namespace balai::regions
