#pragma once
// Starts the real Balai server (Runtime: real database, templates, modules) on 127.0.0.1 with an
// ephemeral port in a temporary data directory, and speaks raw HTTP to it over real sockets.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "app/runtime.h"
#include "core/config.h"

namespace balai::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool complete = false;  // a whole response was read
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

class ServerHarness {
 public:
  // `adjust` may change the configuration (timeouts, limits) before the server starts.
  // `database_url` empty: SQLite in the temporary directory.
  // `extra_routes` may register test-only routes before the server starts.
  explicit ServerHarness(std::function<void(core::Config&)> adjust = {},
                         std::string database_url = {}, bool seed_demo = true,
                         std::function<void(http::Router&)> extra_routes = {});
  ~ServerHarness();  // graceful stop, waits for the server thread

  uint16_t port() const { return port_; }
  app::Runtime& runtime() { return *runtime_; }
  const std::string& data_dir() const { return data_dir_; }

  // One request on a fresh connection.
  HttpReply get(const std::string& target, const std::map<std::string, std::string>& headers = {});
  HttpReply send(const std::string& method, const std::string& target, const std::string& body,
                 const std::map<std::string, std::string>& headers = {});

  // Stops the server now and waits for run() to return; the destructor then does nothing.
  void stop();

 private:
  std::string data_dir_;
  std::unique_ptr<app::Runtime> runtime_;
  std::thread thread_;
  uint16_t port_ = 0;
  bool stopped_ = false;
};

// A blocking client socket to 127.0.0.1:port with a receive deadline, for raw exchanges.
class RawClient {
 public:
  explicit RawClient(uint16_t port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends bytes; false when the peer has closed.
  bool write(std::string_view bytes);
  // Reads one HTTP response (Content-Length or until close); `deadline` bounds the wait.
  HttpReply read_reply(std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Reads until the peer closes the connection or the deadline passes; true when it closed.
  bool wait_closed(std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Reads until the received bytes contain `marker` (true) or the deadline passes or the peer
  // closes (false). For streams (Server-Sent Events) that never end on their own.
  bool read_until(std::string_view marker,
                  std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Bytes received and not consumed by read_reply().
  const std::string& received() const { return buffer_; }

 private:
  int fd_ = -1;
  std::string buffer_;  // bytes read but not yet consumed
};

// Parses one response from the front of `buffer`; sets `consumed` to its length when whole.
HttpReply parse_reply(const std::string& buffer, size_t& consumed, bool peer_closed);

}  // namespace balai::testing
