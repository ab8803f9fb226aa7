#pragma once
// The ModSecurity directives Balai puts in front of the Core Rule Set: the engine mode, body
// handling, and the CRS variables the setup file leaves to the site (paranoia level, the HTTP
// methods and content types the application accepts). Generated rather than shipped as a file
// because the mode and the paranoia level come from the configuration, and one place is easier
// to keep right than a file plus the code that patches it.

#include <string>

#include "security/waf/waf.h"

namespace balai::security::waf::detail {

// Rule ids Balai owns (ModSecurity reserves 1-99,999 for local rules). The body checks keep the
// ids modsecurity.conf-recommended gives them, which operators and CRS documentation know.
inline constexpr int kCrsSettingsRule = 10100;
inline constexpr int kJsonBodyRule = 200001;
inline constexpr int kBodyErrorRule = 200002;
inline constexpr int kMultipartStrictRule = 200003;

// Directives in SecLang, one per line, to be parsed before crs-setup.conf and the rules.
// Precondition: settings.paranoia is 1 to 4.
std::string engine_settings(const Settings& settings);

}  // namespace balai::security::waf::detail
