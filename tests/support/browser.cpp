#include "support/browser.h"

#include <sstream>

namespace balai::testing {

std::string form_encode(const std::string& value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string Browser::cookie(const std::string& name) const {
  auto it = jar_.find(name);
  return it == jar_.end() ? std::string() : it->second;
}

std::string Browser::cookie_header() const {
  std::string out;
  for (const auto& [name, value] : jar_) {
    if (!out.empty()) out += "; ";
    out += name + "=" + value;
  }
  return out;
}

void Browser::remember(const HttpReply& reply) {
  std::istringstream lines(reply.header("set-cookie"));
  std::string line;
  while (std::getline(lines, line)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const size_t end = line.find(';');
    const std::string name = line.substr(0, eq);
    const std::string value = line.substr(eq + 1, end == std::string::npos ? end : end - eq - 1);
    if (value.empty() || line.find("Max-Age=0") != std::string::npos) {
      jar_.erase(name);
    } else {
      jar_[name] = value;
    }
  }
  const std::string marker = "name=\"_csrf\" value=\"";
  if (auto at = reply.body.find(marker); at != std::string::npos) {
    const size_t start = at + marker.size();
    csrf_ = reply.body.substr(start, reply.body.find('"', start) - start);
  }
}

HttpReply Browser::send(const std::string& method, const std::string& target,
                        const std::string& body, std::map<std::string, std::string> headers) {
  if (!jar_.empty()) headers["Cookie"] = cookie_header();
  HttpReply reply = server_.send(method, target, body, headers);
  remember(reply);
  return reply;
}

HttpReply Browser::get(const std::string& target, std::map<std::string, std::string> headers) {
  return send("GET", target, "", std::move(headers));
}

HttpReply Browser::post_form(const std::string& target, std::map<std::string, std::string> fields,
                             bool with_token, std::map<std::string, std::string> headers) {
  if (with_token) fields["_csrf"] = csrf_;
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += form_encode(k) + "=" + form_encode(v);
  }
  headers["Content-Type"] = "application/x-www-form-urlencoded";
  return send("POST", target, body, std::move(headers));
}

HttpReply Browser::sign_in(const std::string& login, const std::string& password) {
  get("/masuk");
  return post_form("/masuk", {{"login", login}, {"password", password}});
}

}  // namespace balai::testing
