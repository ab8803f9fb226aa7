#include "core/text.h"

#include <gtest/gtest.h>

#include <string>

namespace balai::core {
namespace {

using namespace std::string_literals;

TEST(Utf8, AcceptsAscii) {
  EXPECT_TRUE(is_valid_utf8("Kota Madiun 123 !?"));
}

TEST(Utf8, AcceptsTheEmptyText) {
  EXPECT_TRUE(is_valid_utf8(""));
}

TEST(Utf8, AcceptsTwoThreeAndFourByteSequences) {
  EXPECT_TRUE(is_valid_utf8("\xc3\xa9"));          // é
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));      // €
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));  // 😀
  EXPECT_TRUE(is_valid_utf8("Jl. Pahlawan \xe2\x80\x94 \xea\xa6\xa7\xea\xa6\xb1"));
}

TEST(Utf8, AcceptsTheExtremesOfEachLength) {
  EXPECT_TRUE(is_valid_utf8("\x7f"));
  EXPECT_TRUE(is_valid_utf8("\xc2\x80"));          // U+0080
  EXPECT_TRUE(is_valid_utf8("\xdf\xbf"));          // U+07FF
  EXPECT_TRUE(is_valid_utf8("\xe0\xa0\x80"));      // U+0800
  EXPECT_TRUE(is_valid_utf8("\xef\xbf\xbf"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xf0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Utf8, RejectsOverlongForms) {
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));  // '/' in two bytes
  EXPECT_FALSE(is_valid_utf8("\xc1\xbf"));
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // '/' in three bytes
  EXPECT_FALSE(is_valid_utf8("\xe0\x9f\xbf"));      // U+07FF in three bytes
  EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));  // '/' in four bytes
  EXPECT_FALSE(is_valid_utf8("\xf0\x8f\xbf\xbf"));  // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // U+D800
  EXPECT_FALSE(is_valid_utf8("\xed\xbf\xbf"));  // U+DFFF
  EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));   // U+D7FF, just below
  EXPECT_TRUE(is_valid_utf8("\xee\x80\x80"));   // U+E000, just above
}

TEST(Utf8, RejectsCodePointsAboveTheUnicodeRange) {
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xf7\xbf\xbf\xbf"));
  EXPECT_FALSE(is_valid_utf8("\xf8\x88\x80\x80\x80"));  // five-byte form
}

TEST(Utf8, RejectsTruncatedSequences) {
  EXPECT_FALSE(is_valid_utf8("\xc3"));
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));
  EXPECT_FALSE(is_valid_utf8("\xf0\x9f\x98"));
  EXPECT_FALSE(is_valid_utf8("ab\xe2\x82"));
}

TEST(Utf8, RejectsASequenceInterruptedByAsciiText) {
  EXPECT_FALSE(is_valid_utf8("\xe2\x82x"));
  EXPECT_FALSE(is_valid_utf8("\xc3 "));
}

TEST(Utf8, RejectsLoneContinuationBytes) {
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("a\xbf"));
}

TEST(Utf8, RejectsBytesThatNeverAppear) {
  EXPECT_FALSE(is_valid_utf8("\xfe"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
}

TEST(Utf8, RejectsNul) {
  EXPECT_FALSE(is_valid_utf8("\0"s));
  EXPECT_FALSE(is_valid_utf8("abc\0def"s));
}

TEST(Utf8SequenceLength, CountsTheBytesOfTheSequenceAtAnIndex) {
  const std::string text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  EXPECT_EQ(utf8_sequence_length(text, 0), 1u);
  EXPECT_EQ(utf8_sequence_length(text, 1), 2u);
  EXPECT_EQ(utf8_sequence_length(text, 3), 3u);
  EXPECT_EQ(utf8_sequence_length(text, 6), 4u);
}

TEST(Utf8SequenceLength, IsZeroInsideASequence) {
  const std::string text = "\xc3\xa9";
  EXPECT_EQ(utf8_sequence_length(text, 1), 0u);
}

TEST(AsciiLower, LowersOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("Content-TYPE: X1"), "content-type: x1");
  EXPECT_EQ(ascii_lower("\xc3\x89"), "\xc3\x89");  // É stays
}

TEST(Trim, RemovesAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(trim(" \t\r\n value  here \n"), "value  here");
}

TEST(Trim, LeavesTextWithoutOuterWhitespaceAlone) {
  EXPECT_EQ(trim("value"), "value");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t "), "");
}

TEST(TextTest, XmlEscapingMarksUpTheFiveCharactersAndDropsWhatXmlCannotCarry) {
  std::string out = "<a>";
  append_xml_escaped(out, "Pipa <bocor> & \"air\" 'keruh'\r\nbaris\tdua\x01\x1f");
  EXPECT_EQ(out, "<a>Pipa &lt;bocor&gt; &amp; &quot;air&quot; &apos;keruh&apos;&#13;\nbaris\tdua");
  std::string utf8;
  append_xml_escaped(utf8, "Jl. Pahlawan — Madiun");  // UTF-8 passes unchanged
  EXPECT_EQ(utf8, "Jl. Pahlawan — Madiun");
}

}  // namespace
}  // namespace balai::core
