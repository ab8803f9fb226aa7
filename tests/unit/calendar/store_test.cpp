// The holiday calendar's SQL on both backends, with the seed migration of 2026.
#include "modules/calendar/store.h"

#include <gtest/gtest.h>

#include "db/migrator.h"
#include "modules/calendar/module.h"
#include "modules/calendar/rules.h"
#include "support/databases.h"

namespace balai::calendar {
namespace {

class CalendarStore : public balai::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    auto migrated = db::migrate(db(), migrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    store_ = std::make_unique<Store>(db());
  }

  core::Result<bool> insert(const Holiday& h) {
    bool inserted = false;
    auto s = db().transact([&](db::Connection& c) -> core::Status {
      auto r = store_->insert(c, h, now_);
      if (!r) return r.take_error();
      inserted = *r;
      return {};
    });
    if (!s) return s.take_error();
    return inserted;
  }

  core::Result<bool> remove(core::Date d) {
    bool removed = false;
    auto s = db().transact([&](db::Connection& c) -> core::Status {
      auto r = store_->remove(c, d);
      if (!r) return r.take_error();
      removed = *r;
      return {};
    });
    if (!s) return s.take_error();
    return removed;
  }

  core::Timestamp now_{1'795'000'000'000};
  std::unique_ptr<Store> store_;
};

TEST_P(CalendarStore, SeedsTheNationalHolidaysAndCutiBersamaOf2026) {
  auto year = store_->list_year(2026);
  ASSERT_TRUE(year.ok()) << year.error().message;
  ASSERT_EQ(year->size(), 25u);  // 17 national holidays, 8 days of cuti bersama
  int collective = 0;
  for (const auto& h : *year) collective += h.collective_leave ? 1 : 0;
  EXPECT_EQ(collective, 8);
  EXPECT_EQ(year->front().date, (core::Date{2026, 1, 1}));
  EXPECT_EQ(year->back().date, (core::Date{2026, 12, 25}));
  EXPECT_EQ(year->back().name_en, "Christmas Day");
  for (size_t i = 1; i < year->size(); ++i)
    EXPECT_LT((*year)[i - 1].date, (*year)[i].date) << "in date order";
}

TEST_P(CalendarStore, AddsListsAndRemovesAHoliday) {
  const Holiday h{{2027, 8, 17}, "Proklamasi Kemerdekaan", "Independence Day", false};
  auto inserted = insert(h);
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;
  EXPECT_TRUE(*inserted);
  auto year = store_->list_year(2027);
  ASSERT_TRUE(year.ok());
  ASSERT_EQ(year->size(), 1u);
  EXPECT_EQ((*year)[0].date, h.date);
  EXPECT_EQ((*year)[0].name_id, h.name_id);
  EXPECT_EQ((*year)[0].name_en, h.name_en);
  EXPECT_FALSE((*year)[0].collective_leave);

  auto removed = remove(h.date);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  EXPECT_TRUE(store_->list_year(2027)->empty());
  EXPECT_FALSE(*remove(h.date));  // nothing left to remove
}

TEST_P(CalendarStore, RefusesASecondHolidayOnADateWithoutLosingTheTransaction) {
  const Holiday first{{2027, 3, 10}, "Idul Fitri", "Eid al-Fitr", false};
  ASSERT_TRUE(*insert(first));
  // The refused insert is followed by another statement in the same transaction, which must
  // still succeed (PostgreSQL aborts a transaction at its first failed statement).
  bool again = true;
  auto s = db().transact([&](db::Connection& c) -> core::Status {
    auto r = store_->insert(c, Holiday{{2027, 3, 10}, "Lain", "Other", true}, now_);
    if (!r) return r.take_error();
    again = *r;
    auto next = store_->insert(c, Holiday{{2027, 3, 11}, "Idul Fitri", "Eid al-Fitr", false}, now_);
    if (!next) return next.take_error();
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(again);
  auto year = store_->list_year(2027);
  ASSERT_EQ(year->size(), 2u);
  EXPECT_EQ((*year)[0].name_id, "Idul Fitri");  // the first one stays
}

TEST_P(CalendarStore, KeepsAYearsListToThatYear) {
  ASSERT_TRUE(*insert({{2027, 1, 1}, "Tahun Baru 2027 Masehi", "New Year's Day 2027", false}));
  ASSERT_TRUE(*insert({{2028, 1, 1}, "Tahun Baru 2028 Masehi", "New Year's Day 2028", false}));
  ASSERT_EQ(store_->list_year(2027)->size(), 1u);
  EXPECT_EQ(store_->list_year(2028)->size(), 1u);
  EXPECT_TRUE(store_->list_year(2029)->empty());
  EXPECT_EQ(store_->list_year(2026)->back().date, (core::Date{2026, 12, 25}));
}

TEST_P(CalendarStore, GivesEveryDateForTheWorkingDays) {
  ASSERT_TRUE(*insert({{2027, 1, 1}, "Tahun Baru 2027 Masehi", "New Year's Day 2027", true}));
  auto dates = store_->all_dates();
  ASSERT_TRUE(dates.ok());
  ASSERT_EQ(dates->size(), 26u);
  EXPECT_EQ(dates->back(), (core::Date{2027, 1, 1}));
}

BALAI_INSTANTIATE_DATABASE_TESTS(CalendarStore);

}  // namespace
}  // namespace balai::calendar
