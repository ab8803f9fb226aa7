#pragma once
// Internal to the identity module: its route tables and what they share.

#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "app/app.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "security/sign_in.h"

namespace balai::identity {

class IdentityService;

void install_api(app::App& app);
void install_pages(app::App& app);
void install_registration_api(app::App& app, IdentityService& service);
void install_my_data_api(app::App& app, IdentityService& service);
void install_registration_pages(app::App& app, IdentityService& service);
void install_my_data_pages(app::App& app, IdentityService& service);
void install_officer_pages(app::App& app, IdentityService& service);

// JSON helpers shared by the module's API files (api.cpp).
// A string member of a JSON object; nullopt when absent or not a string.
std::optional<std::string> string_field(const boost::json::object& o, std::string_view name);
// validation_failed with each named field "required".
core::Error missing(std::initializer_list<std::string_view> names);
// The request's body as a JSON object (415, 413, 400 otherwise).
core::Result<boost::json::object> json_object(const http::Request& req, uint64_t limit);
// The /api/v1 error answer (no-store; Retry-After from a "retry_after" field).
http::Response error(const http::Request& req, const core::Error& e);

// 401 "Sign in first." for a route that needs a signed-in person.
http::Response unauthenticated(const http::Request& req);

// The facts of a sign-in attempt a handler can see (address after proxies, browser, request).
security::Attempt attempt_of(const http::Request& req);

// What the service needs to know about a request (address, request id, portal or api).
struct RequestFacts;
RequestFacts facts_of(const http::Request& req, std::string_view via);

// A local path to go to after signing in: only "/..." paths of this site ("//evil" and
// "/\evil" are other sites to a browser); "/akun" otherwise.
std::string safe_next(std::optional<std::string> next);

}  // namespace balai::identity
