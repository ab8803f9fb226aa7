// The live streams' wake queue: every wake runs, in order, on its executor, a chunk at a time
// with whatever else was queued meanwhile running between the chunks.
#include "http/detail/wake_queue.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <string>
#include <thread>
#include <vector>

namespace balai::http::detail {
namespace {

namespace asio = boost::asio;

TEST(WakeQueue, RunsEveryWakeInOrderPushedFromAnotherThread) {
  asio::io_context ioc;
  WakeQueue wakes(ioc, 4);
  std::vector<int> ran;
  std::thread pusher([&] {
    for (int i = 0; i < 10; ++i) wakes.push(ioc.get_executor(), [&ran, i] { ran.push_back(i); });
  });
  pusher.join();
  ioc.run();
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(WakeQueue, WorkQueuedDuringAChunkRunsBeforeTheNextChunk) {
  asio::io_context ioc;
  WakeQueue wakes(ioc, 4);
  std::vector<std::string> ran;
  for (int i = 0; i < 10; ++i)
    wakes.push(ioc.get_executor(), [&, i] {
      ran.push_back(std::to_string(i));
      // A request read while the first chunk is fanned out: it must not wait for the rest.
      if (i == 0) asio::post(ioc, [&] { ran.push_back("request"); });
    });
  ioc.run();
  EXPECT_EQ(
      ran, (std::vector<std::string>{"0", "1", "2", "3", "request", "4", "5", "6", "7", "8", "9"}));
}

TEST(WakeQueue, AWakePushedWhileDrainingRunsToo) {
  asio::io_context ioc;
  WakeQueue wakes(ioc, 2);
  std::vector<int> ran;
  for (int i = 0; i < 3; ++i)
    wakes.push(ioc.get_executor(), [&, i] {
      ran.push_back(i);
      if (i == 1) wakes.push(ioc.get_executor(), [&] { ran.push_back(99); });
    });
  ioc.run();  // returns only when nothing is left: the drain stops itself
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 99}));
}

TEST(WakeQueue, RunsAWakeOnItsStrand) {
  asio::io_context ioc;
  WakeQueue wakes(ioc);
  auto strand = asio::make_strand(ioc);
  bool on_strand = false;
  wakes.push(strand, [&] { on_strand = strand.running_in_this_thread(); });
  ioc.run();
  EXPECT_TRUE(on_strand);
}

}  // namespace
}  // namespace balai::http::detail
