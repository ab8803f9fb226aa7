#pragma once
// A tiny blocking HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that records each request it
// receives and answers a chosen status, for tests of what Balai sends out (NGSI-v2
// notifications, webhooks). One connection at a time, "Connection: close" on every answer.
// With hang(true) it reads a request and never answers it (until hang(false) or the end), to
// stand in for a dead endpoint that accepts connections and then times out.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace balai::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

class HttpReceiver {
 public:
  // Binds and starts serving; throws std::runtime_error when it cannot.
  explicit HttpReceiver(int status = 204);
  ~HttpReceiver();  // stops and joins
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port><path>"
  std::string url(const std::string& path = "/notify") const;

  void answer(int status) { status_ = status; }
  void hang(bool on);

  // Waits until at least `n` requests were received or `deadline` passed; true when they were.
  bool wait_for(size_t n, std::chrono::milliseconds deadline = std::chrono::seconds(30)) const;
  std::vector<ReceivedRequest> requests() const;
  size_t count() const;

 private:
  void serve();
  void handle(int fd);

  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<int> status_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;  // guards requests_ and hanging_
  mutable std::condition_variable changed_;
  std::vector<ReceivedRequest> requests_;
  bool hanging_ = false;
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed): connections are refused.
uint16_t closed_port();

}  // namespace balai::testing
