#include "security/qr_code.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/text.h"

namespace balai::security {
namespace {

constexpr int kMaxModulePixels = 64;

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeFree>;

// libqrencode marks a dark module with the lowest bit; the other bits say what the module is
// part of (finder pattern, timing, data, ...), which does not matter for drawing.
bool is_dark(const QRcode& code, int row, int column) {
  return (code.data[static_cast<size_t>(row) * static_cast<size_t>(code.width) +
                    static_cast<size_t>(column)] &
          1) != 0;
}

// The path data for the dark modules: one rectangle per horizontal run of dark modules in a row,
// which keeps the path a fraction of the size one square per module would give.
std::string dark_modules_path(const QRcode& code, int module_pixels) {
  std::string d;
  for (int row = 0; row < code.width; ++row) {
    int column = 0;
    while (column < code.width) {
      if (!is_dark(code, row, column)) {
        ++column;
        continue;
      }
      const int start = column;
      while (column < code.width && is_dark(code, row, column)) ++column;
      const int x = (start + kQrQuietZoneModules) * module_pixels;
      const int y = (row + kQrQuietZoneModules) * module_pixels;
      const int width = (column - start) * module_pixels;
      d += 'M' + std::to_string(x) + ' ' + std::to_string(y) + 'h' + std::to_string(width) + 'v' +
           std::to_string(module_pixels) + 'h' + std::to_string(-width) + 'z';
    }
  }
  return d;
}

}  // namespace

core::Result<std::string> qr_svg(std::string_view text, int module_pixels, std::string_view label) {
  if (module_pixels < 1 || module_pixels > kMaxModulePixels)
    throw std::invalid_argument("QR module size must be 1 to 64 pixels");
  if (text.empty())
    return core::make_error(core::ErrorCode::validation_failed, "nothing to encode");
  if (text.size() > kQrMaxTextBytes)
    return core::make_error(core::ErrorCode::validation_failed, "too much text for a QR code");
  if (text.find('\0') != std::string_view::npos)
    return core::make_error(core::ErrorCode::validation_failed, "a QR code text cannot hold NUL");

  const std::string text_z(text);  // libqrencode reads a NUL-terminated string
  errno = 0;
  QrCodePtr code(QRcode_encodeString(text_z.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    // ERANGE: more than the largest version holds, which the length check above should have
    // ruled out; anything else (ENOMEM) is not the caller's fault.
    if (errno == ERANGE)
      return core::make_error(core::ErrorCode::validation_failed, "too much text for a QR code");
    return core::make_error(core::ErrorCode::internal, "the QR code could not be made");
  }

  const std::string size = std::to_string((code->width + 2 * kQrQuietZoneModules) * module_pixels);
  std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" + size + R"(" height=")" +
                    size + R"(" viewBox="0 0 )" + size + ' ' + size +
                    R"(" role="img" aria-label=")";
  core::append_xml_escaped(svg, label);
  svg += R"(" shape-rendering="crispEdges">)";
  svg += R"(<rect width=")" + size + R"(" height=")" + size + R"(" fill="#fff"/>)";
  svg += R"(<path fill="#000" d=")" + dark_modules_path(*code, module_pixels) + R"("/>)";
  svg += "</svg>";
  return svg;
}

}  // namespace balai::security
