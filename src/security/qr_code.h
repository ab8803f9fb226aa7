#pragma once
// QR codes as inline SVG, for the TOTP enrolment page: the server draws the code itself so the
// otpauth URI, which holds the secret, never leaves for an image service, and the page needs no
// script (DESIGN.md, web interface).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace balai::security {

// The longest text qr_svg encodes. An otpauth URI is under 300 bytes; much more would give a
// code too dense for a phone camera to read off a screen.
constexpr size_t kQrMaxTextBytes = 1000;
// The light margin around the code, in modules, that the QR standard requires for readers to
// find it.
constexpr int kQrQuietZoneModules = 4;

// `text` encoded as a QR code (error correction level M, the smallest version that fits,
// case-sensitive; characters outside the numeric and alphanumeric sets as 8-bit bytes), drawn
// as one standalone SVG element to put inline in HTML or serve as image/svg+xml:
//   <svg xmlns="http://www.w3.org/2000/svg" width="S" height="S" viewBox="0 0 S S" role="img"
//        aria-label="QR code" ...><rect .../><path .../></svg>
// with S = (modules per side + 2 * kQrQuietZoneModules) * module_pixels: a white background
// and one black path of the dark modules, each module_pixels square. The output holds no
// script, no style, no external reference and no part of `text` in readable form, but it
// encodes `text`: treat it as being as secret as `text`. The same input always gives the same
// output. Fails with ErrorCode::validation_failed when `text` is empty, longer than
// kQrMaxTextBytes, or holds a NUL byte. `module_pixels` must lie in 1..64 (a bug otherwise:
// throws std::invalid_argument). Thread-safe (libqrencode is built with its locking); does not
// block.
// `label` is the accessible name screen readers announce, in the page's language (XML-escaped
// here).
[[nodiscard]] core::Result<std::string> qr_svg(std::string_view text, int module_pixels = 4,
                                               std::string_view label = "QR code");

}  // namespace balai::security
