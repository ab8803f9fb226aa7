#include "core/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"

namespace balai::core::log {
namespace {

using namespace std::string_literals;

// Captures every line the writer thread delivers; restores the default sink and level after.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_level(Level::debug);
    set_sink([this](std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    });
  }

  void TearDown() override {
    flush();
    set_sink(nullptr);
    set_level(Level::info);
  }

  // Every line delivered so far (after waiting for the queue to drain).
  std::vector<std::string> lines() {
    flush();
    std::lock_guard lock(mutex_);
    return lines_;
  }

  // The only line written, parsed; fails the test when there is not exactly one.
  boost::json::object only_line() {
    const auto all = lines();
    EXPECT_EQ(all.size(), 1u);
    if (all.size() != 1) return {};
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(all[0], ec);
    EXPECT_FALSE(ec) << "not JSON: " << all[0];
    if (ec || !v.is_object()) return {};
    return v.as_object();
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST_F(LogTest, WritesOneJsonObjectPerLine) {
  info("test.started");
  const auto all = lines();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].back(), '\n');
  EXPECT_EQ(all[0].find('\n'), all[0].size() - 1);
  EXPECT_EQ(all[0].front(), '{');
}

TEST_F(LogTest, LineHoldsTimeLevelAndEvent) {
  warn("test.event");
  const auto o = only_line();
  ASSERT_TRUE(o.contains("time"));
  EXPECT_TRUE(parse_iso8601(std::string(o.at("time").as_string())).has_value());
  EXPECT_EQ(o.at("level").as_string(), "warn");
  EXPECT_EQ(o.at("event").as_string(), "test.event");
}

TEST_F(LogTest, TimeIsUtc) {
  info("test.event");
  const auto o = only_line();
  ASSERT_TRUE(o.contains("time"));
  EXPECT_TRUE(o.at("time").as_string().ends_with("Z"));
}

TEST_F(LogTest, FieldsKeepTheirJsonTypes) {
  info("http.request", {{"route", "/api/v1/services"},
                        {"status", 200},
                        {"bytes", int64_t{1} << 40},
                        {"cached", true},
                        {"duration_ms", 0.25}});
  const auto o = only_line();
  ASSERT_TRUE(o.contains("route"));
  EXPECT_EQ(o.at("route").as_string(), "/api/v1/services");
  EXPECT_EQ(o.at("status").as_int64(), 200);
  EXPECT_EQ(o.at("bytes").as_int64(), int64_t{1} << 40);
  EXPECT_EQ(o.at("cached").as_bool(), true);
  EXPECT_DOUBLE_EQ(o.at("duration_ms").to_number<double>(), 0.25);
}

TEST_F(LogTest, EscapesQuotesAndBackslashes) {
  const std::string tricky = R"(say "hi" \ bye \")";
  info("test.event", {{"text", tricky}});
  const auto o = only_line();
  ASSERT_TRUE(o.contains("text"));
  EXPECT_EQ(o.at("text").as_string(), tricky);
}

TEST_F(LogTest, EscapesControlCharacters) {
  const std::string tricky = "line\nbreak\r\ttab\x01\x1f"s + '\0' + "end";
  info("test.event", {{"text", tricky}});
  const auto all = lines();
  ASSERT_EQ(all.size(), 1u);
  for (size_t i = 0; i + 1 < all[0].size(); ++i)
    EXPECT_GE(static_cast<unsigned char>(all[0][i]), 0x20) << "raw control byte at " << i;
  const auto o = boost::json::parse(all[0]).as_object();
  EXPECT_EQ(o.at("text").as_string(), tricky);
}

TEST_F(LogTest, EscapesTheEventNameAndKeys) {
  info("bad\"event", {{"k\"ey\n", 1}});
  const auto o = only_line();
  ASSERT_TRUE(o.contains("event"));
  EXPECT_EQ(o.at("event").as_string(), "bad\"event");
  EXPECT_TRUE(o.contains("k\"ey\n"));
}

TEST_F(LogTest, ReplacesInvalidUtf8WithTheReplacementCharacter) {
  info("test.event", {{"text",
                       "a\xff"
                       "b\xc0\xaf"
                       "c\xed\xa0\x80"}});
  const auto o = only_line();
  ASSERT_TRUE(o.contains("text"));
  // One U+FFFD per byte that is not part of a valid sequence.
  EXPECT_EQ(o.at("text").as_string(),
            "a\xef\xbf\xbd"
            "b\xef\xbf\xbd\xef\xbf\xbd"
            "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

TEST_F(LogTest, KeepsValidUtf8AsItIs) {
  const std::string text = "Kota Madiun \xe2\x80\x94 \xf0\x9f\x98\x80";
  info("test.event", {{"text", text}});
  const auto o = only_line();
  ASSERT_TRUE(o.contains("text"));
  EXPECT_EQ(o.at("text").as_string(), text);
}

TEST_F(LogTest, NonFiniteNumbersStillGiveValidJson) {
  info("test.event", {{"nan", std::numeric_limits<double>::quiet_NaN()},
                      {"inf", std::numeric_limits<double>::infinity()}});
  const auto all = lines();
  ASSERT_EQ(all.size(), 1u);
  boost::system::error_code ec;
  boost::json::parse(all[0], ec);
  EXPECT_FALSE(ec) << "not JSON: " << all[0];
}

TEST_F(LogTest, DropsLinesBelowTheLevel) {
  set_level(Level::warn);
  debug("test.debug");
  info("test.info");
  warn("test.warn");
  error("test.error");
  const auto all = lines();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(all[0].find("\"test.warn\""), std::string::npos);
  EXPECT_NE(all[1].find("\"test.error\""), std::string::npos);
}

TEST_F(LogTest, EnabledFollowsTheLevel) {
  set_level(Level::info);
  EXPECT_FALSE(enabled(Level::debug));
  EXPECT_TRUE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::error));
}

TEST_F(LogTest, LinesFromManyThreadsArriveWholeAndInOrderPerThread) {
  constexpr int kThreads = 4;
  constexpr int kLines = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLines; ++i) info("test.line", {{"thread", t}, {"i", i}});
    });
  }
  for (auto& th : threads) th.join();
  const auto all = lines();
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kLines));
  std::vector<int64_t> next(kThreads, 0);
  for (const auto& line : all) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    const auto t = static_cast<size_t>(v.at("thread").as_int64());
    EXPECT_EQ(v.at("i").as_int64(), next[t]);
    next[t] = v.at("i").as_int64() + 1;
  }
}

TEST_F(LogTest, NullSinkSendsLinesToStandardErrorAgain) {
  set_sink(nullptr);
  std::FILE* capture = std::tmpfile();
  ASSERT_NE(capture, nullptr);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(capture), STDERR_FILENO);
  info("test.to_stderr");
  flush();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);

  std::string written;
  std::rewind(capture);
  for (int c; (c = std::fgetc(capture)) != EOF;) written += static_cast<char>(c);
  std::fclose(capture);
  EXPECT_NE(written.find("\"event\":\"test.to_stderr\""), std::string::npos) << written;
  EXPECT_TRUE(lines().empty());
}

TEST(LogLevel, NamesRoundTrip) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
    Level parsed = Level::error;
    ASSERT_TRUE(parse_level(to_string(l), parsed)) << to_string(l);
    EXPECT_EQ(parsed, l);
  }
}

TEST(LogLevel, UnknownNameIsRejectedAndLeavesTheOutputAlone) {
  Level out = Level::warn;
  EXPECT_FALSE(parse_level("verbose", out));
  EXPECT_FALSE(parse_level("INFO", out));
  EXPECT_EQ(out, Level::warn);
}

TEST(AppendJsonEscaped, AppendsWithoutQuotes) {
  std::string out = "x=";
  append_json_escaped(out, "a\"b");
  EXPECT_EQ(out, "x=a\\\"b");
}

TEST(AppendJsonEscaped, WritesOtherControlCharactersAsUnicodeEscapes) {
  std::string out;
  append_json_escaped(out, "\x01\x1f");
  EXPECT_EQ(out, "\\u0001\\u001f");
}

}  // namespace
}  // namespace balai::core::log
