#include "core/base64.h"

#include <gtest/gtest.h>

namespace balai::core {
namespace {

TEST(Base64, RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>(i * 37 % 256));
    auto encoded = base64_encode(bytes);
    EXPECT_EQ(encoded.size() % 4, 0u);
    EXPECT_EQ(base64_decode(encoded), bytes);
  }
}

TEST(Base64, KnownVectorsFromRfc4648) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYg"), "foob");  // padding is optional
}

TEST(Base64, RefusesWhatIsNotCanonicalBase64) {
  for (const char* bad : {"Zm9vY", "Zm9v YmFy", "Zm9v\nYmFy", "Zm9-YmFy", "Zm9_YmFy",
                          "Zh==", "Zm8===", "=", "Z===", "Zg=a"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

}  // namespace
}  // namespace balai::core
