#include "http/form.h"

#include <gtest/gtest.h>

#include <string>

namespace balai::http {
namespace {

using core::ErrorCode;
using namespace std::string_literals;

constexpr std::string_view kMultipartType = "multipart/form-data; boundary=XyZ";

// One multipart part with the delimiter before it.
std::string part(std::string_view disposition, std::string_view data, std::string_view type = "") {
  std::string out = "--XyZ\r\nContent-Disposition: " + std::string(disposition) + "\r\n";
  if (!type.empty()) out += "Content-Type: " + std::string(type) + "\r\n";
  out += "\r\n" + std::string(data) + "\r\n";
  return out;
}

std::string field(std::string_view name, std::string_view value) {
  return part("form-data; name=\"" + std::string(name) + "\"", value);
}

std::string file(std::string_view name, std::string_view filename, std::string_view data,
                 std::string_view type = "application/octet-stream") {
  return part(
      "form-data; name=\"" + std::string(name) + "\"; filename=\"" + std::string(filename) + "\"",
      data, type);
}

constexpr std::string_view kEnd = "--XyZ--\r\n";

// --- urlencoded ---

TEST(Urlencoded, DecodesFieldsInOrder) {
  auto form = parse_urlencoded("nama=Siti&kota=Madiun");
  ASSERT_TRUE(form.ok());
  ASSERT_EQ(form->fields.size(), 2u);
  EXPECT_EQ(form->fields[0], (std::pair<std::string, std::string>{"nama", "Siti"}));
  EXPECT_EQ(form->fields[1], (std::pair<std::string, std::string>{"kota", "Madiun"}));
}

TEST(Urlencoded, DecodesPlusAsSpace) {
  auto form = parse_urlencoded("alamat=Jl.+Pahlawan+50");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->get("alamat"), "Jl. Pahlawan 50");
}

TEST(Urlencoded, DecodesPercentEscapes) {
  auto form = parse_urlencoded("q=a%2Bb%26c%3Dd%25&nama%20lengkap=%E2%80%94");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->get("q"), "a+b&c=d%");
  EXPECT_EQ(form->get("nama lengkap"), "\xe2\x80\x94");
}

TEST(Urlencoded, EmptyBodyIsAnEmptyForm) {
  auto form = parse_urlencoded("");
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form->fields.empty());
}

TEST(Urlencoded, KeepsEmptyValues) {
  auto form = parse_urlencoded("a=&b");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->get("a"), "");
  EXPECT_EQ(form->get("b"), "");
}

TEST(Urlencoded, GetReturnsTheFirstAndAllReturnsEveryValue) {
  auto form = parse_urlencoded("hari=senin&hari=rabu&x=1&hari=jumat");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->get("hari"), "senin");
  EXPECT_EQ(form->all("hari"), (std::vector<std::string_view>{"senin", "rabu", "jumat"}));
  EXPECT_EQ(form->get("minggu"), std::nullopt);
  EXPECT_TRUE(form->all("minggu").empty());
}

TEST(Urlencoded, RejectsInvalidPercentEncoding) {
  for (const char* body : {"a=%zz", "a=%4", "a=100%", "%gg=1"}) {
    auto form = parse_urlencoded(body);
    ASSERT_FALSE(form.ok()) << body;
    EXPECT_EQ(form.error().code, ErrorCode::bad_request) << body;
  }
}

TEST(Urlencoded, RejectsInvalidUtf8) {
  auto form = parse_urlencoded("nama=%FF%FE");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Urlencoded, RejectsInvalidUtf8InANameToo) {
  auto form = parse_urlencoded("%C0%AF=x");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Urlencoded, RejectsNul) {
  auto form = parse_urlencoded("nama=a%00b");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Urlencoded, RejectsTooManyFields) {
  auto form = parse_urlencoded("a=1&b=2&c=3", FormLimits{.max_fields = 2});
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::payload_too_large);
}

TEST(Urlencoded, AcceptsExactlyTheMaximumNumberOfFields) {
  EXPECT_TRUE(parse_urlencoded("a=1&b=2", FormLimits{.max_fields = 2}).ok());
}

TEST(Urlencoded, RejectsAValueTooLong) {
  auto form = parse_urlencoded("a=123456", FormLimits{.max_field_bytes = 5});
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::payload_too_large);
}

TEST(Urlencoded, MeasuresTheDecodedValue) {
  // Five bytes once decoded, fifteen as sent.
  EXPECT_TRUE(parse_urlencoded("a=%41%42%43%44%45", FormLimits{.max_field_bytes = 5}).ok());
}

// --- multipart ---

TEST(Multipart, DecodesFields) {
  const std::string body =
      field("nama", "Siti Aminah") + field("kota", "Madiun") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("nama"), "Siti Aminah");
  EXPECT_EQ(form->get("kota"), "Madiun");
  EXPECT_TRUE(form->files.empty());
}

TEST(Multipart, DecodesAFileWithItsNameAndType) {
  const std::string data = "\x89PNG\r\n\x1a\n\0\0binary"s;
  const std::string body =
      field("judul", "Foto KTP") + file("foto", "ktp.png", data, "image/png") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("judul"), "Foto KTP");
  ASSERT_EQ(form->files.size(), 1u);
  EXPECT_EQ(form->files[0].field, "foto");
  EXPECT_EQ(form->files[0].filename, "ktp.png");
  EXPECT_EQ(form->files[0].content_type, "image/png");
  EXPECT_EQ(form->files[0].data, data);
}

TEST(Multipart, KeepsLineBreaksInsideAValue) {
  const std::string body = field("alamat", "Jl. Pahlawan 50\r\nMadiun") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("alamat"), "Jl. Pahlawan 50\r\nMadiun");
}

TEST(Multipart, KeepsAnEmptyValue) {
  auto form = parse_multipart(field("catatan", "") + std::string(kEnd), kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("catatan"), "");
}

TEST(Multipart, SkipsAnEmptyFileInput) {
  // A file input left empty sends filename="" and no bytes.
  auto form = parse_multipart(file("foto", "", "") + std::string(kEnd), kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_TRUE(form->files.empty());
}

TEST(Multipart, AcceptsAQuotedBoundary) {
  const std::string body = field("a", "1") + std::string(kEnd);
  auto form = parse_multipart(body, "multipart/form-data; boundary=\"XyZ\"");
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("a"), "1");
}

TEST(Multipart, FindsTheBoundaryAmongOtherParameters) {
  const std::string body = field("a", "1") + std::string(kEnd);
  auto form = parse_multipart(body, "multipart/form-data; charset=utf-8; BOUNDARY=XyZ");
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("a"), "1");
}

TEST(Multipart, RejectsAMissingBoundary) {
  auto form = parse_multipart(field("a", "1") + std::string(kEnd), "multipart/form-data");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsAnEmptyOrOverlongBoundary) {
  EXPECT_FALSE(parse_multipart("--\r\n", "multipart/form-data; boundary=").ok());
  EXPECT_FALSE(parse_multipart("x", "multipart/form-data; boundary=" + std::string(71, 'b')).ok());
}

TEST(Multipart, RejectsAnUnterminatedQuotedBoundary) {
  auto form =
      parse_multipart(field("a", "1") + std::string(kEnd), "multipart/form-data; boundary=\"XyZ");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsABodyWithoutItsBoundary) {
  auto form = parse_multipart("just text", kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsAnUnterminatedBody) {
  const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsABodyWithoutTheClosingDelimiter) {
  const std::string body = field("a", "1") + "--XyZ";
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsPartHeadersWithoutTheBlankLine) {
  const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ--\r\n";
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, IgnoresAPreamble) {
  const std::string body =
      "This is the preamble; it is not part of the form.\r\n" + field("a", "1") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  ASSERT_EQ(form->fields.size(), 1u);
  EXPECT_EQ(form->get("a"), "1");
}

TEST(Multipart, RejectsABoundaryGluedToThePreamble) {
  const std::string body = "preamble" + field("a", "1") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, IgnoresAnEpilogue) {
  const std::string body = field("a", "1") + "--XyZ--\r\nepilogue text";
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("a"), "1");
}

TEST(Multipart, RejectsAPartThatIsNotFormData) {
  const std::string body = part("attachment; name=\"a\"", "1") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsAPartWithoutName) {
  const std::string body = part("form-data", "1") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsAFieldWithInvalidUtf8) {
  auto form = parse_multipart(field("nama", "\xc0\xaf") + std::string(kEnd), kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, AcceptsAnyBytesInAFile) {
  const std::string data = "\xff\xfe\0\xc0\xaf"s;
  auto form = parse_multipart(file("f", "a.bin", data) + std::string(kEnd), kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  ASSERT_EQ(form->files.size(), 1u);
  EXPECT_EQ(form->files[0].data, data);
}

TEST(Multipart, RejectsAFileNameWithInvalidUtf8) {
  auto form = parse_multipart(file("f", "a\xff.png", "x") + std::string(kEnd), kMultipartType);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::bad_request);
}

TEST(Multipart, RejectsAFileTooLarge) {
  auto form = parse_multipart(file("f", "a.bin", "123456") + std::string(kEnd), kMultipartType,
                              FormLimits{.max_file_bytes = 5});
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::payload_too_large);
}

TEST(Multipart, AcceptsAFileExactlyAtTheLimit) {
  auto form = parse_multipart(file("f", "a.bin", "12345") + std::string(kEnd), kMultipartType,
                              FormLimits{.max_file_bytes = 5});
  EXPECT_TRUE(form.ok());
}

TEST(Multipart, RejectsTooManyFiles) {
  const std::string body = file("a", "1.txt", "1") + file("b", "2.txt", "2") +
                           file("c", "3.txt", "3") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType, FormLimits{.max_files = 2});
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::payload_too_large);
}

TEST(Multipart, RejectsTooManyFields) {
  const std::string body = field("a", "1") + field("b", "2") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType, FormLimits{.max_fields = 1});
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::payload_too_large);
}

TEST(Multipart, RejectsAFieldTooLong) {
  auto form = parse_multipart(field("a", "123456") + std::string(kEnd), kMultipartType,
                              FormLimits{.max_field_bytes = 5});
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::payload_too_large);
}

TEST(Multipart, ReadsHeaderNamesCaseInsensitively) {
  const std::string body =
      "--XyZ\r\ncontent-disposition: form-data; name=\"a\"\r\ncontent-type: "
      "text/plain\r\n\r\n1\r\n" +
      std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("a"), "1");
}

TEST(Multipart, ASemicolonInsideAQuotedNameDoesNotStartAParameter) {
  // A field whose name holds "; filename=" is still a field, not a file.
  const std::string body =
      part("form-data; name=\"note; filename=x.txt\"", "hello") + std::string(kEnd);
  auto form = parse_multipart(body, kMultipartType);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("note; filename=x.txt"), "hello");
  EXPECT_TRUE(form->files.empty());
}

// --- by content type ---

TEST(ParseForm, DecodesAnUrlencodedRequest) {
  Request req;
  req.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  req.body = "a=1";
  auto form = parse_form(req);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->get("a"), "1");
}

TEST(ParseForm, DecodesAMultipartRequestWithItsBoundary) {
  Request req;
  req.headers.set("Content-Type", "Multipart/Form-Data; boundary=XyZ");
  req.body = field("a", "1") + std::string(kEnd);
  auto form = parse_form(req);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->get("a"), "1");
}

TEST(ParseForm, RejectsOtherContentTypesAsUnsupported) {
  Request req;
  req.headers.set("Content-Type", "application/json");
  req.body = "{}";
  auto form = parse_form(req);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, ErrorCode::unsupported_media);
}

}  // namespace
}  // namespace balai::http
