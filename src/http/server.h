#pragma once
// The HTTP/1.1 server: Boost.Beast on Asio coroutines behind a pimpl, so no Beast or Asio type
// leaks out of src/http/. I/O threads accept, read, route and write; handlers run on a worker
// pool where blocking (database) calls are allowed. Routes marked inline_io and fresh entries
// of the public response cache are answered on the I/O thread.
//
// A request's way: read head (header limit, head timeout) -> route -> body limit (413) -> read
// body (body timeout) -> [cache] -> worker: middleware chain -> handler -> response decorators
// (security headers) -> write (request id, Date, Content-Length) -> access log and metrics.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "core/config.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace balai::http {

class EventStreams;
class Metrics;
class ResponseCache;

// Runs around the handler on the worker thread; may block. Call `next(req)` to continue or
// return a response to stop the chain (a 401 from the session check, say).
using Middleware = std::function<Response(Request& req, const Handler& next)>;
// Adjusts every response, also those served on the I/O thread (static files, cache hits,
// protocol errors): must not block. Security headers live here.
using ResponseDecorator = std::function<void(const Request& req, Response& res)>;
// The firewall's verdict on a request (see Server::admit).
struct Refusal {
  int status = 403;             // 403 denied address, 429 rate limited or banned
  int retry_after_seconds = 0;  // > 0: sent as Retry-After
};
// Runs on the I/O thread as soon as the request head is read and its target decoded, before
// routing and before any body is read. Returns a refusal, or nothing to let the request pass.
// May set req.remote_address to the client behind trusted proxies. Must not block.
using Admission = std::function<std::optional<Refusal>(Request& req)>;
// Renders an error page or body for a status (404, 405, 413, 500, ...). `req` may be partial
// when the request could not be read whole. Must not block (runs on I/O threads too).
using ErrorRenderer = std::function<Response(const Request& req, int status)>;

class Server {
 public:
  // `router`, `metrics` and `cache` must outlive the server.
  Server(const core::ServerConfig& config, const Router& router, Metrics& metrics,
         ResponseCache& cache);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Configuration before start().
  void use(Middleware middleware);
  void decorate(ResponseDecorator decorator);
  void set_error_renderer(ErrorRenderer renderer);
  void set_access_log(bool on);
  void admit(Admission admission);
  // Server-Sent Events responses register in `streams` while open, so that wake_all() reaches
  // them; it must outlive the server. Without it they get a private registry nobody wakes.
  void stream_events(EventStreams& streams);

  // Binds the listening sockets (and loads TLS material). After it, port() is the real port.
  [[nodiscard]] core::Status start();
  uint16_t port() const;
  bool tls() const;

  // From now on SIGINT and SIGTERM begin a graceful shutdown and SIGHUP is ignored. Call it
  // before announcing that the server is ready: a signal sent between the announcement and
  // run() would otherwise meet the default action and kill the process.
  void handle_signals();

  // Serves until stop() (or a signal, after handle_signals()); blocks the calling thread,
  // which becomes one of the I/O threads. Returns after in-flight requests finished and
  // every connection closed, or after the shutdown grace period.
  void run();

  // Begins a graceful shutdown: stop accepting, close idle connections, let in-flight requests
  // finish (their connections close after the response). Thread-safe; returns at once.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace balai::http
