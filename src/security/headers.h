#pragma once
// Security headers on every response (DESIGN.md, security model): CSP without inline script,
// nosniff, frame-ancestors 'none', Referrer-Policy, HSTS over TLS, no-store where a page is
// personal. Runs on the I/O thread too (a decorator): never blocks.

#include <string_view>

#include "http/server.h"

namespace balai::security {

// `map_tiles` is the portal maps' tile URL template (core::CityConfig::map_tiles, e.g.
// "https://{s}.tile.example.org/{z}/{x}/{y}.png"): when set, its origin may serve images to the
// pages (CSP img-src); "" (or a template without an http(s) origin) allows none.
http::ResponseDecorator security_headers(std::string_view map_tiles = {});

}  // namespace balai::security
