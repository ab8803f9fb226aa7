#include "security/qr_code.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace balai::security {
namespace {

constexpr std::string_view kUri =
    "otpauth://totp/Pemkot%20Bandung:siti%40bandung.go.id?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=Pemkot%20Bandung&algorithm=SHA1&digits=6&period=30";

std::string svg_of(std::string_view text, int module_pixels = 4) {
  auto svg = qr_svg(text, module_pixels);
  EXPECT_TRUE(svg.ok());
  return svg.ok() ? *svg : std::string();
}

// The text between `before` and the next `after`, or an empty view.
std::string_view between(std::string_view text, std::string_view before, std::string_view after) {
  const size_t start = text.find(before);
  if (start == std::string_view::npos) return {};
  const size_t from = start + before.size();
  const size_t end = text.find(after, from);
  if (end == std::string_view::npos) return {};
  return text.substr(from, end - from);
}

// Reads an integer at `text`[pos] and moves past it.
std::optional<int> read_int(std::string_view text, size_t& pos) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  pos = static_cast<size_t>(end - text.data());
  return value;
}

bool expect_char(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// The module grid an SVG from qr_svg draws (quiet zone removed), read back from its viewBox and
// its path of "M x y h w v p h -w z" rectangles; nullopt when the SVG has another shape, a
// rectangle off the module grid, or anything dark in the quiet zone.
using Grid = std::vector<std::vector<bool>>;
std::optional<Grid> read_modules(std::string_view svg, int module_pixels) {
  std::string_view view_box = between(svg, "viewBox=\"0 0 ", "\"");
  size_t pos = 0;
  const auto size = read_int(view_box, pos);
  if (!size || *size % module_pixels != 0) return std::nullopt;
  const int n = *size / module_pixels - 8;
  if (n <= 0) return std::nullopt;
  Grid grid(static_cast<size_t>(n), std::vector<bool>(static_cast<size_t>(n), false));

  const std::string_view d = between(svg, "<path fill=\"#000\" d=\"", "\"");
  pos = 0;
  while (pos < d.size()) {
    if (!expect_char(d, pos, 'M')) return std::nullopt;
    const auto x = read_int(d, pos);
    if (!x || !expect_char(d, pos, ' ')) return std::nullopt;
    const auto y = read_int(d, pos);
    if (!y || !expect_char(d, pos, 'h')) return std::nullopt;
    const auto width = read_int(d, pos);
    if (!width || !expect_char(d, pos, 'v')) return std::nullopt;
    const auto height = read_int(d, pos);
    if (!height || !expect_char(d, pos, 'h')) return std::nullopt;
    const auto back = read_int(d, pos);
    if (!back || !expect_char(d, pos, 'z')) return std::nullopt;
    if (*x % module_pixels || *y % module_pixels || *width <= 0 || *width % module_pixels ||
        *height != module_pixels || *back != -*width)
      return std::nullopt;
    const int row = *y / module_pixels - 4;
    const int first = *x / module_pixels - 4;
    const int last = first + *width / module_pixels;  // exclusive
    if (row < 0 || row >= n || first < 0 || last > n) return std::nullopt;
    for (int column = first; column < last; ++column)
      grid[static_cast<size_t>(row)][static_cast<size_t>(column)] = true;
  }
  return grid;
}

bool at(const Grid& grid, int row, int column) {
  return grid[static_cast<size_t>(row)][static_cast<size_t>(column)];
}

// A 7x7 finder pattern (dark ring, light ring, dark 3x3 core) with its top-left at (row,
// column), and its light separator on the sides facing the symbol.
bool has_finder_pattern(const Grid& grid, int row, int column) {
  for (int r = 0; r < 7; ++r) {
    for (int c = 0; c < 7; ++c) {
      const bool ring = r == 0 || r == 6 || c == 0 || c == 6;
      const bool core = r >= 2 && r <= 4 && c >= 2 && c <= 4;
      if (at(grid, row + r, column + c) != (ring || core)) return false;
    }
  }
  return true;
}

// The 15 format bits beside the top-left finder pattern, most significant first (ISO/IEC 18004
// section 7.9): row 8 from the left (skipping the timing column), then column 8 upwards.
std::string format_bits(const Grid& grid) {
  std::string bits;
  for (int column : {0, 1, 2, 3, 4, 5, 7, 8}) bits += at(grid, 8, column) ? '1' : '0';
  for (int row : {7, 5, 4, 3, 2, 1, 0}) bits += at(grid, row, 8) ? '1' : '0';
  return bits;
}

TEST(QrCode, IsOneStandaloneSvgElement) {
  const std::string svg = svg_of("balai");
  EXPECT_TRUE(svg.starts_with(R"(<svg xmlns="http://www.w3.org/2000/svg" )")) << svg;
  EXPECT_TRUE(svg.ends_with("</svg>")) << svg;
  EXPECT_NE(svg.find(R"(role="img" aria-label="QR code")"), std::string::npos);
  EXPECT_NE(svg.find(R"(<rect width="116" height="116" fill="#fff"/>)"), std::string::npos);
  EXPECT_NE(svg.find(R"(<path fill="#000" d="M)"), std::string::npos);
}

TEST(QrCode, HoldsNoScriptStyleOrReference) {
  const std::string svg = svg_of(kUri);
  for (std::string_view banned : {"<script", "style", "url(", "href", " on", "<!", "<?"}) {
    EXPECT_EQ(svg.find(banned), std::string::npos) << banned;
  }
}

TEST(QrCode, DoesNotShowTheTextItEncodes) {
  EXPECT_EQ(svg_of(kUri).find("GEZDGNBV"), std::string::npos);
}

TEST(QrCode, IsTheSameForTheSameText) {
  EXPECT_EQ(svg_of(kUri), svg_of(kUri));
}

TEST(QrCode, DiffersForOtherText) {
  EXPECT_NE(svg_of("balai"), svg_of("balaI"));
}

TEST(QrCode, SizesAVersionOneCodeWithItsQuietZone) {
  // Five bytes fit version 1 (21 x 21 modules) at level M; 4 modules of margin on each side.
  EXPECT_NE(svg_of("balai", 4).find(R"(width="116" height="116" viewBox="0 0 116 116")"),
            std::string::npos);
  EXPECT_NE(svg_of("balai", 10).find(R"(viewBox="0 0 290 290")"), std::string::npos);
}

TEST(QrCode, DrawsTheModulesOfAVersionOneCode) {
  const auto grid = read_modules(svg_of("balai", 3), 3);
  ASSERT_TRUE(grid.has_value());
  const int n = static_cast<int>(grid->size());
  ASSERT_EQ(n, 21);
  EXPECT_TRUE(has_finder_pattern(*grid, 0, 0));
  EXPECT_TRUE(has_finder_pattern(*grid, 0, n - 7));
  EXPECT_TRUE(has_finder_pattern(*grid, n - 7, 0));
  EXPECT_FALSE(has_finder_pattern(*grid, n - 7, n - 7));
  for (int i = 8; i < n - 8; ++i) {
    EXPECT_EQ(at(*grid, 6, i), i % 2 == 0) << "timing row, column " << i;
    EXPECT_EQ(at(*grid, i, 6), i % 2 == 0) << "timing column, row " << i;
  }
  EXPECT_TRUE(at(*grid, n - 8, 8));  // the dark module every symbol has
}

TEST(QrCode, UsesErrorCorrectionLevelM) {
  const auto grid = read_modules(svg_of("balai"), 4);
  ASSERT_TRUE(grid.has_value());
  // Level M (00) with each of the eight masks, BCH-coded and XORed with 101010000010010.
  const std::vector<std::string> level_m = {"101010000010010", "101000100100101", "101111001111100",
                                            "101101101001011", "100010111111001", "100000011001110",
                                            "100111110010111", "100101010100000"};
  EXPECT_NE(std::find(level_m.begin(), level_m.end(), format_bits(*grid)), level_m.end())
      << format_bits(*grid);
}

TEST(QrCode, GrowsToALargerVersionForAnEnrolmentUri) {
  const auto grid = read_modules(svg_of(kUri), 4);
  ASSERT_TRUE(grid.has_value());
  const int n = static_cast<int>(grid->size());
  EXPECT_GT(n, 21);
  EXPECT_EQ((n - 17) % 4, 0) << n;  // 17 + 4 * version modules per side
  EXPECT_TRUE(has_finder_pattern(*grid, 0, 0));
  EXPECT_TRUE(has_finder_pattern(*grid, 0, n - 7));
  EXPECT_TRUE(has_finder_pattern(*grid, n - 7, 0));
}

TEST(QrCode, EncodesTextUpToTheLimit) {
  EXPECT_TRUE(qr_svg(std::string(kQrMaxTextBytes, 'a')).ok());
}

TEST(QrCode, RefusesEmptyText) {
  auto svg = qr_svg("");
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().code, core::ErrorCode::validation_failed);
}

TEST(QrCode, RefusesTextOverTheLimit) {
  auto svg = qr_svg(std::string(kQrMaxTextBytes + 1, 'a'));
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().code, core::ErrorCode::validation_failed);
}

TEST(QrCode, RefusesTextWithANulByte) {
  auto svg = qr_svg(std::string_view("bal\0ai", 6));
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().code, core::ErrorCode::validation_failed);
}

TEST(QrCode, RejectsAModuleSizeOutOfRangeAsABug) {
  EXPECT_THROW((void)qr_svg("balai", 0), std::invalid_argument);
  EXPECT_THROW((void)qr_svg("balai", 65), std::invalid_argument);
}

}  // namespace
}  // namespace balai::security

namespace balai::security {
namespace {

TEST(QrCodeLabel, NamesTheCodeInThePagesLanguageEscaped) {
  auto svg = qr_svg("otpauth://totp/x", 4, "Kode QR \"untuk\" <aplikasi> & ponsel");
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find(R"(aria-label="Kode QR &quot;untuk&quot; &lt;aplikasi&gt; &amp; ponsel")"),
            std::string::npos)
      << *svg;
  auto plain = qr_svg("otpauth://totp/x");
  ASSERT_TRUE(plain.ok());
  EXPECT_NE(plain->find(R"(aria-label="QR code")"), std::string::npos);
}

}  // namespace
}  // namespace balai::security
