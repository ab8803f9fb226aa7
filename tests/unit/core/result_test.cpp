#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace balai::core {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return make_error(ErrorCode::validation_failed, "odd");
  return n / 2;
}

Result<int> quarter(int n) {
  auto h = half(n);
  if (!h) return h.take_error();
  return half(*h);
}

Status check_even(int n) {
  BALAI_TRY(half(n));
  return {};
}

Status check_both(int a, int b) {
  BALAI_TRY(check_even(a));
  BALAI_TRY(check_even(b));
  return {};
}

TEST(Result, HoldsAValue) {
  Result<int> r = half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 4);
  EXPECT_EQ(*r, 4);
}

TEST(Result, HoldsAnError) {
  Result<int> r = half(7);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::validation_failed);
  EXPECT_EQ(r.error().message, "odd");
}

TEST(Result, GivesMemberAccessThroughArrow) {
  Result<std::string> r = std::string("balai");
  EXPECT_EQ(r->size(), 5u);
}

TEST(Result, MovesAValueOut) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(3);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 3);
}

TEST(Result, TakesTheErrorWithItsFields) {
  Error e = make_error(ErrorCode::validation_failed, "invalid");
  e.fields["nik"] = "must be 16 digits";
  Result<int> r = e;
  Error taken = r.take_error();
  EXPECT_EQ(taken.code, ErrorCode::validation_failed);
  EXPECT_EQ(taken.fields.at("nik"), "must be 16 digits");
}

TEST(Result, PropagatesAnErrorThroughCallers) {
  EXPECT_EQ(quarter(8).value(), 2);
  auto r = quarter(6);  // 6 / 2 = 3 is odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "odd");
}

TEST(Status, IsOkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(static_cast<bool>(s));
}

TEST(Status, HoldsAnError) {
  Status s = make_error(ErrorCode::not_found, "no such service");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::not_found);
  EXPECT_EQ(s.take_error().message, "no such service");
}

TEST(BalaiTry, ReturnsTheFirstError) {
  const Status s = check_both(3, 5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::validation_failed);
}

TEST(BalaiTry, ContinuesWhenEveryStepSucceeds) {
  EXPECT_TRUE(check_both(2, 4).ok());
}

TEST(ErrorCodeNames, AreTheStableApiNames) {
  EXPECT_EQ(to_string(ErrorCode::validation_failed), "validation_failed");
  EXPECT_EQ(to_string(ErrorCode::bad_request), "bad_request");
  EXPECT_EQ(to_string(ErrorCode::unauthenticated), "unauthenticated");
  EXPECT_EQ(to_string(ErrorCode::forbidden), "forbidden");
  EXPECT_EQ(to_string(ErrorCode::not_found), "not_found");
  EXPECT_EQ(to_string(ErrorCode::conflict), "conflict");
  EXPECT_EQ(to_string(ErrorCode::payload_too_large), "payload_too_large");
  EXPECT_EQ(to_string(ErrorCode::unsupported_media), "unsupported_media_type");
  EXPECT_EQ(to_string(ErrorCode::rate_limited), "rate_limited");
  EXPECT_EQ(to_string(ErrorCode::unavailable), "unavailable");
  EXPECT_EQ(to_string(ErrorCode::internal), "internal_error");
}

TEST(ResultDeathTest, ReadingTheValueOfAnErrorAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Result<int> r = make_error(ErrorCode::conflict, "taken");
  EXPECT_DEATH((void)r.value(), "value\\(\\) on an error result \\(conflict: taken\\)");
}

}  // namespace
}  // namespace balai::core
