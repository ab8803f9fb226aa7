// Server-Sent Events over real sockets: the head, the events a feed collects when the stream
// opens and after a wake, the end of a stream, and streams closing when the server stops.
#include "http/event_stream.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/server_harness.h"

namespace balai::testing {
namespace {

// What the test route's streams send: events the test queues, shared by every stream (each
// stream keeps its own position), and an "end" flag that finishes them.
struct Board {
  std::mutex mutex;
  std::deque<std::string> events;  // data of each event, in order
  bool end = false;
};

class BoardFeed final : public http::EventFeed {
 public:
  explicit BoardFeed(std::shared_ptr<Board> board) : board_(std::move(board)) {}
  bool collect(http::EventBatch& out) override {
    std::lock_guard lock(board_->mutex);
    for (; next_ < board_->events.size(); ++next_)
      http::append_event(out.text, std::to_string(next_ + 1), "note", board_->events[next_]);
    return !board_->end;
  }

 private:
  std::shared_ptr<Board> board_;
  size_t next_ = 0;
};

class EventStream : public ::testing::Test {
 protected:
  void SetUp() override {
    board_ = std::make_shared<Board>();
    board_->events.push_back("first");
    server_ = std::make_unique<ServerHarness>(
        [](core::Config&) {}, std::string{}, false,
        [board = board_](http::Router& router) {
          router.get("/test/events", [board](http::Request&) {
            return http::Response::event_stream(std::make_shared<BoardFeed>(board));
          });
        });
  }

  void post(const std::string& data, bool end = false) {
    {
      std::lock_guard lock(board_->mutex);
      board_->events.push_back(data);
      board_->end = end;
    }
    server_->runtime().app().streams.wake_all();
  }

  // Waits (up to 5 s) until exactly `n` streams are registered: a stream registers after its
  // head is written, so a client that read the head may be a moment ahead.
  size_t open_streams(size_t n) {
    auto& streams = server_->runtime().app().streams;
    for (int i = 0; i < 500 && streams.open() != n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return streams.open();
  }

  std::shared_ptr<Board> board_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_F(EventStream, SendsTheHeadAndWhatTheFeedHasAtOnce) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /test/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(c.read_until("data: first\n\n"));
  const std::string& got = c.received();
  EXPECT_TRUE(got.starts_with("HTTP/1.1 200 OK\r\n")) << got;
  EXPECT_NE(got.find("Content-Type: text/event-stream; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(got.find("Cache-Control: no-store\r\n"), std::string::npos);
  EXPECT_EQ(got.find("Content-Length"), std::string::npos);
  EXPECT_NE(got.find("\r\n\r\nid: 1\nevent: note\ndata: first\n\n"), std::string::npos) << got;
}

TEST_F(EventStream, AWakeDeliversNewEventsToEveryOpenStream) {
  RawClient a(server_->port());
  RawClient b(server_->port());
  ASSERT_TRUE(a.write("GET /test/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(b.write("GET /test/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(a.read_until("data: first\n\n"));
  ASSERT_TRUE(b.read_until("data: first\n\n"));
  ASSERT_EQ(open_streams(2), 2u);

  post("line one\nline two");
  EXPECT_TRUE(a.read_until("id: 2\nevent: note\ndata: line one\ndata: line two\n\n"));
  EXPECT_TRUE(b.read_until("id: 2\nevent: note\ndata: line one\ndata: line two\n\n"));
}

TEST_F(EventStream, EndsWhenTheFeedSaysSo) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /test/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(c.read_until("data: first\n\n"));
  ASSERT_EQ(open_streams(1), 1u);
  post("last", /*end=*/true);
  EXPECT_TRUE(c.wait_closed());
  EXPECT_NE(c.received().find("data: last\n\n"), std::string::npos);
  EXPECT_EQ(open_streams(0), 0u);
}

TEST_F(EventStream, StoppingTheServerClosesOpenStreams) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /test/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(c.read_until("data: first\n\n"));
  server_->stop();  // returns only when every connection ended
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(EventStream, AWakeReachesStreamsBeyondTheFirstChunkOfWakes) {
  // The server wakes streams 128 at a time (http/detail/wake_queue.h): more than that must all
  // get the news.
  constexpr size_t kStreams = 200;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (size_t i = 0; i < kStreams; ++i) {
    clients.push_back(std::make_unique<RawClient>(server_->port()));
    ASSERT_TRUE(clients.back()->write("GET /test/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  }
  for (auto& c : clients) ASSERT_TRUE(c->read_until("data: first\n\n"));
  ASSERT_EQ(open_streams(kStreams), kStreams);
  post("for everyone");
  for (auto& c : clients) EXPECT_TRUE(c->read_until("id: 2\nevent: note\ndata: for everyone\n\n"));
}

TEST_F(EventStream, AClientThatStopsReadingGetsEverythingInOrderWhenItReadsAgain) {
  // More than the socket buffers hold: the server's immediate write takes a part, the rest waits
  // for the client, and what follows comes after it.
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /test/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(c.read_until("data: first\n\n"));
  ASSERT_EQ(open_streams(1), 1u);
  std::string big;
  for (int i = 0; big.size() < 8 * 1024 * 1024; ++i) big += "baris " + std::to_string(i) + ' ';
  post(big);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server fills the buffers
  post("after");
  ASSERT_TRUE(c.read_until("id: 3\nevent: note\ndata: after\n\n", std::chrono::seconds(30)));
  const std::string expected =
      "id: 2\nevent: note\ndata: " + big + "\n\nid: 3\nevent: note\ndata: after\n\n";
  const std::string& got = c.received();
  ASSERT_GE(got.size(), expected.size());
  EXPECT_TRUE(got.ends_with(expected));
}

TEST(EventFormat, SplitsDataAtEveryKindOfLineBreak) {
  std::string out;
  http::append_event(out, "", "", "a\r\nb\rc\nd");
  EXPECT_EQ(out, "data: a\ndata: b\ndata: c\ndata: d\n\n");
  out.clear();
  http::append_event(out, "7", "", "");
  EXPECT_EQ(out, "id: 7\ndata: \n\n");
}

}  // namespace
}  // namespace balai::testing
