#pragma once
// A browser as far as the security layer cares: a cookie jar, the CSRF token of the last page
// it read, and sign-in through the real forms and the JSON API. For integration tests.

#include <map>
#include <string>

#include "support/server_harness.h"

namespace balai::testing {

class Browser {
 public:
  explicit Browser(ServerHarness& server) : server_(server) {}

  // GET with the jar's cookies; remembers new cookies and the page's CSRF token.
  HttpReply get(const std::string& target, std::map<std::string, std::string> headers = {});
  // POST of an urlencoded form; adds `_csrf` from the last page unless `with_token` is false.
  HttpReply post_form(const std::string& target, std::map<std::string, std::string> fields,
                      bool with_token = true, std::map<std::string, std::string> headers = {});
  // Any request with the jar's cookies.
  HttpReply send(const std::string& method, const std::string& target, const std::string& body,
                 std::map<std::string, std::string> headers = {});

  // Signs in through /masuk (reads the form first for its token). Returns the reply to the POST.
  HttpReply sign_in(const std::string& login, const std::string& password);

  std::string cookie(const std::string& name) const;
  void set_cookie(const std::string& name, const std::string& value) { jar_[name] = value; }
  const std::string& csrf() const { return csrf_; }
  // The session cookie's name on this (plain HTTP) server.
  static constexpr const char* kSessionCookie = "balai_insecure_dev_session";

 private:
  void remember(const HttpReply& reply);
  std::string cookie_header() const;

  ServerHarness& server_;
  std::map<std::string, std::string> jar_;
  std::string csrf_;
};

// Percent-encodes a form value.
std::string form_encode(const std::string& value);

}  // namespace balai::testing
