#pragma once
// Wakes of live streams, run on the I/O threads a chunk at a time (server.cpp only: it carries
// Asio). A feed wakes thousands of streams at once; posting all their wakes together would put
// thousands of handlers ahead of everything else the I/O threads have to do, and Asio polls its
// sockets only between passes through its queue, so a request arriving meanwhile (the write that
// makes the next change, a page) would wait for the whole fan-out. Here the wakes run `chunk` at
// a time, each chunk posted behind the work already queued, so new requests are read between
// chunks: the fan-out takes as long as before, the rest no longer waits for it.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace balai::http::detail {

class WakeQueue {
 public:
  explicit WakeQueue(boost::asio::io_context& ioc, size_t chunk = 128)
      : ioc_(ioc), chunk_(chunk == 0 ? 1 : chunk) {}
  WakeQueue(const WakeQueue&) = delete;
  WakeQueue& operator=(const WakeQueue&) = delete;

  // From any thread: runs `wake` on `executor` (a connection's executor of this io_context)
  // after the wakes queued before it.
  void push(boost::asio::any_io_executor executor, std::function<void()> wake);

 private:
  struct Wake {
    boost::asio::any_io_executor executor;
    std::function<void()> run;
  };
  void drain();  // on an I/O thread; exactly one drain is posted or running at a time

  boost::asio::io_context& ioc_;
  const size_t chunk_;
  std::mutex mutex_;  // guards queued_ and drain_posted_
  std::vector<Wake> queued_;
  bool drain_posted_ = false;
  // Only the one drain in flight touches these.
  std::vector<Wake> draining_;
  size_t next_ = 0;
};

}  // namespace balai::http::detail
