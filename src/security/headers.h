#pragma once
// Security headers on every response (DESIGN.md, security model): CSP without inline script,
// nosniff, frame-ancestors 'none', Referrer-Policy, HSTS over TLS, no-store where a page is
// personal. Runs on the I/O thread too (a decorator): never blocks.

#include "http/server.h"

namespace balai::security {

http::ResponseDecorator security_headers();

}  // namespace balai::security
