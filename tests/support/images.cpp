#include "support/images.h"

namespace balai::testing {

std::string tiny_png() {
  static const unsigned char bytes[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
      0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92,
      0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}

std::string small_png() {
  return std::string(
      "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
      "\x00\x30\x00\x00\x00\x20\x08\x02\x00\x00\x00\xdb\xb6\x6c\x4b\x00\x00\x00"
      "\x46\x49\x44\x41\x54\x78\xda\xed\xd3\x31\x09\x00\x20\x14\x40\x41\x23\x3a"
      "\x1b\xc2\xc5\x2e\xce\xc6\xb1\x8b\x25\x8c\x20\x82\xc3\x17\x0e\x5e\x80\x5b"
      "\x5e\xea\x73\x85\x2a\x01\x01\x01\x01\x01\x01\x5d\x82\xca\xc8\xa1\x02\x3a"
      "\x82\x6a\x6d\xa1\x02\xfa\x0f\xe4\x32\x20\x20\x20\x20\x20\xa0\xb7\x6d\x73"
      "\x82\xfe\x08\x27\x95\xfc\xbb\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
      "\x82",
      127);
}

std::string jpeg_with_gps() {
  const std::string exif = std::string("Exif\0\0", 6) + "GPSLatitude -7.6298 GPSLongitude 111.5239";
  std::string j = "\xff\xd8\xff\xe1";  // start of image, APP1 (EXIF)
  const size_t length = exif.size() + 2;
  j += static_cast<char>(length >> 8);
  j += static_cast<char>(length & 0xff);
  j += exif;
  // A baseline frame header (1x1, one component), a start of scan, a little entropy-coded data
  // and the end of image.
  j += std::string("\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00", 13);
  j += std::string("\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00", 10);
  j += std::string("\x12\x34\x56", 3);
  j += "\xff\xd9";
  return j;
}

}  // namespace balai::testing
