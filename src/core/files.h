#pragma once
// Files that other programs read while Balai rewrites them (the key ring, the MQTT broker's
// password and ACL files): replaced whole, atomically, and durable once written.

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/result.h"

namespace balai::core {

// Writes `text` to `path` so that a reader sees the old file or the new one, never a mix, and
// the new one survives a crash once this returns: a temporary file in the same folder with
// `mode`, fsync, rename over `path`, fsync of the folder. The folder must exist. internal error
// naming the path and the system's reason (never the contents).
[[nodiscard]] Status write_file_atomically(const std::string& path, std::string_view text,
                                           mode_t mode);

// The folder of a path ("." for a bare file name).
std::string folder_of(const std::string& path);

}  // namespace balai::core
