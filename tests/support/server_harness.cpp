#include "support/server_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "core/ids.h"
#include "support/databases.h"

namespace balai::testing {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

}  // namespace

ServerHarness::ServerHarness(std::function<void(core::Config&)> adjust, std::string database_url,
                             bool seed_demo, std::function<void(http::Router&)> extra_routes) {
  data_dir_ =
      (fs::temp_directory_path() / ("balai-test-" + core::random_hex_id().substr(0, 12))).string();
  core::Config config;
  config.data_dir = data_dir_;
  config.web_dir = source_dir() + "/web";
  config.server.port = 0;
  config.server.io_threads = 2;
  config.server.worker_threads = 2;
  config.server.shutdown_grace_ms = 3000;
  config.log.access_log = false;
  // Tests hammer one server from 127.0.0.1; the firewall's own tests lower these.
  config.security.api_burst = 1'000'000;
  config.security.api_per_second = 1'000'000;
  // Argon2 at its cheapest: these tests are about what surrounds the hash (the hash's own
  // tests use the real cost).
  config.security.password_hash_memory_kib = 1024;
  config.security.password_hash_passes = 1;
  config.security.login_burst = 1'000'000;
  config.security.login_per_minute = 1'000'000;
  config.database.url = database_url;
  if (adjust) adjust(config);

  auto rt = app::Runtime::open(config);
  if (!rt) throw std::runtime_error("runtime: " + rt.error().message);
  runtime_ = std::move(rt).value();
  auto migrated = runtime_->migrate();
  if (!migrated) throw std::runtime_error("migrate: " + migrated.error().message);
  if (seed_demo) {
    auto seeded = runtime_->seed_demo();
    if (!seeded) throw std::runtime_error("seed: " + seeded.error().message);
  }
  if (extra_routes) extra_routes(runtime_->router());
  auto started = runtime_->start_server();
  if (!started) throw std::runtime_error("start: " + started.error().message);
  port_ = runtime_->server().port();
  thread_ = std::thread([this] { runtime_->server().run(); });
}

ServerHarness::~ServerHarness() {
  stop();
  runtime_.reset();
  std::error_code ec;
  fs::remove_all(data_dir_, ec);
}

void ServerHarness::stop() {
  if (stopped_) return;
  stopped_ = true;
  runtime_->server().stop();
  if (thread_.joinable()) thread_.join();
}

HttpReply ServerHarness::get(const std::string& target,
                             const std::map<std::string, std::string>& headers) {
  return send("GET", target, "", headers);
}

HttpReply ServerHarness::send(const std::string& method, const std::string& target,
                              const std::string& body,
                              const std::map<std::string, std::string>& headers) {
  RawClient client(port_);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  client.write(req);
  return client.read_reply();
}

RawClient::RawClient(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawClient::write(std::string_view bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

HttpReply parse_reply(const std::string& buf, size_t& consumed, bool peer_closed) {
  HttpReply r;
  consumed = 0;
  const size_t head_end = buf.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  const std::string head = buf.substr(0, head_end);
  const size_t sp = head.find(' ');
  if (sp == std::string::npos) return r;
  r.status = std::atoi(head.c_str() + sp + 1);
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < head.size()) {
    const size_t next = head.find("\r\n", pos + 2);
    const std::string line =
        head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      // Several Set-Cookie fields cannot be joined with commas (dates hold commas): one per line.
      const std::string name = lower(line.substr(0, colon));
      auto [it, fresh] = r.headers.emplace(name, value);
      if (!fresh) it->second += (name == "set-cookie" ? "\n" : ", ") + value;
    }
    pos = next;
  }
  const size_t body_start = head_end + 4;
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) {
    const size_t len = std::strtoull(it->second.c_str(), nullptr, 10);
    if (buf.size() < body_start + len) return r;
    r.body = buf.substr(body_start, len);
    consumed = body_start + len;
    r.complete = true;
  } else if (r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200)) {
    consumed = body_start;
    r.complete = true;
  } else if (peer_closed) {
    r.body = buf.substr(body_start);
    consumed = buf.size();
    r.complete = true;
  }
  return r;
}

HttpReply RawClient::read_reply(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  bool closed = false;
  for (;;) {
    size_t consumed = 0;
    HttpReply r = parse_reply(buffer_, consumed, closed);
    if (r.complete) {
      buffer_.erase(0, consumed);
      return r;
    }
    if (closed) return r;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return r;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return r;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed = true;
    } else {
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
}

bool RawClient::read_until(std::string_view marker, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  size_t from = 0;  // the bytes before it were searched already (streams grow large)
  while (buffer_.find(marker, from) == std::string::npos) {
    from = buffer_.size() >= marker.size() ? buffer_.size() - marker.size() + 1 : 0;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

bool RawClient::wait_closed(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace balai::testing
