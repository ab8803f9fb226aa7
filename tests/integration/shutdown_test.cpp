// Graceful shutdown: stop accepting, close idle connections, finish in-flight requests.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "support/server_harness.h"

namespace balai::testing {
namespace {

// A gate a test handler waits at until the test opens it.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool entered = false;
  bool open = false;

  void arrive_and_wait() {
    std::unique_lock lock(mutex);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
  }
  bool wait_entered() {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return entered; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
};

TEST(GracefulShutdown, FinishesAnInFlightRequestAndClosesIdleConnections) {
  Gate gate;
  ServerHarness server({}, {}, false, [&gate](http::Router& router) {
    router.get("/test/slow", [&gate](http::Request&) {
      gate.arrive_and_wait();
      return http::Response::text(200, "finished\n");
    });
  });

  RawClient idle(server.port());
  ASSERT_TRUE(idle.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(idle.read_reply().status, 200);

  RawClient busy(server.port());
  ASSERT_TRUE(busy.write("GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(gate.wait_entered());

  server.runtime().server().stop();
  EXPECT_TRUE(idle.wait_closed());  // the idle keep-alive connection is closed at once

  gate.release();
  const auto r = busy.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished\n");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(busy.wait_closed());

  server.stop();  // returns once run() has returned
  RawClient late(server.port());
  EXPECT_FALSE(late.connected());
}

TEST(GracefulShutdown, StopsAcceptingNewConnections) {
  ServerHarness server({}, {}, false);
  const uint16_t port = server.port();
  server.stop();
  RawClient c(port);
  EXPECT_FALSE(c.connected());
}

TEST(ConnectionLimit, ClosesConnectionsBeyondTheMaximumAtOnce) {
  ServerHarness server([](core::Config& c) { c.server.max_connections = 2; }, {}, false);
  RawClient a(server.port()), b(server.port());
  ASSERT_TRUE(a.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(a.read_reply().status, 200);
  ASSERT_TRUE(b.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(b.read_reply().status, 200);
  RawClient third(server.port());
  EXPECT_TRUE(third.wait_closed());
  // Room again once one leaves.
  a.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  a.read_reply();
  a.wait_closed();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    RawClient again(server.port());
    again.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    status = again.read_reply(std::chrono::milliseconds(500)).status;
  }
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace balai::testing

namespace balai::testing {
namespace {

// One I/O thread runs connections without strands: the same behaviour must hold.
TEST(SingleIoThread, ServesKeepAlivePipeliningAndShutsDownCleanly) {
  ServerHarness server([](core::Config& c) { c.server.io_threads = 1; }, {}, true);
  RawClient c(server.port());
  ASSERT_TRUE(
      c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/services/pengaduan "
              "HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_reply().status, 200);
  const auto second = c.read_reply();
  EXPECT_EQ(second.status, 200);
  EXPECT_NE(second.body.find("pengaduan"), std::string::npos);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.write("GET /api/v1/services HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(c.read_reply().status, 200);  // the second and third come from the cache
  }
  server.stop();
  EXPECT_TRUE(c.wait_closed());
}

}  // namespace
}  // namespace balai::testing
