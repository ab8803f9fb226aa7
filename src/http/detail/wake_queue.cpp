#include "http/detail/wake_queue.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace balai::http::detail {

namespace asio = boost::asio;

void WakeQueue::push(asio::any_io_executor executor, std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  queued_.push_back({std::move(executor), std::move(wake)});
  if (drain_posted_) return;
  drain_posted_ = true;
  asio::post(ioc_, [this] { drain(); });
}

void WakeQueue::drain() {
  if (next_ == draining_.size()) {
    draining_.clear();
    next_ = 0;
    std::lock_guard lock(mutex_);
    draining_.swap(queued_);
    if (draining_.empty()) {
      drain_posted_ = false;
      return;
    }
  }
  const size_t end = std::min(draining_.size(), next_ + chunk_);
  for (; next_ < end; ++next_) {
    Wake& w = draining_[next_];
    // On this I/O thread the wake runs at once; on a strand (several I/O threads) it is queued
    // there, in order with the connection's other handlers.
    asio::dispatch(w.executor, std::move(w.run));
    w.executor = {};
  }
  // Behind what the chunk queued (and behind Asio's next look at its sockets).
  asio::post(ioc_, [this] { drain(); });
}

}  // namespace balai::http::detail
