#include "support/smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>
#include <string_view>

namespace balai::testing {
namespace {

constexpr int kTickMs = 100;  // how often a blocked wait looks at the stop flag
constexpr auto kClientSilence = std::chrono::seconds(10);

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// What stands between < and > in "MAIL FROM:<a@b> SIZE=12".
std::string angle_argument(std::string_view line) {
  const size_t open = line.find('<');
  const size_t close = line.find('>', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return std::string(line.substr(open + 1, close - open - 1));
}

}  // namespace

SmtpSink::SmtpSink() : SmtpSink(Options{}) {}

SmtpSink::SmtpSink(Options options) : options_(options) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("smtp sink: no socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("smtp sink: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

SmtpSink::~SmtpSink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (client_fd_ >= 0) ::shutdown(client_fd_, SHUT_RDWR);
  }
  thread_.join();
  ::close(listen_fd_);
}

std::string SmtpSink::url() const {
  return "smtp://127.0.0.1:" + std::to_string(port_);
}

std::vector<SmtpSink::Mail> SmtpSink::wait_for(size_t count, std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, deadline, [&] { return mails_.size() >= count; });
  return mails_;
}

std::vector<SmtpSink::Mail> SmtpSink::mails() const {
  std::lock_guard lock(mutex_);
  return mails_;
}

int SmtpSink::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

void SmtpSink::serve() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kTickMs) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    {
      std::lock_guard lock(mutex_);
      ++connections_;
      client_fd_ = fd;
    }
    converse(fd);
    {
      std::lock_guard lock(mutex_);
      client_fd_ = -1;
    }
    ::close(fd);
  }
}

void SmtpSink::converse(int fd) {
  std::string buffer;
  // The next CRLF-terminated line (without the CRLF), or false when the client went away, was
  // silent too long, or the sink stops.
  const auto read_line = [&](std::string& line) {
    auto silent_since = std::chrono::steady_clock::now();
    for (;;) {
      const size_t end = buffer.find("\r\n");
      if (end != std::string::npos) {
        line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
      }
      if (std::chrono::steady_clock::now() - silent_since > kClientSilence) return false;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, kTickMs) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
      silent_since = std::chrono::steady_clock::now();
    }
  };

  if (!send_all(fd, "220 sink.test ESMTP ready\r\n")) return;
  Mail mail;
  std::string line;
  while (read_line(line)) {
    std::string reply;
    if (starts_with_nocase(line, "EHLO ")) {
      mail = Mail{};
      mail.helo = line.substr(5);
      reply = "250-sink.test greets " + mail.helo + "\r\n250 8BITMIME\r\n";
    } else if (starts_with_nocase(line, "HELO ")) {
      mail = Mail{};
      mail.helo = line.substr(5);
      reply = "250 sink.test\r\n";
    } else if (starts_with_nocase(line, "MAIL FROM:")) {
      const std::string helo = mail.helo;
      mail = Mail{};
      mail.helo = helo;
      mail.mail_from = angle_argument(line);
      reply = "250 2.1.0 ok\r\n";
    } else if (starts_with_nocase(line, "RCPT TO:")) {
      if (options_.refuse_recipients) {
        reply = "550 5.1.1 no such mailbox\r\n";
      } else {
        mail.recipients.push_back(angle_argument(line));
        reply = "250 2.1.5 ok\r\n";
      }
    } else if (starts_with_nocase(line, "DATA")) {
      if (mail.recipients.empty()) {
        reply = "503 5.5.1 no valid recipients\r\n";
      } else {
        if (!send_all(fd, "354 end data with <CR><LF>.<CR><LF>\r\n")) return;
        std::string data;
        bool ended = false;
        while (read_line(line)) {
          if (line == ".") {
            ended = true;
            break;
          }
          if (!line.empty() && line[0] == '.') line.erase(0, 1);  // undo dot-stuffing
          data += line;
          data += "\r\n";
        }
        if (!ended) return;
        if (options_.defer_data) {
          reply = "451 4.3.0 try again later\r\n";
        } else {
          mail.data = std::move(data);
          {
            std::lock_guard lock(mutex_);
            mails_.push_back(mail);
          }
          arrived_.notify_all();
          reply = "250 2.0.0 queued\r\n";
        }
      }
    } else if (starts_with_nocase(line, "RSET")) {
      const std::string helo = mail.helo;
      mail = Mail{};
      mail.helo = helo;
      reply = "250 2.0.0 ok\r\n";
    } else if (starts_with_nocase(line, "NOOP")) {
      reply = "250 2.0.0 ok\r\n";
    } else if (starts_with_nocase(line, "QUIT")) {
      send_all(fd, "221 2.0.0 bye\r\n");
      return;
    } else {
      reply = "502 5.5.2 not implemented\r\n";
    }
    if (!send_all(fd, reply)) return;
  }
}

}  // namespace balai::testing
