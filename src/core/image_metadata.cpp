#include "core/image_metadata.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace balai::core {
namespace {

std::uint8_t byte_at(std::string_view b, std::size_t i) {
  return static_cast<std::uint8_t>(b[i]);
}

std::uint32_t be16(std::string_view b, std::size_t i) {
  return (std::uint32_t{byte_at(b, i)} << 8) | byte_at(b, i + 1);
}

std::uint32_t be32(std::string_view b, std::size_t i) {
  return (be16(b, i) << 16) | be16(b, i + 2);
}

std::uint32_t le16(std::string_view b, std::size_t i) {
  return std::uint32_t{byte_at(b, i)} | (std::uint32_t{byte_at(b, i + 1)} << 8);
}

std::uint32_t le32(std::string_view b, std::size_t i) {
  return std::uint32_t{byte_at(b, i)} | (std::uint32_t{byte_at(b, i + 1)} << 8) |
         (std::uint32_t{byte_at(b, i + 2)} << 16) | (std::uint32_t{byte_at(b, i + 3)} << 24);
}

void append_le32(std::string& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

Error malformed(std::string_view format, std::string_view what) {
  std::string message = "The image is not a valid ";
  message.append(format).append(": ").append(what).append(".");
  return make_error(ErrorCode::validation_failed, std::move(message));
}

// --- JPEG (ITU T.81 B.1): markers 0xFFxx, each optionally preceded by 0xFF fill bytes. ---

bool is_jpeg_frame_marker(std::uint8_t m) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

bool is_jpeg_standalone_marker(std::uint8_t m) {
  return m == 0x01 || (m >= 0xD0 && m <= 0xD7);  // TEM, RST0..RST7
}

// The end of the entropy-coded data that starts at `p`: the position of the first 0xFF of the
// next marker that is neither a stuffed zero nor a restart; npos when the data runs to the end.
std::size_t end_of_entropy_data(std::string_view b, std::size_t p) {
  for (;;) {
    p = b.find('\xFF', p);
    if (p == std::string_view::npos) return p;
    std::size_t q = p;
    while (q < b.size() && byte_at(b, q) == 0xFF) ++q;
    if (q == b.size()) return std::string_view::npos;
    const std::uint8_t next = byte_at(b, q);
    if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7)) return p;
    p = q + 1;
  }
}

// The Orientation tag (1..8) of IFD0 in an APP1 "Exif" payload; 1 (as shot) when there is none
// or it cannot be read. Malformed EXIF is not an error: it is dropped with the rest.
std::uint32_t exif_orientation(std::string_view payload) {
  constexpr std::string_view kExifHeader("Exif\0\0", 6);
  if (payload.substr(0, kExifHeader.size()) != kExifHeader) return 1;
  const std::string_view tiff = payload.substr(kExifHeader.size());
  if (tiff.size() < 8) return 1;
  const bool big_endian = tiff.substr(0, 4) == std::string_view("MM\0*", 4);
  if (!big_endian && tiff.substr(0, 4) != std::string_view("II*\0", 4)) return 1;
  auto u16 = [&](std::size_t i) { return big_endian ? be16(tiff, i) : le16(tiff, i); };
  auto u32 = [&](std::size_t i) { return big_endian ? be32(tiff, i) : le32(tiff, i); };
  const std::size_t ifd = u32(4);
  if (ifd > tiff.size() || tiff.size() - ifd < 2) return 1;
  const std::size_t entries = u16(ifd);
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (tiff.size() - entry < 12) return 1;
    if (u16(entry) == 0x0112 && u16(entry + 2) == 3 && u32(entry + 4) == 1) {
      const std::uint32_t orientation = u16(entry + 8);
      return orientation >= 1 && orientation <= 8 ? orientation : 1;
    }
  }
  return 1;
}

// An APP1 segment whose EXIF holds nothing but `orientation`: the one tag a viewer needs to show
// a phone photo upright, and one that says nothing about who took it or where.
std::string exif_orientation_segment(std::uint32_t orientation) {
  std::string segment(
      "\xFF\xE1\x00\x22"
      "Exif\0\0"
      "MM\0*\0\0\0\x08"           // big-endian TIFF, IFD0 at offset 8
      "\0\x01"                    // one entry:
      "\x01\x12\0\x03\0\0\0\x01"  // Orientation, SHORT, count 1,
      "\0\0\0\0"                  // value (set below), padding
      "\0\0\0\0",                 // no next IFD
      36);
  segment[29] = static_cast<char>(orientation);
  return segment;
}

Result<std::string> strip_jpeg(std::string_view b) {
  auto bad = [](std::string_view what) { return malformed("JPEG", what); };
  if (b.size() < 2 || byte_at(b, 0) != 0xFF || byte_at(b, 1) != 0xD8) {
    return bad("it does not start with an SOI marker");
  }
  std::string out(b.substr(0, 2));
  out.reserve(b.size());
  bool seen_frame = false;
  bool seen_scan = false;
  bool seen_exif = false;  // readers use the first EXIF segment only
  std::size_t p = 2;
  for (;;) {
    const std::size_t start = p;  // the marker's first 0xFF, fill bytes included
    if (p >= b.size()) return bad("it ends before the EOI marker");
    if (byte_at(b, p) != 0xFF) return bad("data was found where a marker belongs");
    while (p < b.size() && byte_at(b, p) == 0xFF) ++p;
    if (p == b.size()) return bad("it ends before the EOI marker");
    const std::uint8_t marker = byte_at(b, p++);

    if (marker == 0xD9) {  // EOI: anything after it is not part of the image
      if (!seen_scan) return bad("it has no image data (SOS)");
      out.append(b.substr(start, p - start));
      return out;
    }
    if (is_jpeg_standalone_marker(marker)) {
      out.append(b.substr(start, p - start));
      continue;
    }
    if (marker == 0xD8) return bad("it repeats the SOI marker");
    if (marker < 0xC0) return bad("it contains a reserved marker");

    if (b.size() - p < 2) return bad("a segment length is cut off");
    const std::size_t length = be16(b, p);
    if (length < 2) return bad("a segment length is too small");
    if (b.size() - p < length) return bad("a segment runs past the end of the file");
    const std::string_view payload = b.substr(p + 2, length - 2);
    p += length;

    if (is_jpeg_frame_marker(marker)) seen_frame = true;
    if (marker == 0xDA) {  // SOS: its header, then entropy-coded data up to the next marker
      if (!seen_frame) return bad("image data (SOS) comes before the frame header (SOF)");
      seen_scan = true;
      const std::size_t end = end_of_entropy_data(b, p);
      if (end == std::string_view::npos) return bad("it ends before the EOI marker");
      out.append(b.substr(start, end - start));
      p = end;
    } else if (marker == 0xE0) {
      // JFIF: identifier, version, units, densities, then a thumbnail we do not keep.
      if (payload.size() >= 14 && payload.substr(0, 5) == std::string_view("JFIF\0", 5)) {
        out.append("\xFF\xE0\x00\x10", 4).append(payload.substr(0, 12)).append(2, '\0');
      }
    } else if (marker == 0xEE) {
      // Adobe: version, flags and the colour transform a decoder needs for RGB or CMYK JPEGs.
      if (payload.size() >= 12 && payload.substr(0, 5) == "Adobe") {
        out.append("\xFF\xEE\x00\x0E", 4).append(payload.substr(0, 12));
      }
    } else if (marker == 0xE1 && !seen_exif &&
               payload.substr(0, 6) == std::string_view("Exif\0\0", 6)) {
      seen_exif = true;
      const std::uint32_t orientation = exif_orientation(payload);
      if (orientation != 1) out.append(exif_orientation_segment(orientation));
    } else if ((marker >= 0xE1 && marker <= 0xEF) || marker == 0xFE) {
      // APPn and COM: metadata, dropped.
    } else {
      out.append(b.substr(start, p - start));
    }
  }
}

// --- PNG (ISO/IEC 15948): signature, then chunks of length, type, data and CRC. ---

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1A\n", 8);

bool is_png_type_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool keeps_png_chunk(std::string_view type) {
  if (type[0] >= 'A' && type[0] <= 'Z') return true;  // critical: needed to decode
  static constexpr std::array<std::string_view, 13> kRendering = {
      "bKGD", "cHRM", "cICP", "cLLI", "gAMA", "mDCV", "pHYs",
      "sBIT", "sRGB", "tRNS", "acTL", "fcTL", "fdAT"};
  for (std::string_view kept : kRendering) {
    if (type == kept) return true;
  }
  return false;
}

Result<std::string> strip_png(std::string_view b) {
  auto bad = [](std::string_view what) { return malformed("PNG", what); };
  if (b.substr(0, kPngSignature.size()) != kPngSignature) return bad("the signature is wrong");
  std::string out(kPngSignature);
  out.reserve(b.size());
  bool seen_data = false;
  std::size_t p = kPngSignature.size();
  for (;;) {
    if (b.size() - p < 12) return bad("it ends before the IEND chunk");
    const std::uint32_t length = be32(b, p);
    if (length > 0x7FFFFFFFu) return bad("a chunk length is out of range");
    const std::string_view type = b.substr(p + 4, 4);
    for (char c : type) {
      if (!is_png_type_letter(c)) return bad("a chunk type is invalid");
    }
    if (b.size() - p - 12 < length) return bad("a chunk runs past the end of the file");
    const std::size_t end = p + 12 + length;

    if (p == kPngSignature.size()) {
      if (type != "IHDR" || length != 13) return bad("it does not start with an IHDR chunk");
    } else if (type == "IHDR") {
      return bad("it repeats the IHDR chunk");
    }
    if (type == "IDAT") seen_data = true;
    if (type == "IEND") {
      if (length != 0) return bad("the IEND chunk is not empty");
      if (!seen_data) return bad("it has no image data (IDAT)");
      out.append(b.substr(p, end - p));
      return out;
    }
    if (keeps_png_chunk(type)) out.append(b.substr(p, end - p));
    p = end;
  }
}

// --- WebP (RIFF container): "RIFF", size, "WEBP", then chunks padded to an even length. ---

constexpr std::uint8_t kVp8xIcc = 0x20;
constexpr std::uint8_t kVp8xExif = 0x08;
constexpr std::uint8_t kVp8xXmp = 0x04;
constexpr std::size_t kAnmfHeaderSize = 16;  // position, size, duration and flags of a frame

struct RiffChunk {
  std::string_view fourcc;
  std::string_view payload;
};

// The chunks that exactly fill `area`; an error when one runs past its end.
Result<std::vector<RiffChunk>> read_riff_chunks(std::string_view area) {
  std::vector<RiffChunk> chunks;
  std::size_t p = 0;
  while (p < area.size()) {
    if (area.size() - p < 8) return malformed("WebP", "a chunk header is cut off");
    const std::uint64_t size = le32(area, p + 4);
    const std::uint64_t padded = size + (size & 1);
    if (area.size() - p - 8 < padded) return malformed("WebP", "a chunk runs past its container");
    chunks.push_back({area.substr(p, 4), area.substr(p + 8, size)});
    p += 8 + padded;
  }
  return chunks;
}

void append_riff_chunk(std::string& out, std::string_view fourcc, std::string_view payload) {
  out.append(fourcc);
  append_le32(out, static_cast<std::uint32_t>(payload.size()));
  out.append(payload);
  if (payload.size() % 2 != 0) out.push_back('\0');
}

bool is_webp_bitstream(std::string_view fourcc) {
  return fourcc == "VP8 " || fourcc == "VP8L";
}

// An ANMF payload with only the sub-chunks that make up the frame's picture.
Result<std::string> strip_webp_frame(std::string_view payload) {
  if (payload.size() < kAnmfHeaderSize) return malformed("WebP", "an animation frame is cut off");
  auto chunks = read_riff_chunks(payload.substr(kAnmfHeaderSize));
  if (!chunks.ok()) return chunks.take_error();
  std::string frame(payload.substr(0, kAnmfHeaderSize));
  bool has_bitstream = false;
  for (const RiffChunk& c : *chunks) {
    if (is_webp_bitstream(c.fourcc)) has_bitstream = true;
    if (is_webp_bitstream(c.fourcc) || c.fourcc == "ALPH") {
      append_riff_chunk(frame, c.fourcc, c.payload);
    }
  }
  if (!has_bitstream) return malformed("WebP", "an animation frame has no image data");
  return frame;
}

Result<std::string> strip_webp(std::string_view b) {
  auto bad = [](std::string_view what) { return malformed("WebP", what); };
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WEBP") {
    return bad("the RIFF header is wrong");
  }
  if (std::uint64_t{le32(b, 4)} + 8 != b.size()) return bad("the RIFF size does not match");
  auto chunks = read_riff_chunks(b.substr(12));
  if (!chunks.ok()) return chunks.take_error();
  if (chunks->empty()) return bad("it has no chunks");

  const std::string_view first = chunks->front().fourcc;
  const bool extended = first == "VP8X";
  if (!extended && !is_webp_bitstream(first))
    return bad("it does not start with VP8X, VP8 or VP8L");
  if (extended && chunks->front().payload.size() != 10) return bad("the VP8X chunk has a bad size");

  std::string out("RIFF\0\0\0\0WEBP", 12);
  out.reserve(b.size());
  bool has_image = false;
  for (std::size_t i = 0; i < chunks->size(); ++i) {
    const RiffChunk& c = (*chunks)[i];
    if (c.fourcc == "VP8X") {
      if (i != 0) return bad("it repeats the VP8X chunk");
      std::string header(c.payload);
      header[0] = static_cast<char>(byte_at(header, 0) & ~(kVp8xIcc | kVp8xExif | kVp8xXmp));
      append_riff_chunk(out, c.fourcc, header);
    } else if (is_webp_bitstream(c.fourcc)) {
      has_image = true;
      append_riff_chunk(out, c.fourcc, c.payload);
      if (!extended) break;  // a simple file is one bitstream; anything after it is not image
    } else if (extended && c.fourcc == "ANMF") {
      auto frame = strip_webp_frame(c.payload);
      if (!frame.ok()) return frame.take_error();
      has_image = true;
      append_riff_chunk(out, c.fourcc, *frame);
    } else if (extended && (c.fourcc == "ALPH" || c.fourcc == "ANIM")) {
      append_riff_chunk(out, c.fourcc, c.payload);
    }
    // EXIF, XMP, ICCP and unknown chunks: dropped.
  }
  if (!has_image) return bad("it has no image data");
  // Never larger than the input, whose RIFF size fit in 32 bits.
  std::string size;
  append_le32(size, static_cast<std::uint32_t>(out.size() - 8));
  out.replace(4, 4, size);
  return out;
}

}  // namespace

Result<std::string> strip_image_metadata(std::string_view bytes, std::string_view type) {
  if (type == "image/jpeg") return strip_jpeg(bytes);
  if (type == "image/png") return strip_png(bytes);
  if (type == "image/webp") return strip_webp(bytes);
  return make_error(ErrorCode::validation_failed, "The image type is not supported.");
}

}  // namespace balai::core
