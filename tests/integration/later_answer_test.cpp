// Answers finished after the handler returned (http::Response::later), over real sockets: from
// another thread, at once, each to its own connection whatever the order, with the headers the
// middleware put on the placeholder.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/response.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

// The finishes the test routes hold, and the threads that call them.
struct Held {
  std::mutex mutex;
  std::vector<http::Response::Finish> finishes;
  std::vector<std::thread> threads;
};

class LaterAnswer : public ::testing::Test {
 protected:
  void SetUp() override {
    held_ = std::make_shared<Held>();
    server_ = std::make_unique<ServerHarness>(
        [](core::Config&) {}, std::string{}, false,
        [held = held_](http::Router& router) {
          // Finished by a thread of its own a little later.
          router.get("/test/later/thread", [held](http::Request&) {
            return http::Response::later([held](http::Response::Finish finish) {
              std::lock_guard lock(held->mutex);
              held->threads.emplace_back([finish = std::move(finish)] {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                finish(http::Response::text(201, "nanti"));
              });
            });
          });
          // Finished before start() returns (a backend that did the work on the spot).
          router.get("/test/later/now", [](http::Request&) {
            return http::Response::later([](http::Response::Finish finish) {
              finish(http::Response::text(200, "sekarang"));
            });
          });
          // A start that throws: a bug, answered 500 like a throwing handler.
          router.get("/test/later/throws", [](http::Request&) {
            return http::Response::later(
                [](http::Response::Finish) { throw std::runtime_error("kaboom"); });
          });
          // Held until the test finishes it.
          router.get("/test/later/held", [held](http::Request&) {
            http::Response placeholder = http::Response::later([held](http::Response::Finish f) {
              std::lock_guard lock(held->mutex);
              held->finishes.push_back(std::move(f));
            });
            // As a middleware would after the handler returned.
            placeholder.headers.set("X-Placeholder", "ya");
            placeholder.headers.set("X-Both", "placeholder");
            placeholder.headers.add("Set-Cookie", "a=1; Path=/");
            return placeholder;
          });
        });
  }

  void TearDown() override {
    for (auto& t : held_->threads) t.join();
    server_.reset();
  }

  // Waits until `n` held requests wait for their answer.
  size_t held(size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(held_->mutex);
        if (held_->finishes.size() >= n) return held_->finishes.size();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(held_->mutex);
    return held_->finishes.size();
  }

  std::shared_ptr<Held> held_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_F(LaterAnswer, IsSentWhenAnotherThreadFinishesIt) {
  auto r = server_->get("/test/later/thread");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "nanti");
}

TEST_F(LaterAnswer, MayBeFinishedBeforeStartReturns) {
  auto r = server_->get("/test/later/now");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "sekarang");
  // The connection goes on serving: a second request on it is answered too.
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /test/later/now HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_reply().body, "sekarang");
  ASSERT_TRUE(c.write("GET /test/later/now HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_reply().body, "sekarang");
}

TEST_F(LaterAnswer, AStartThatThrowsIsAnsweredWithAnErrorAndTheServerGoesOn) {
  auto r = server_->get("/test/later/throws");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("kaboom"), std::string::npos) << "no detail to the client";
  EXPECT_EQ(server_->get("/test/later/now").body, "sekarang");
}

TEST_F(LaterAnswer, EachConnectionGetsItsOwnAnswerWhateverTheOrder) {
  constexpr size_t kClients = 8;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (size_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<RawClient>(server_->port()));
    ASSERT_TRUE(clients.back()->write("GET /test/later/held HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(held(i + 1), i + 1);  // in order: finish i belongs to client i
  }
  // The last first, from a thread that is not the server's.
  std::thread finisher([this] {
    std::lock_guard lock(held_->mutex);
    for (size_t i = held_->finishes.size(); i-- > 0;)
      held_->finishes[i](http::Response::text(200, "jawaban " + std::to_string(i)));
  });
  finisher.join();
  for (size_t i = 0; i < kClients; ++i) {
    auto r = clients[i]->read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "jawaban " + std::to_string(i));
  }
}

TEST_F(LaterAnswer, CarriesTheHeadersTheMiddlewareSetOnThePlaceholder) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /test/later/held HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(held(1), 1u);
  http::Response answer = http::Response::text(200, "ok");
  answer.headers.set("X-Both", "answer");
  answer.headers.add("Set-Cookie", "b=2; Path=/");
  held_->finishes[0](std::move(answer));
  ASSERT_TRUE(c.read_until("\r\n\r\nok"));
  const std::string& got = c.received();
  EXPECT_NE(got.find("X-Placeholder: ya\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("X-Both: answer\r\n"), std::string::npos) << got;
  EXPECT_EQ(got.find("X-Both: placeholder"), std::string::npos) << got;
  EXPECT_NE(got.find("Set-Cookie: a=1; Path=/\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Set-Cookie: b=2; Path=/\r\n"), std::string::npos) << got;
}

TEST_F(LaterAnswer, AServerStoppingWaitsForAnAnswerInFlight) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /test/later/held HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(held(1), 1u);
  // The answer comes while the server is shutting down gracefully: the client still gets it.
  std::thread stopper([this] { server_->stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  held_->finishes[0](http::Response::text(200, "terakhir"));
  stopper.join();
  EXPECT_TRUE(c.read_until("terakhir"));
}

}  // namespace
}  // namespace balai::testing
