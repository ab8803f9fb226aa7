#include "support/http_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace balai::testing {
namespace {

constexpr int kPollMs = 50;
constexpr auto kReadDeadline = std::chrono::seconds(10);

int bound_socket(uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("http receiver: socket failed");
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("http receiver: bind failed");
  }
  port = ntohs(addr.sin_port);
  return fd;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

// Reads one request (headers, then Content-Length bytes of body); false when the peer closed
// or the deadline passed first.
bool read_request(int fd, ReceivedRequest& out) {
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + kReadDeadline;
  size_t header_end = std::string::npos;
  size_t body_length = 0;
  for (;;) {
    if (header_end == std::string::npos) {
      header_end = buffer.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::string head = buffer.substr(0, header_end);
        size_t line_end = head.find("\r\n");
        const std::string first = head.substr(0, line_end);
        const size_t sp1 = first.find(' ');
        const size_t sp2 = first.find(' ', sp1 + 1);
        out.method = first.substr(0, sp1);
        out.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
        while (line_end != std::string::npos) {
          const size_t start = line_end + 2;
          line_end = head.find("\r\n", start);
          const std::string line = head.substr(start, line_end - start);
          const size_t colon = line.find(':');
          if (colon == std::string::npos) continue;
          out.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
        }
        if (auto it = out.headers.find("content-length"); it != out.headers.end())
          body_length = std::stoul(it->second);
      }
    }
    if (header_end != std::string::npos && buffer.size() >= header_end + 4 + body_length) {
      out.body = buffer.substr(header_end + 4, body_length);
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    char chunk[16384];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

HttpReceiver::HttpReceiver(int status) : status_(status) {
  listener_ = bound_socket(port_);
  if (::listen(listener_, 64) != 0) {
    ::close(listener_);
    throw std::runtime_error("http receiver: listen failed");
  }
  thread_ = std::thread([this] { serve(); });
}

HttpReceiver::~HttpReceiver() {
  stopping_ = true;
  changed_.notify_all();
  thread_.join();
  ::close(listener_);
}

std::string HttpReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void HttpReceiver::hang(bool on) {
  std::lock_guard lock(mutex_);
  hanging_ = on;
  changed_.notify_all();
}

bool HttpReceiver::wait_for(size_t n, std::chrono::milliseconds deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] { return requests_.size() >= n; });
}

std::vector<ReceivedRequest> HttpReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

size_t HttpReceiver::count() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

void HttpReceiver::serve() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handle(fd);
    ::close(fd);
  }
}

void HttpReceiver::handle(int fd) {
  ReceivedRequest r;
  if (!read_request(fd, r)) return;
  {
    std::unique_lock lock(mutex_);
    requests_.push_back(std::move(r));
    changed_.notify_all();
    // A dead endpoint: the request is taken and never answered.
    while (hanging_ && !stopping_) changed_.wait_for(lock, std::chrono::milliseconds(kPollMs));
  }
  if (stopping_) return;
  const std::string answer = "HTTP/1.1 " + std::to_string(status_.load()) +
                             " Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  (void)::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
}

uint16_t closed_port() {
  uint16_t port = 0;
  const int fd = bound_socket(port);
  ::close(fd);
  return port;
}

}  // namespace balai::testing
