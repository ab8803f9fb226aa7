#pragma once
// What a stored photo may keep of the camera that took it: its pixels and what a viewer needs to
// show them, nothing else. Citizens' complaint photos often carry the GPS position of their home,
// the phone's serial number or the owner's name; those are removed before anything is stored.

#include <string>
#include <string_view>

#include "core/result.h"

namespace balai::core {

// The image in `bytes` without its metadata; the entropy-coded / compressed pixel data is copied
// byte for byte, so the decoded picture is unchanged.
//   JPEG: drops APP1..APP15 (EXIF, XMP, ICC, Photoshop/IPTC, MPF, ...) and COM segments, also
//     between progressive scans, and whatever follows the EOI marker (phone trailers, motion-photo
//     videos, secondary MPF images). Keeps a JFIF APP0 without its thumbnail (other APP0s, such as
//     JFXX thumbnails, go) and the 12-byte Adobe APP14, which says how to convert the colours.
//     Of EXIF only the Orientation tag survives, in a rebuilt 36-byte APP1 and only when it is
//     not 1: phones store portrait photos sideways and rely on it to show them upright.
//   PNG: keeps the critical chunks and the rendering chunks bKGD, cHRM, cICP, cLLI, gAMA, mDCV,
//     pHYs, sBIT, sRGB, tRNS and the APNG chunks acTL, fcTL, fdAT; drops every other ancillary
//     chunk (tEXt, zTXt, iTXt, eXIf, tIME, iCCP, private chunks) and anything after IEND.
//   WebP: keeps VP8X, VP8, VP8L, ALPH, ANIM and ANMF (with only its ALPH/VP8/VP8L sub-chunks);
//     drops EXIF, XMP, ICCP and unknown chunks, clears the ICC (0x20), EXIF (0x08) and XMP (0x04)
//     flags of VP8X and rewrites the RIFF size.
// Colour profiles are dropped in all three formats: an embedded profile can identify the device
// (or its calibration). Viewers then assume sRGB, so a wide-gamut (Display P3) photo shows
// slightly less saturated; the pixels themselves are untouched.
// `type` is what sniff_image_type returned ("image/jpeg", "image/png" or "image/webp").
// Errors: validation_failed, with a message that never quotes the content, when `type` is none of
// those or `bytes` is not a well-formed image of that type (truncated, a length running past the
// end, a missing SOI/SOS/EOI, IHDR/IDAT/IEND, a RIFF size that does not match the file...).
// Stripping a stripped image returns it unchanged. Pure: no I/O, thread-safe, linear in the size.
[[nodiscard]] Result<std::string> strip_image_metadata(std::string_view bytes,
                                                       std::string_view type);

}  // namespace balai::core
