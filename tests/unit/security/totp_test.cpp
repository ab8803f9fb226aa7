#include "security/totp.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace balai::security {
namespace {

std::vector<uint8_t> bytes_of(std::string_view text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

// The SHA-1 secret of RFC 6238 Appendix B.
const std::vector<uint8_t> kRfcSecret = bytes_of("12345678901234567890");

core::Timestamp at_seconds(int64_t seconds) {
  return core::Timestamp{seconds * 1000};
}

// 2026-11-27 09:30:15 WIB, 15 seconds into its step.
constexpr core::Timestamp kNow{1'795'746'615'000};

std::string code_at_offset(int64_t steps) {
  return totp_code(kRfcSecret, totp_step(kNow) + steps);
}

// RFC 6238 Appendix B lists 8-digit SHA-1 codes; a 6-digit code is the last 6 of them, because
// both are the same truncated HMAC modulo a power of ten.
TEST(Totp, MatchesTheRfc6238Sha1Vectors) {
  struct Vector {
    int64_t seconds;
    std::string_view code;
  };
  const Vector vectors[] = {
      {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
      {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(totp_code(kRfcSecret, totp_step(at_seconds(v.seconds))), v.code) << v.seconds;
  }
}

TEST(Totp, CountsThirtySecondStepsFromTheEpoch) {
  EXPECT_EQ(totp_step(core::Timestamp{0}), 0);
  EXPECT_EQ(totp_step(core::Timestamp{29'999}), 0);
  EXPECT_EQ(totp_step(core::Timestamp{30'000}), 1);
  EXPECT_EQ(totp_step(at_seconds(59)), 1);
  EXPECT_EQ(totp_step(at_seconds(1111111109)), 37037036);
}

TEST(Totp, RoundsStepsBeforeTheEpochDown) {
  EXPECT_EQ(totp_step(core::Timestamp{-1}), -1);
  EXPECT_EQ(totp_step(core::Timestamp{-30'000}), -1);
  EXPECT_EQ(totp_step(core::Timestamp{-30'001}), -2);
}

TEST(Totp, RejectsAnEmptySecretOrANegativeStepAsABug) {
  EXPECT_THROW(totp_code({}, 1), std::invalid_argument);
  EXPECT_THROW(totp_code(kRfcSecret, -1), std::invalid_argument);
}

TEST(Totp, GeneratesSecretsOfTwentyRandomBytes) {
  const std::vector<uint8_t> first = generate_totp_secret();
  const std::vector<uint8_t> second = generate_totp_secret();
  EXPECT_EQ(first.size(), kTotpSecretBytes);
  EXPECT_EQ(second.size(), kTotpSecretBytes);
  EXPECT_NE(first, second);
}

TEST(Totp, AcceptsTheCodeOfTheCurrentStepAndReturnsTheStep) {
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(0), kNow, kTotpNoStepUsed), totp_step(kNow));
}

TEST(Totp, AcceptsTheCodesOfThePreviousAndNextStep) {
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(-1), kNow, kTotpNoStepUsed),
            totp_step(kNow) - 1);
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(1), kNow, kTotpNoStepUsed), totp_step(kNow) + 1);
}

TEST(Totp, RejectsCodesTwoStepsAway) {
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(-2), kNow, kTotpNoStepUsed), std::nullopt);
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(2), kNow, kTotpNoStepUsed), std::nullopt);
}

TEST(Totp, AcceptsOnlyTheCurrentStepWithAWindowOfZero) {
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(-1), kNow, kTotpNoStepUsed, 0), std::nullopt);
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(0), kNow, kTotpNoStepUsed, 0), totp_step(kNow));
}

TEST(Totp, WidensTheWindowWhenAsked) {
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(-2), kNow, kTotpNoStepUsed, 2),
            totp_step(kNow) - 2);
}

TEST(Totp, RejectsACodeReplayedAfterItsStepWasStored) {
  const std::optional<int64_t> used =
      verify_totp(kRfcSecret, code_at_offset(0), kNow, kTotpNoStepUsed);
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(0), kNow, *used), std::nullopt);
}

TEST(Totp, RejectsAnOlderCodeOnceALaterStepWasUsed) {
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(-1), kNow, totp_step(kNow)), std::nullopt);
}

TEST(Totp, AcceptsTheNextStepsCodeAfterTheCurrentOneWasUsed) {
  EXPECT_EQ(verify_totp(kRfcSecret, code_at_offset(1), kNow, totp_step(kNow)), totp_step(kNow) + 1);
}

TEST(Totp, RejectsAWrongCode) {
  std::string wrong = code_at_offset(0);
  wrong[5] = wrong[5] == '9' ? '0' : static_cast<char>(wrong[5] + 1);
  EXPECT_EQ(verify_totp(kRfcSecret, wrong, kNow, kTotpNoStepUsed), std::nullopt);
}

TEST(Totp, AcceptsACodeTypedWithSpaces) {
  const std::string code = code_at_offset(0);
  const std::string spaced = " " + code.substr(0, 3) + " " + code.substr(3) + " ";
  EXPECT_EQ(verify_totp(kRfcSecret, spaced, kNow, kTotpNoStepUsed), totp_step(kNow));
}

TEST(Totp, RejectsCodesThatAreNotSixDigits) {
  const std::string code = code_at_offset(0);
  for (const std::string& bad :
       {std::string(), code.substr(0, 5), code + "0", "0" + code, code.substr(0, 5) + "a",
        code.substr(0, 5) + "-", std::string("\xd9\xa1\xd9\xa2\xd9\xa3")}) {
    EXPECT_EQ(verify_totp(kRfcSecret, bad, kNow, kTotpNoStepUsed), std::nullopt) << bad;
  }
}

TEST(Totp, MatchesNothingWithAnEmptySecret) {
  EXPECT_EQ(verify_totp({}, code_at_offset(0), kNow, kTotpNoStepUsed), std::nullopt);
}

TEST(Base32, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(base32_encode(bytes_of("")), "");
  EXPECT_EQ(base32_encode(bytes_of("f")), "MY");
  EXPECT_EQ(base32_encode(bytes_of("fo")), "MZXQ");
  EXPECT_EQ(base32_encode(bytes_of("foo")), "MZXW6");
  EXPECT_EQ(base32_encode(bytes_of("foob")), "MZXW6YQ");
  EXPECT_EQ(base32_encode(bytes_of("fooba")), "MZXW6YTB");
  EXPECT_EQ(base32_encode(bytes_of("foobar")), "MZXW6YTBOI");
}

TEST(Base32, DecodesTheRfc4648VectorsWithAndWithoutPadding) {
  EXPECT_EQ(base32_decode(""), bytes_of(""));
  EXPECT_EQ(base32_decode("MY"), bytes_of("f"));
  EXPECT_EQ(base32_decode("MY======"), bytes_of("f"));
  EXPECT_EQ(base32_decode("MZXQ===="), bytes_of("fo"));
  EXPECT_EQ(base32_decode("MZXW6==="), bytes_of("foo"));
  EXPECT_EQ(base32_decode("MZXW6YQ="), bytes_of("foob"));
  EXPECT_EQ(base32_decode("MZXW6YTB"), bytes_of("fooba"));
  EXPECT_EQ(base32_decode("MZXW6YTBOI"), bytes_of("foobar"));
  EXPECT_EQ(base32_decode("MZXW6YTBOI======"), bytes_of("foobar"));
}

TEST(Base32, DecodesLowerCaseAndSpaces) {
  EXPECT_EQ(base32_decode("mzxw 6ytb oi"), bytes_of("foobar"));
  EXPECT_EQ(base32_decode(" MzXw6YtBoI "), bytes_of("foobar"));
}

TEST(Base32, EncodesTheRfc6238SecretAsAppsShowIt) {
  EXPECT_EQ(base32_encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32, RoundTripsEveryLengthUpToFortyBytes) {
  std::vector<uint8_t> bytes;
  for (int length = 0; length <= 40; ++length) {
    EXPECT_EQ(base32_decode(base32_encode(bytes)), bytes) << length;
    bytes.push_back(static_cast<uint8_t>(length * 37 + 11));
  }
}

TEST(Base32, RoundTripsAGeneratedSecret) {
  const std::vector<uint8_t> secret = generate_totp_secret();
  const std::string text = base32_encode(secret);
  EXPECT_EQ(text.size(), 32u);
  EXPECT_EQ(base32_decode(text), secret);
}

TEST(Base32, RejectsCharactersOutsideTheAlphabet) {
  for (std::string_view bad : {"MZXW6YTBO1", "MZXW6YTBO0", "MZXW6YTBO8", "MZXW-6YTBOI",
                               "MZXW6YTBOI\n", "MZXW6\tYTBOI", "MZXW6YTB\xc3\x96I"}) {
    EXPECT_EQ(base32_decode(bad), std::nullopt) << bad;
  }
}

TEST(Base32, RejectsLengthsNoEncoderProduces) {
  for (std::string_view bad : {"M", "MZX", "MZXW6Y", "MZXW6YTBO"}) {
    EXPECT_EQ(base32_decode(bad), std::nullopt) << bad;
  }
}

TEST(Base32, RejectsMisplacedOrWrongPadding) {
  for (std::string_view bad : {"MY=", "MY=====", "MY=======", "M=Y=====", "MY======MY======",
                               "========", "MZXW6YTB========"}) {
    EXPECT_EQ(base32_decode(bad), std::nullopt) << bad;
  }
}

TEST(OtpauthUri, NamesIssuerLabelSecretAndParameters) {
  EXPECT_EQ(otpauth_uri("Balai", "siti", kRfcSecret),
            "otpauth://totp/Balai:siti?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Balai"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, PercentEncodesIssuerAndLabel) {
  EXPECT_EQ(otpauth_uri("Pemkot Bandung", "siti.rahma+ops@bandung.go.id", bytes_of("f")),
            "otpauth://totp/Pemkot%20Bandung:siti.rahma%2Bops%40bandung.go.id?secret=MY"
            "&issuer=Pemkot%20Bandung&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, PercentEncodesUtf8ColonsAndDelimiters) {
  EXPECT_EQ(otpauth_uri("Kota\xe2\x80\x93"
                        "Balai",
                        "a:b&c=d?e/f#g~h_i", bytes_of("f")),
            "otpauth://totp/Kota%E2%80%93Balai:a%3Ab%26c%3Dd%3Fe%2Ff%23g~h_i?secret=MY"
            "&issuer=Kota%E2%80%93Balai&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace balai::security
