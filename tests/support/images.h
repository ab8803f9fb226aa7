#pragma once
// Small real images for tests of photo uploads: each is a valid file the server's content checks
// and metadata stripping accept (core::strip_image_metadata).

#include <string>

namespace balai::testing {

// A 1x1 RGB PNG (69 bytes).
std::string tiny_png();
// A 48x32 RGB PNG (127 bytes; the demo's "after" photo).
std::string small_png();
// A minimal baseline JPEG (1x1, one component) whose EXIF segment carries a GPS position, the
// kind of metadata that must never be stored.
std::string jpeg_with_gps();

}  // namespace balai::testing
