#include "security/ids/detector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace balai::security::ids {
namespace {

constexpr core::Timestamp kStart{1'795'746'600'000};  // 2026-11-27T02:30:00Z
constexpr int64_t kMinute = 60 * 1000;

Observation failed_login(std::string source, std::string account, core::Timestamp at) {
  return {.kind = ObservationKind::login_failed,
          .at = at,
          .source = std::move(source),
          .account = std::move(account)};
}

Observation refused(std::string source, int status, core::Timestamp at) {
  return {.kind = ObservationKind::http_refused,
          .at = at,
          .source = std::move(source),
          .status = status};
}

Observation waf_hit(std::string source, core::Timestamp at, std::vector<int> rules = {942100}) {
  return {.kind = ObservationKind::waf_hit,
          .at = at,
          .source = std::move(source),
          .rule_ids = std::move(rules)};
}

Observation staff_read(std::string account, std::string subject, core::Timestamp at) {
  return {.kind = ObservationKind::personal_data_read,
          .at = at,
          .source = "198.51.100.20",
          .account = std::move(account),
          .staff = true,
          .subject = std::move(subject)};
}

Observation sign_in(std::string account, bool staff, bool known_network, core::Timestamp at) {
  return {.kind = ObservationKind::login_succeeded,
          .at = at,
          .source = "192.0.2.44",
          .account = std::move(account),
          .staff = staff,
          .known_network = known_network};
}

core::Timestamp at_ms(int64_t offset) {
  return core::Timestamp{kStart.ms + offset};
}

// Feeds `count` copies of `o` and returns every finding they produced.
std::vector<Finding> feed(Detector& d, const Observation& o, int count) {
  std::vector<Finding> all;
  for (int i = 0; i < count; ++i)
    for (auto& f : d.observe(o)) all.push_back(std::move(f));
  return all;
}

// Failed sign-ins for one account, each from a different address, so only guessing can fire.
std::vector<Finding> guess(Detector& d, std::string_view account, core::Timestamp at, int count) {
  std::vector<Finding> all;
  static int next_address = 0;
  for (int i = 0; i < count; ++i) {
    const std::string source =
        "10.0." + std::to_string(next_address / 250) + "." + std::to_string(next_address % 250 + 1);
    ++next_address;
    for (auto& f : d.observe(failed_login(source, std::string(account), at)))
      all.push_back(std::move(f));
  }
  return all;
}

// --- Severity --------------------------------------------------------------------------------

TEST(IdsSeverity, NamesAreStable) {
  EXPECT_EQ(to_string(Severity::info), "info");
  EXPECT_EQ(to_string(Severity::low), "low");
  EXPECT_EQ(to_string(Severity::medium), "medium");
  EXPECT_EQ(to_string(Severity::high), "high");
  EXPECT_EQ(to_string(Severity::critical), "critical");
}

// --- Thresholds ------------------------------------------------------------------------------

TEST(IdsThresholds, DefaultsAreValid) {
  EXPECT_TRUE(validate(Thresholds{}).ok());
}

TEST(IdsThresholds, OutOfRangeValuesAreNamed) {
  Thresholds t;
  t.guessing_failures = 0;
  t.scanning_window_ms = 0;
  t.quiet_ms = -1;
  t.staff_reads = 10'001;
  t.max_tracked_keys = 15;
  const auto status = validate(t);
  ASSERT_FALSE(status.ok());
  const auto& fields = status.error().fields;
  EXPECT_EQ(fields.size(), 5u);
  for (const char* field :
       {"guessing_failures", "scanning_window_ms", "quiet_ms", "staff_reads", "max_tracked_keys"})
    EXPECT_TRUE(fields.contains(field)) << field;
}

TEST(IdsThresholds, ZeroQuietPeriodIsValid) {
  Thresholds t;
  t.quiet_ms = 0;
  EXPECT_TRUE(validate(t).ok());
}

TEST(Detector, InvalidThresholdsAreABug) {
  Thresholds t;
  t.waf_hits_for_ban = 0;
  EXPECT_THROW(Detector{t}, std::invalid_argument);
}

// --- Password guessing -----------------------------------------------------------------------

TEST(Detector, GuessingFiresAtTheThresholdAndNotOneBelow) {
  Detector d;
  EXPECT_TRUE(guess(d, "acct-1", kStart, 9).empty());
  const auto findings = guess(d, "acct-1", kStart, 1);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].type, kPasswordGuessing);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(findings[0].account, "acct-1");
  EXPECT_EQ(findings[0].source, "");
  EXPECT_FALSE(findings[0].ban_source);
  EXPECT_EQ(findings[0].at, kStart);
  EXPECT_EQ(findings[0].detail, "10 failed sign-ins for one account in 10 min");
}

TEST(Detector, GuessingCountsFailuresFromAnySource) {
  Detector d;
  // Ten addresses, one failure each: no address looks bad, the account does.
  EXPECT_EQ(guess(d, "acct-1", kStart, 10).size(), 1u);
}

TEST(Detector, GuessingCountsEachAccountSeparately) {
  Detector d;
  guess(d, "acct-1", kStart, 9);
  EXPECT_TRUE(guess(d, "acct-2", kStart, 9).empty());
}

TEST(Detector, GuessingCountsAFailureJustInsideTheWindow) {
  Detector d;
  guess(d, "acct-1", kStart, 9);
  EXPECT_EQ(guess(d, "acct-1", at_ms(10 * kMinute - 1), 1).size(), 1u);
}

TEST(Detector, GuessingDropsAFailureExactlyOneWindowOld) {
  Detector d;
  guess(d, "acct-1", kStart, 1);
  guess(d, "acct-1", at_ms(1), 8);
  // The first failure is now exactly 10 min old: outside, so this makes 9, not 10.
  EXPECT_TRUE(guess(d, "acct-1", at_ms(10 * kMinute), 1).empty());
  // The next one makes 10 again (the eight at +1 ms are still inside).
  EXPECT_EQ(guess(d, "acct-1", at_ms(10 * kMinute), 1).size(), 1u);
}

TEST(Detector, GuessingWindowSlides) {
  Detector d;
  guess(d, "acct-1", kStart, 5);
  guess(d, "acct-1", at_ms(6 * kMinute), 4);
  // At +12 min the first five have fallen out: 4 + 5 new = 9.
  EXPECT_TRUE(guess(d, "acct-1", at_ms(12 * kMinute), 5).empty());
  EXPECT_EQ(guess(d, "acct-1", at_ms(12 * kMinute), 1).size(), 1u);
}

TEST(Detector, SuccessfulSignInDoesNotResetGuessing) {
  Detector d;
  guess(d, "acct-1", kStart, 9);
  EXPECT_TRUE(d.observe(sign_in("acct-1", false, true, at_ms(1))).empty());
  EXPECT_EQ(guess(d, "acct-1", at_ms(2), 1).size(), 1u);
}

TEST(Detector, LateFailureOutsideTheWindowDoesNotCount) {
  Detector d;
  guess(d, "acct-1", at_ms(20 * kMinute), 9);
  // Delivered late by a slow worker: 20 min older than the newest, so outside the window.
  EXPECT_TRUE(guess(d, "acct-1", kStart, 1).empty());
  // A late one still inside the window counts.
  EXPECT_EQ(guess(d, "acct-1", at_ms(15 * kMinute), 1).size(), 1u);
}

TEST(Detector, FailuresWithoutAccountAreIgnoredByGuessing) {
  Detector d;
  EXPECT_TRUE(feed(d, failed_login("203.0.113.7", "", kStart), 50).empty());
}

// --- Quiet period ----------------------------------------------------------------------------

TEST(Detector, QuietPeriodSuppressesRepeats) {
  Detector d;
  ASSERT_EQ(guess(d, "acct-1", kStart, 10).size(), 1u);
  EXPECT_TRUE(guess(d, "acct-1", at_ms(kMinute), 20).empty());
  EXPECT_TRUE(guess(d, "acct-1", at_ms(10 * kMinute - 1), 10).empty());
}

TEST(Detector, QuietPeriodEnds) {
  Detector d;
  ASSERT_EQ(guess(d, "acct-1", kStart, 10).size(), 1u);
  guess(d, "acct-1", at_ms(9 * kMinute), 10);
  const auto findings = guess(d, "acct-1", at_ms(10 * kMinute), 1);
  ASSERT_EQ(findings.size(), 1u);
  // The ten at +9 min and this one; the window keeps up to twice the threshold.
  EXPECT_EQ(findings[0].detail, "11 failed sign-ins for one account in 10 min");
}

TEST(Detector, QuietPeriodIsPerKey) {
  Detector d;
  ASSERT_EQ(guess(d, "acct-1", kStart, 10).size(), 1u);
  EXPECT_EQ(guess(d, "acct-2", kStart, 10).size(), 1u);
}

TEST(Detector, QuietPeriodIsPerType) {
  Detector d;
  ASSERT_EQ(feed(d, refused("203.0.113.7", 404, kStart), 30).size(), 1u);
  EXPECT_EQ(feed(d, waf_hit("203.0.113.7", kStart), 1).size(), 1u);
}

TEST(Detector, ZeroQuietPeriodReportsEveryObservationPastTheThreshold) {
  Thresholds t;
  t.quiet_ms = 0;
  Detector d(t);
  EXPECT_EQ(guess(d, "acct-1", kStart, 12).size(), 3u);
}

TEST(Detector, CountsPastTheWindowCapSayAtLeast) {
  Thresholds t;
  t.quiet_ms = 0;
  Detector d(t);
  const auto findings = guess(d, "acct-1", kStart, 25);
  ASSERT_EQ(findings.size(), 16u);
  EXPECT_EQ(findings[9].detail, "19 failed sign-ins for one account in 10 min");
  // The window keeps twice the threshold: past that, the count is a lower bound.
  EXPECT_EQ(findings.back().detail, "at least 20 failed sign-ins for one account in 10 min");
}

// --- Credential stuffing ---------------------------------------------------------------------

TEST(Detector, StuffingFiresAtTheDistinctAccountThresholdAndNotOneBelow) {
  Detector d;
  for (int i = 1; i <= 4; ++i)
    EXPECT_TRUE(
        d.observe(failed_login("203.0.113.7", "acct-" + std::to_string(i), kStart)).empty());
  const auto findings = d.observe(failed_login("203.0.113.7", "acct-5", kStart));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].type, kCredentialStuffing);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(findings[0].source, "203.0.113.7");
  EXPECT_EQ(findings[0].account, "");
  EXPECT_TRUE(findings[0].ban_source);
  EXPECT_EQ(findings[0].detail, "failed sign-ins for 5 accounts from one address in 10 min");
}

TEST(Detector, StuffingDoesNotCountOneAccountTwice) {
  Detector d;
  for (int i = 1; i <= 4; ++i) {
    const std::string account = "acct-" + std::to_string(i);
    // Three tries each: a family behind one address mistyping their own passwords.
    EXPECT_TRUE(feed(d, failed_login("203.0.113.7", account, kStart), 3).empty());
  }
}

TEST(Detector, StuffingCountsEachSourceSeparately) {
  Detector d;
  for (int i = 1; i <= 4; ++i)
    d.observe(failed_login("203.0.113.7", "acct-" + std::to_string(i), kStart));
  EXPECT_TRUE(d.observe(failed_login("203.0.113.8", "acct-5", kStart)).empty());
}

TEST(Detector, StuffingAccountsFallOutOfTheWindow) {
  Detector d;
  d.observe(failed_login("203.0.113.7", "acct-1", kStart));
  for (int i = 2; i <= 4; ++i)
    d.observe(failed_login("203.0.113.7", "acct-" + std::to_string(i), at_ms(kMinute)));
  // acct-1 is exactly 10 min old: outside.
  EXPECT_TRUE(d.observe(failed_login("203.0.113.7", "acct-5", at_ms(10 * kMinute))).empty());
  EXPECT_EQ(d.observe(failed_login("203.0.113.7", "acct-6", at_ms(10 * kMinute))).size(), 1u);
}

TEST(Detector, StuffingRepeatedAccountStaysInsideTheWindow) {
  Detector d;
  d.observe(failed_login("203.0.113.7", "acct-1", kStart));
  for (int i = 2; i <= 4; ++i)
    d.observe(failed_login("203.0.113.7", "acct-" + std::to_string(i), at_ms(kMinute)));
  // Tried again at +5 min, acct-1 is still inside at +10 min.
  d.observe(failed_login("203.0.113.7", "acct-1", at_ms(5 * kMinute)));
  EXPECT_EQ(d.observe(failed_login("203.0.113.7", "acct-5", at_ms(10 * kMinute))).size(), 1u);
}

TEST(Detector, ALoginFailureCanCompleteGuessingAndStuffingAtOnce) {
  Detector d;
  guess(d, "acct-9", kStart, 9);
  for (int i = 1; i <= 4; ++i)
    d.observe(failed_login("203.0.113.7", "acct-" + std::to_string(i), kStart));
  const auto findings = d.observe(failed_login("203.0.113.7", "acct-9", kStart));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].type, kPasswordGuessing);
  EXPECT_EQ(findings[1].type, kCredentialStuffing);
}

// --- Scanning --------------------------------------------------------------------------------

TEST(Detector, ScanningFiresAtTheThresholdAndNotOneBelow) {
  Detector d;
  EXPECT_TRUE(feed(d, refused("203.0.113.7", 404, kStart), 29).empty());
  const auto findings = d.observe(refused("203.0.113.7", 403, kStart));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].type, kScanning);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(findings[0].source, "203.0.113.7");
  EXPECT_TRUE(findings[0].ban_source);
  EXPECT_EQ(findings[0].detail, "30 refused requests (403/404) from one address in 1 min");
}

TEST(Detector, ScanningCountsOnly403And404) {
  Detector d;
  for (int status : {200, 301, 400, 401, 405, 410, 429, 500, 503, 0})
    EXPECT_TRUE(feed(d, refused("203.0.113.7", status, kStart), 40).empty()) << status;
  EXPECT_TRUE(feed(d, refused("203.0.113.7", 404, kStart), 29).empty());
}

TEST(Detector, ScanningWindowEdges) {
  Detector d;
  feed(d, refused("203.0.113.7", 404, kStart), 1);
  feed(d, refused("203.0.113.7", 404, at_ms(1)), 28);
  EXPECT_TRUE(d.observe(refused("203.0.113.7", 404, at_ms(kMinute))).empty());
  EXPECT_EQ(d.observe(refused("203.0.113.7", 404, at_ms(kMinute))).size(), 1u);
}

TEST(Detector, ScanningJustInsideTheWindowFires) {
  Detector d;
  feed(d, refused("203.0.113.7", 404, kStart), 29);
  EXPECT_EQ(d.observe(refused("203.0.113.7", 404, at_ms(kMinute - 1))).size(), 1u);
}

TEST(Detector, SlowScanningDoesNotFire) {
  Detector d;
  // One refusal every 2.5 s: 24 per minute, a person clicking around stale links.
  for (int i = 0; i < 200; ++i)
    EXPECT_TRUE(d.observe(refused("203.0.113.7", 404, at_ms(i * 2'500))).empty()) << i;
}

// --- WAF -------------------------------------------------------------------------------------

TEST(Detector, FirstWafHitIsMediumWithoutBan) {
  Detector d;
  const auto findings = d.observe(waf_hit("203.0.113.7", kStart, {942100, 941160}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].type, kWafAttack);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(findings[0].source, "203.0.113.7");
  EXPECT_FALSE(findings[0].ban_source);
  EXPECT_EQ(findings[0].detail,
            "1 request matched WAF rules from one address in 10 min (latest: rules 942100 "
            "941160)");
}

TEST(Detector, WafHitsWithinTheQuietPeriodAreNotRepeated) {
  Detector d;
  ASSERT_EQ(d.observe(waf_hit("203.0.113.7", kStart)).size(), 1u);
  EXPECT_TRUE(d.observe(waf_hit("203.0.113.7", at_ms(10 * kMinute - 1))).empty());
}

TEST(Detector, WafHitsReachingTheThresholdEscalateToHighAndBan) {
  Detector d;
  ASSERT_EQ(d.observe(waf_hit("203.0.113.7", kStart)).size(), 1u);
  EXPECT_TRUE(d.observe(waf_hit("203.0.113.7", at_ms(1))).empty());
  // The escalation gets through the quiet period of the medium finding.
  const auto findings = d.observe(waf_hit("203.0.113.7", at_ms(2)));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_TRUE(findings[0].ban_source);
  EXPECT_EQ(findings[0].detail,
            "3 requests matched WAF rules from one address in 10 min (latest: rules 942100)");
  // And is itself not repeated.
  EXPECT_TRUE(d.observe(waf_hit("203.0.113.7", at_ms(3))).empty());
}

TEST(Detector, WafHitsOutsideTheWindowDoNotEscalate) {
  Detector d;
  d.observe(waf_hit("203.0.113.7", kStart));
  d.observe(waf_hit("203.0.113.7", at_ms(kMinute)));
  const auto findings = d.observe(waf_hit("203.0.113.7", at_ms(10 * kMinute)));
  // The first hit fell out: 2 hits, and the quiet period of the first finding has ended.
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_FALSE(findings[0].ban_source);
}

TEST(Detector, WafDetailListsAFewRuleIds) {
  Detector d;
  const auto findings = d.observe(waf_hit("203.0.113.7", kStart, {1, 2, 3, 4, 5, 6, 7}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].detail,
            "1 request matched WAF rules from one address in 10 min (latest: rules 1 2 3 4 5 and "
            "2 more)");
}

// --- Staff reads -----------------------------------------------------------------------------

TEST(Detector, MassDataAccessFiresAtTheDistinctSubjectThresholdAndNotOneBelow) {
  Detector d;
  for (int i = 1; i <= 59; ++i)
    EXPECT_TRUE(d.observe(staff_read("officer-1", "cit-" + std::to_string(i), kStart)).empty());
  const auto findings = d.observe(staff_read("officer-1", "cit-60", kStart));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].type, kMassDataAccess);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(findings[0].account, "officer-1");
  EXPECT_EQ(findings[0].source, "");
  EXPECT_FALSE(findings[0].ban_source);
  EXPECT_EQ(findings[0].detail, "60 citizens' records read by one staff account in 1 h");
}

TEST(Detector, RereadingOneCitizenDoesNotCount) {
  Detector d;
  for (int i = 1; i <= 59; ++i)
    d.observe(staff_read("officer-1", "cit-" + std::to_string(i), kStart));
  EXPECT_TRUE(feed(d, staff_read("officer-1", "cit-1", at_ms(kMinute)), 100).empty());
}

TEST(Detector, CitizenReadsAreNotCounted) {
  Detector d;
  for (int i = 1; i <= 100; ++i) {
    auto read = staff_read("citizen-1", "cit-" + std::to_string(i), kStart);
    read.staff = false;
    EXPECT_TRUE(d.observe(read).empty());
  }
}

TEST(Detector, StaffReadsFallOutOfTheWindow) {
  Detector d;
  for (int i = 1; i <= 30; ++i)
    d.observe(staff_read("officer-1", "cit-" + std::to_string(i), kStart));
  for (int i = 31; i <= 59; ++i)
    d.observe(staff_read("officer-1", "cit-" + std::to_string(i), at_ms(30 * kMinute)));
  // The first thirty are exactly one hour old: 29 + 1 = 30 inside.
  EXPECT_TRUE(d.observe(staff_read("officer-1", "cit-60", at_ms(60 * kMinute))).empty());
  EXPECT_EQ(d.observe(staff_read("officer-1", "cit-1", at_ms(60 * kMinute - 1))).size(), 0u);
}

TEST(Detector, StaffReadsJustInsideTheWindowFire) {
  Detector d;
  for (int i = 1; i <= 59; ++i)
    d.observe(staff_read("officer-1", "cit-" + std::to_string(i), kStart));
  EXPECT_EQ(d.observe(staff_read("officer-1", "cit-60", at_ms(60 * kMinute - 1))).size(), 1u);
}

// --- Staff sign-in from a new network --------------------------------------------------------

TEST(Detector, StaffSignInFromANewNetworkIsMedium) {
  Detector d;
  const auto findings = d.observe(sign_in("officer-1", true, false, kStart));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].type, kStaffNewNetwork);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(findings[0].account, "officer-1");
  EXPECT_EQ(findings[0].source, "192.0.2.44");
  EXPECT_FALSE(findings[0].ban_source);
}

TEST(Detector, StaffSignInFromAKnownNetworkIsSilent) {
  Detector d;
  EXPECT_TRUE(d.observe(sign_in("officer-1", true, true, kStart)).empty());
  EXPECT_EQ(d.tracked_keys(), 0u);
}

TEST(Detector, CitizenSignInFromANewNetworkIsSilent) {
  Detector d;
  EXPECT_TRUE(d.observe(sign_in("citizen-1", false, false, kStart)).empty());
  EXPECT_TRUE(d.observe(sign_in("citizen-1", false, true, kStart)).empty());
}

TEST(Detector, StaffNewNetworkRespectsTheQuietPeriod) {
  Detector d;
  ASSERT_EQ(d.observe(sign_in("officer-1", true, false, kStart)).size(), 1u);
  EXPECT_TRUE(d.observe(sign_in("officer-1", true, false, at_ms(10 * kMinute - 1))).empty());
  EXPECT_EQ(d.observe(sign_in("officer-1", true, false, at_ms(10 * kMinute))).size(), 1u);
}

// --- Details ---------------------------------------------------------------------------------

TEST(Detector, DetailsCarryCountsNotIdentities) {
  Thresholds t;
  t.guessing_failures = 1;
  t.stuffing_accounts = 1;
  t.scanning_refusals = 1;
  t.staff_reads = 1;
  Detector d(t);
  const std::string source = "203.0.113.77";
  const std::string account = "acct-secret-key";
  const std::string subject = "cit-external-id";
  std::vector<Finding> all;
  for (const auto& o : {failed_login(source, account, kStart), refused(source, 404, kStart),
                        waf_hit(source, kStart), staff_read(account, subject, kStart),
                        sign_in(account, true, false, kStart)})
    for (auto& f : d.observe(o)) all.push_back(std::move(f));
  ASSERT_EQ(all.size(), 6u);
  for (const auto& f : all) {
    EXPECT_EQ(f.detail.find(source), std::string::npos) << f.type;
    EXPECT_EQ(f.detail.find("203.0.113"), std::string::npos) << f.type;
    EXPECT_EQ(f.detail.find(account), std::string::npos) << f.type;
    EXPECT_EQ(f.detail.find("acct"), std::string::npos) << f.type;
    EXPECT_EQ(f.detail.find(subject), std::string::npos) << f.type;
    EXPECT_EQ(f.detail.find("cit-"), std::string::npos) << f.type;
    EXPECT_FALSE(f.detail.empty()) << f.type;
  }
}

// --- Memory ----------------------------------------------------------------------------------

TEST(Detector, TrackedKeysStayWithinTheBound) {
  Thresholds t;
  t.max_tracked_keys = 1000;
  Detector d(t);
  for (int i = 0; i < 200'000; ++i) {
    const std::string source = "2001:db8::" + std::to_string(i);
    d.observe(refused(source, 404, kStart));
    if (i % 10'000 == 0) {
      EXPECT_LE(d.tracked_keys(), 1000u);
    }
  }
  EXPECT_LE(d.tracked_keys(), 1000u);
  EXPECT_GT(d.tracked_keys(), 900u);  // the bound is used, not just respected
}

TEST(Detector, ForgetsKeysWhoseWindowsHavePassed) {
  Detector d;
  for (int i = 0; i < 1000; ++i) d.observe(refused("10.1.0." + std::to_string(i), 404, kStart));
  ASSERT_EQ(d.tracked_keys(), 1000u);
  // An hour later every old key is forgettable; new ones push them out a few at a time.
  for (int i = 0; i < 1000; ++i)
    d.observe(refused("10.2.0." + std::to_string(i), 404, at_ms(60 * kMinute)));
  EXPECT_EQ(d.tracked_keys(), 1000u);
}

TEST(Detector, KeysInAQuietPeriodAreKept) {
  Thresholds t;
  t.waf_window_ms = kMinute;
  t.scanning_window_ms = kMinute;
  Detector d(t);
  ASSERT_EQ(d.observe(waf_hit("203.0.113.7", kStart)).size(), 1u);
  // At +5 min the hit is out of its window, but its finding is still in its quiet period; other
  // keys churn every shard, dropping what is forgettable.
  for (int i = 0; i < 2000; ++i)
    d.observe(refused("10.3." + std::to_string(i / 250) + "." + std::to_string(i % 250), 404,
                      at_ms(5 * kMinute)));
  EXPECT_TRUE(d.observe(waf_hit("203.0.113.7", at_ms(5 * kMinute))).empty());
}

TEST(Detector, KeysPastTheirQuietPeriodAreForgotten) {
  Thresholds t;
  t.waf_window_ms = kMinute;
  t.scanning_window_ms = kMinute;
  Detector d(t);
  ASSERT_EQ(d.observe(waf_hit("203.0.113.7", kStart)).size(), 1u);
  for (int i = 0; i < 2000; ++i)
    d.observe(refused("10.3." + std::to_string(i / 250) + "." + std::to_string(i % 250), 404,
                      at_ms(10 * kMinute)));
  EXPECT_EQ(d.tracked_keys(), 2000u);
}

// --- Concurrency -----------------------------------------------------------------------------

TEST(Detector, ConcurrentObserversReportAThresholdCrossingOnce) {
  Detector d;
  std::atomic<int> findings{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      // 4 x 25 = 100 refusals, crossing the threshold of 30 once.
      for (int i = 0; i < 25; ++i)
        findings += static_cast<int>(d.observe(refused("203.0.113.7", 404, kStart)).size());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(findings.load(), 1);
}

TEST(Detector, ConcurrentObserversOnManyKeysEachReportOnce) {
  Detector d;
  std::atomic<int> findings{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      // Every thread guesses at the same 50 accounts, 3 times each: 12 failures per account.
      for (int round = 0; round < 3; ++round)
        for (int a = 0; a < 50; ++a)
          findings += static_cast<int>(
              d.observe(failed_login("", "acct-" + std::to_string(a), kStart)).size());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(findings.load(), 50);
}

}  // namespace
}  // namespace balai::security::ids
