#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "core/ids.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "http/detail/wake_queue.h"
#include "http/event_stream.h"
#include "http/json.h"
#include "http/metrics.h"
#include "http/response_cache.h"

namespace balai::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

namespace {

using SteadyClock = std::chrono::steady_clock;

// A silent event stream sends a comment this often, so that proxies, NAT tables and phones keep
// the connection, and a vanished client is noticed when the write fails.
constexpr auto kEventStreamHeartbeat = std::chrono::seconds(15);

int64_t micros_since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start).count();
}

// "Date" header value, formatted at most once per second per thread.
const std::string& http_date_now() {
  thread_local int64_t second = -1;
  thread_local std::string text;
  const core::Timestamp now = core::SystemClock{}.now();
  if (now.ms / 1000 != second) {
    second = now.ms / 1000;
    text = core::format_http_date(core::Timestamp{second * 1000});
  }
  return text;
}

// Accepts a caller's X-Request-Id when it is short and plain, so ids follow a request across
// a proxy; otherwise makes one from a per-process random prefix and a counter.
std::string request_id_for(std::string_view incoming) {
  if (!incoming.empty() && incoming.size() <= 64) {
    bool plain = true;
    for (char c : incoming)
      plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
    if (plain) return std::string(incoming);
  }
  static const std::string prefix = core::random_hex_id().substr(0, 12);
  static std::atomic<uint64_t> counter{0};
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%012llx",
                              static_cast<unsigned long long>(counter.fetch_add(1) + 1));
  return prefix + std::string(buf, static_cast<size_t>(n));
}

// Decodes the request target into path and query. False when the percent-encoding is invalid
// or the decoded path is not valid UTF-8 (or holds NUL).
bool decode_target(std::string_view target, Request& req) {
  // Until decoding succeeds, the path is only good enough to pick the error's format.
  req.path = target.starts_with("/api/") ? "/api/" : "/";
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return false;
  std::string decoded = parsed->path();
  if (!core::is_valid_utf8(decoded)) return false;
  req.path = decoded.empty() ? "/" : std::move(decoded);
  req.query = std::string(parsed->encoded_query());
  return true;
}

Response default_error(const Request& req, int status) {
  if (req.path.starts_with("/api/")) {
    Response r = Response::json(status, api_error_body(error_for_status(status), req.request_id));
    return r;
  }
  return Response::text(status, std::string(reason_phrase(status)) + "\n");
}

// One client connection as the shutdown logic sees it. Fields are touched only on the
// connection's strand (`executor`).
struct Connection {
  explicit Connection(asio::any_io_executor ex) : executor(ex), deadline(ex) {}
  asio::any_io_executor executor;
  bool idle = false;             // waiting for the first byte of a request
  std::function<void()> close;   // closes the socket; empty once the session ended
  std::function<void()> cancel;  // cancels pending reads; empty once the session ended
  // Read deadline for the request head and body. Beast's own stream timeout closes the socket,
  // which would leave no way to answer 408; this one only cancels the read.
  asio::steady_timer deadline;
  uint64_t deadline_generation = 0;
  bool deadline_fired = false;
};

// Starts the read deadline; when it passes, the pending read fails and deadline_fired is set.
void arm_deadline(const std::shared_ptr<Connection>& conn, int ms) {
  const uint64_t generation = ++conn->deadline_generation;
  conn->deadline_fired = false;
  conn->deadline.expires_after(std::chrono::milliseconds(ms));
  conn->deadline.async_wait([conn, generation](boost::system::error_code ec) {
    if (ec || conn->deadline_generation != generation) return;
    conn->deadline_fired = true;
    if (conn->cancel) conn->cancel();
  });
}

void disarm_deadline(Connection& conn) {
  ++conn.deadline_generation;
  conn.deadline.cancel();
}

}  // namespace

class Server::Impl {
 public:
  Impl(const core::ServerConfig& config, const Router& router, Metrics& metrics,
       ResponseCache& cache)
      : config_(config),
        router_(router),
        metrics_(metrics),
        cache_(cache),
        ioc_(std::max(1, config.io_threads)),
        workers_(static_cast<size_t>(std::max(1, config.worker_threads))),
        acceptor_(ioc_),
        redirect_acceptor_(ioc_),
        signals_(ioc_),
        shutdown_timer_(ioc_),
        ssl_ctx_(ssl::context::tls_server) {}

  ~Impl() {
    workers_.join();
    // A later answer finished from now on (a database thread) has nowhere to go.
    std::lock_guard lock(later_gate_->mutex);
    later_gate_->open = false;
  }

  core::Status start() {
    if (!config_.tls_cert_file.empty() || !config_.tls_key_file.empty()) {
      boost::system::error_code ec;
      ssl_ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
      ssl_ctx_.use_certificate_chain_file(config_.tls_cert_file, ec);
      if (!ec) ssl_ctx_.use_private_key_file(config_.tls_key_file, ssl::context::pem, ec);
      if (ec)
        return core::make_error(core::ErrorCode::unavailable,
                                "cannot load the TLS certificate or key: " + ec.message());
      tls_ = true;
    }
    BALAI_TRY(listen(acceptor_, config_.port));
    port_ = acceptor_.local_endpoint().port();
    if (tls_ && config_.redirect_http_port != 0)
      BALAI_TRY(listen(redirect_acceptor_, config_.redirect_http_port));
    return {};
  }

  void handle_signals() {
    // The handlers are installed here; a signal caught before run() waits in the set.
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.add(SIGHUP);  // no reload: configuration is read once; do not die on a hang-up
    wait_for_signal();
  }

  void run() {
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    if (redirect_acceptor_.is_open()) asio::co_spawn(ioc_, redirect_loop(), asio::detached);
    core::log::info("server.listening",
                    {{"address", config_.host}, {"port", static_cast<int>(port_)}, {"tls", tls_}});
    std::vector<std::thread> extra;
    for (int i = 1; i < config_.io_threads; ++i) extra.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : extra) t.join();
    workers_.join();
    core::log::info("server.stopped");
  }

  void stop() {
    asio::post(ioc_, [this] { begin_shutdown(); });
  }

  void wait_for_signal() {
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
      if (ec) return;
      if (signo == SIGHUP) {
        core::log::info("server.sighup_ignored");
        wait_for_signal();
        return;
      }
      core::log::info("server.signal", {{"signal", signo}});
      begin_shutdown();
    });
  }

  std::vector<Middleware> middleware_;
  std::vector<ResponseDecorator> decorators_;
  ErrorRenderer error_renderer_ = default_error;
  Admission admission_;
  EventStreams* streams_ = nullptr;  // set before start; own_streams_ otherwise
  bool access_log_ = true;
  uint16_t port_ = 0;
  bool tls_ = false;

 private:
  core::Status listen(tcp::acceptor& acceptor, uint16_t port) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(config_.host, ec);
    if (ec)
      return core::make_error(core::ErrorCode::bad_request,
                              "invalid listen address " + config_.host);
    const tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      return core::make_error(
          core::ErrorCode::unavailable,
          "cannot listen on " + config_.host + ":" + std::to_string(port) + ": " + ec.message());
    return {};
  }

  void begin_shutdown() {
    if (stopping_.exchange(true)) return;
    core::log::info("server.shutdown_begin");
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    redirect_acceptor_.close(ignored);
    signals_.cancel(ignored);
    std::vector<std::shared_ptr<Connection>> conns;
    {
      std::lock_guard lock(connections_mutex_);
      conns.assign(connections_.begin(), connections_.end());
    }
    for (auto& c : conns) {
      asio::post(c->executor, [c] {
        if (c->idle && c->close) c->close();
      });
    }
    shutdown_timer_.expires_after(std::chrono::milliseconds(config_.shutdown_grace_ms));
    shutdown_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;  // every connection ended in time
      core::log::warn("server.shutdown_forced");
      ioc_.stop();
    });
    maybe_finish_shutdown();
  }

  void maybe_finish_shutdown() {
    if (!stopping_) return;
    std::lock_guard lock(connections_mutex_);
    if (connections_.empty()) asio::post(ioc_, [this] { shutdown_timer_.cancel(); });
  }

  awaitable<void> accept_loop() {
    for (;;) {
      // With one I/O thread every handler already runs in order: a strand would only add work.
      boost::system::error_code ec;
      tcp::socket accepted(ioc_);
      if (config_.io_threads > 1) {
        auto [e, s] = co_await acceptor_.async_accept(asio::make_strand(ioc_), kTuple);
        ec = e;
        accepted = tcp::socket(std::move(s));
      } else {
        auto [e, s] = co_await acceptor_.async_accept(kTuple);
        ec = e;
        accepted = std::move(s);
      }
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) co_return;
        // Out of file descriptors or memory: pause instead of spinning on the error.
        core::log::warn("server.accept_failed", {{"error", ec.message()}});
        asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(kTuple);
        continue;
      }
      tcp::socket socket(std::move(accepted));
      if (stopping_ || metrics_.open_connections.load() >= config_.max_connections) {
        ++metrics_.rejected_connections;
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      auto conn = std::make_shared<Connection>(socket.get_executor());
      {
        std::lock_guard lock(connections_mutex_);
        connections_.insert(conn);
      }
      ++metrics_.open_connections;
      asio::co_spawn(conn->executor, connection_main(std::move(socket), conn), asio::detached);
    }
  }

  // Owns one connection from accept to close, TLS handshake included.
  awaitable<void> connection_main(tcp::socket socket, std::shared_ptr<Connection> conn) {
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    socket.set_option(tcp::no_delay(true));
    try {
      if (tls_) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), ssl_ctx_);
        conn->close = [&stream] {
          boost::system::error_code ignored;
          beast::get_lowest_layer(stream).socket().close(ignored);
        };
        conn->cancel = [&stream] {
          boost::system::error_code ignored;
          beast::get_lowest_layer(stream).socket().cancel(ignored);
        };
        beast::get_lowest_layer(stream).expires_after(
            std::chrono::milliseconds(config_.header_timeout_ms));
        auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
        if (!ec) {
          co_await session(stream, conn, remote);
          beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
          co_await stream.async_shutdown(kTuple);
        }
      } else {
        beast::tcp_stream stream(std::move(socket));
        conn->close = [&stream] {
          boost::system::error_code ignored;
          stream.socket().close(ignored);
        };
        conn->cancel = [&stream] {
          boost::system::error_code ignored;
          stream.socket().cancel(ignored);
        };
        co_await session(stream, conn, remote);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      }
    } catch (const std::exception& e) {
      core::log::error("server.connection_error", {{"what", e.what()}});
    }
    conn->close = nullptr;
    conn->cancel = nullptr;
    disarm_deadline(*conn);
    --metrics_.open_connections;
    {
      std::lock_guard lock(connections_mutex_);
      connections_.erase(conn);
    }
    maybe_finish_shutdown();
  }

  // The request loop of one connection: keep-alive and pipelining (requests already in the
  // buffer are answered in order before reading again).
  template <class Stream>
  awaitable<void> session(Stream& stream, const std::shared_ptr<Connection>& conn_ptr,
                          const std::string& remote) {
    Connection& conn = *conn_ptr;
    auto& lowest = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    for (;;) {
      if (buffer.size() == 0) {
        if (stopping_) co_return;
        conn.idle = true;
        lowest.expires_after(std::chrono::milliseconds(config_.idle_timeout_ms));
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
        conn.idle = false;
        if (ec) co_return;  // closed, idle timeout, or shut down
        buffer.commit(n);
      }
      const auto started = SteadyClock::now();
      Request req;
      req.remote_address = remote;
      req.secure = tls_;

      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(config_.header_limit_bytes);
      // The body limit is the route's; it is set once the head has been routed.
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      lowest.expires_never();
      // Usually the whole head came with the first read: then parsing needs no I/O and no
      // deadline (a timer armed and cancelled per request is measurable under load).
      const std::string_view seen(static_cast<const char*>(buffer.data().data()), buffer.size());
      if (seen.find("\r\n\r\n") == std::string_view::npos)
        arm_deadline(conn_ptr, config_.header_timeout_ms);
      auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
      disarm_deadline(conn);
      (void)hn;
      if (hec) {
        req.request_id = request_id_for({});
        if (hec == bhttp::error::end_of_stream && buffer.size() == 0) co_return;
        if (hec == bhttp::error::header_limit) {
          co_await write_error(stream, req, 431, started);
        } else if (conn.deadline_fired) {
          co_await write_error(stream, req, 408, started);
        } else if (hec != asio::error::operation_aborted && hec != asio::error::eof &&
                   hec != asio::error::connection_reset) {
          co_await write_error(stream, req, 400, started);
        }
        co_return;
      }

      const auto& head = parser.get();
      req.request_id = request_id_for(head["X-Request-Id"]);
      req.method = parse_method(head.method_string());
      req.target = std::string(head.target());
      for (const auto& f : head) req.headers.add(f.name_string(), f.value());
      if (!decode_target(req.target, req)) {
        co_await write_error(stream, req, 400, started);
        co_return;
      }
      if (req.method == Method::other) {
        co_await write_error(stream, req, 501, started);
        co_return;
      }
      if (admission_) {
        if (auto refusal = admission_(req)) {
          co_await write_refusal(stream, req, *refusal, started);
          co_return;
        }
      }

      Match match = router_.match(req.method, req.path);
      const uint64_t limit = match.route && match.route->body_limit ? match.route->body_limit
                                                                    : config_.body_limit_bytes;
      if (auto len = parser.content_length(); len && *len > limit) {
        co_await write_error(stream, req, 413, started, match.route);
        co_return;
      }
      parser.body_limit(limit);
      if (!parser.is_done()) {
        if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          lowest.expires_after(std::chrono::milliseconds(config_.write_timeout_ms));
          auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
          (void)wn;
          if (wec) co_return;
        }
        lowest.expires_never();
        if (auto len = parser.content_length(); !len || buffer.size() < *len)
          arm_deadline(conn_ptr, config_.body_timeout_ms);
        auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        disarm_deadline(conn);
        (void)bn;
        if (bec) {
          if (bec == bhttp::error::body_limit) {
            co_await write_error(stream, req, 413, started, match.route);
          } else if (conn.deadline_fired) {
            co_await write_error(stream, req, 408, started, match.route);
          } else if (bec != asio::error::operation_aborted && bec != asio::error::eof &&
                     bec != asio::error::connection_reset) {
            co_await write_error(stream, req, 400, started, match.route);
          }
          co_return;
        }
      }
      const bool keep_alive = parser.get().keep_alive();
      const unsigned version = parser.get().version();
      req.body = std::move(parser.get().body());
      req.route = match.route;
      req.params = std::move(match.params);

      const std::shared_ptr<const Response> res = co_await respond(req, match.allow);
      if (res->event_feed && req.method == Method::get) {
        co_await stream_events(stream, conn_ptr, req, *res, version, started);
        co_return;
      }
      const bool keep = keep_alive && !stopping_ && res->status < 500 && version >= 10;
      const bool ok = co_await write_response(stream, req, *res, keep, version, started);
      if (!ok || !keep) co_return;
    }
  }

  // An answer that comes later (Response::later): made on the connection's executor, finished
  // from any thread.
  struct LaterAnswer {
    explicit LaterAnswer(asio::any_io_executor ex) : executor(ex), timer(ex) {
      timer.expires_at(asio::steady_timer::time_point::max());
    }
    asio::any_io_executor executor;
    asio::steady_timer timer;        // cancelled when the answer is in
    std::optional<Response> answer;  // set on `executor`
  };
  // Closed when the server goes away: an answer finished after that is dropped, never posted
  // to a destroyed io_context.
  struct LaterGate {
    std::mutex mutex;
    bool open = true;
  };

  // Calls the handler's `start` (on the handler's thread) with the `finish` that hands the
  // answer to the connection's executor. `finish` holds the answer's state only weakly: a
  // database thread that drops it never destroys the connection's timer.
  std::shared_ptr<LaterAnswer> begin_later(const Request& req, Response& placeholder,
                                           asio::any_io_executor ex) {
    auto later = std::make_shared<LaterAnswer>(ex);
    auto start = std::move(placeholder.deferred);
    placeholder.deferred = nullptr;
    auto finish = [weak = std::weak_ptr<LaterAnswer>(later), gate = later_gate_](Response answer) {
      std::lock_guard lock(gate->mutex);
      if (!gate->open) return;
      auto l = weak.lock();
      if (!l) return;
      asio::post(l->executor, [weak, answer = std::move(answer)]() mutable {
        if (auto l = weak.lock()) {
          l->answer = std::move(answer);
          l->timer.cancel();
        }
      });
    };
    try {
      start(std::move(finish));
    } catch (const std::exception& e) {
      // As run_chain does for a handler: a bug, answered 500 without detail. The connection
      // does not wait yet, so the answer may be set here.
      core::log::error("http.later_start_threw", {{"what", e.what()}});
      later->answer = safe_error(req, 500);
    }
    return later;
  }

  // On the connection's executor: the real answer, with the headers the middleware set on the
  // placeholder added. (Woken without an answer only if `finish` lost its connection's
  // state, which cannot happen while this waits: 503 rather than hang.)
  awaitable<Response> end_later(const Request& req, Response placeholder,
                                std::shared_ptr<LaterAnswer> later) {
    if (!later->answer) {
      auto [ec] = co_await later->timer.async_wait(kTuple);
      (void)ec;  // cancelled: the answer is in
    }
    if (!later->answer) co_return safe_error(req, 503);
    Response answer = std::move(*later->answer);
    for (const auto& [name, value] : placeholder.headers)
      if (name == "Set-Cookie" || !answer.headers.has(name)) answer.headers.add(name, value);
    co_return answer;
  }

  // Produces the response: cache hit, inline handler, or a hop to the worker pool and back.
  // A cache hit is shared, never copied: the write reads the cached body in place.
  awaitable<std::shared_ptr<const Response>> respond(Request& req, const std::string& allow) {
    const Route* route = req.route;
    const bool cacheable =
        route && route->cache_ms > 0 && (req.method == Method::get || req.method == Method::head);
    std::string cache_key;
    if (cacheable) {
      cache_key = req.target;
      cache_key += '|';
      cache_key += req.cookie("lang").value_or("");
      if (auto hit = cache_.find(cache_key, core::SystemClock{}.now().ms)) co_return hit;
    }
    Response res;
    std::shared_ptr<LaterAnswer> later;
    const asio::any_io_executor ex = co_await asio::this_coro::executor;
    if (route && route->inline_io) {
      res = run_chain(req, allow, /*with_middleware=*/false);
      if (res.deferred) later = begin_later(req, res, ex);
    } else {
      ++metrics_.worker_queue_depth;
      res = co_await asio::co_spawn(
          workers_,
          [&]() -> awaitable<Response> {
            --metrics_.worker_queue_depth;
            Response r = run_chain(req, allow, /*with_middleware=*/true);
            // Started on the worker: a backend that cannot queue the work does it here.
            if (r.deferred) later = begin_later(req, r, ex);
            co_return r;
          },
          use_awaitable);
    }
    if (later) res = co_await end_later(req, std::move(res), std::move(later));
    // A response made personal on the way (a session's no-store, a cookie) is never shared.
    const bool personal =
        res.headers.has("Set-Cookie") ||
        res.headers.get("Cache-Control").value_or("").find("no-store") != std::string_view::npos;
    if (cacheable && res.status == 200 && !personal)
      cache_.store(std::move(cache_key), res, core::SystemClock{}.now().ms + route->cache_ms);
    co_return std::make_shared<const Response>(std::move(res));
  }

  // Middleware, handler (or 404/405), decorators. Never throws: an escaped exception is a bug,
  // logged with the request id and answered 500 without detail.
  Response run_chain(Request& req, const std::string& allow, bool with_middleware) {
    Response res;
    try {
      Handler terminal = [&](Request& r) -> Response {
        if (r.route) return r.route->handler(r);
        if (!allow.empty()) {
          Response e = error_renderer_(r, 405);
          e.headers.set("Allow", allow);
          return e;
        }
        return error_renderer_(r, 404);
      };
      if (with_middleware && !middleware_.empty()) {
        // Build the chain from the innermost (the handler) outwards.
        std::vector<Handler> chain(middleware_.size() + 1);
        chain[middleware_.size()] = terminal;
        for (size_t i = middleware_.size(); i-- > 0;) {
          chain[i] = [this, i, &chain](Request& r) { return middleware_[i](r, chain[i + 1]); };
        }
        res = chain[0](req);
      } else {
        res = terminal(req);
      }
    } catch (const std::exception& e) {
      core::log::error("http.handler_exception",
                       {{"request_id", req.request_id},
                        {"route", req.route ? std::string_view(req.route->pattern) : "unmatched"},
                        {"what", e.what()}});
      res = safe_error(req, 500);
    }
    decorate(req, res);
    return res;
  }

  Response safe_error(const Request& req, int status) {
    try {
      return error_renderer_(req, status);
    } catch (const std::exception& e) {
      core::log::error("http.error_renderer_failed",
                       {{"request_id", req.request_id}, {"what", e.what()}});
      return default_error(req, status);
    }
  }

  void decorate(const Request& req, Response& res) {
    for (const auto& d : decorators_) d(req, res);
  }

  template <class Stream>
  awaitable<void> write_error(Stream& stream, Request& req, int status,
                              SteadyClock::time_point started, const Route* route = nullptr) {
    req.route = route;
    Response res = safe_error(req, status);
    decorate(req, res);
    co_await write_response(stream, req, res, /*keep_alive=*/false, 11, started);
  }

  // A refused request is answered and its connection closed: its body, if any, is never read.
  template <class Stream>
  awaitable<void> write_refusal(Stream& stream, Request& req, const Refusal& refusal,
                                SteadyClock::time_point started) {
    Response res = safe_error(req, refusal.status);
    if (refusal.retry_after_seconds > 0)
      res.headers.set("Retry-After", std::to_string(refusal.retry_after_seconds));
    decorate(req, res);
    co_await write_response(stream, req, res, /*keep_alive=*/false, 11, started);
  }

  template <class Stream>
  awaitable<bool> write_response(Stream& stream, const Request& req, const Response& res,
                                 bool keep_alive, unsigned version,
                                 SteadyClock::time_point started) {
    // The body is sent from `res` itself (it outlives the write), never copied.
    bhttp::response<bhttp::span_body<const char>> out;
    out.version(version >= 10 ? version : 11);
    out.result(static_cast<unsigned>(res.status));
    for (const auto& [name, value] : res.headers) out.insert(name, value);
    out.set(bhttp::field::date, http_date_now());
    out.set("X-Request-Id", req.request_id);
    out.keep_alive(keep_alive);
    const size_t body_size = res.body.size();
    const bool no_body =
        res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
    if (req.method == Method::head) {
      if (!no_body) out.content_length(body_size);
    } else if (!no_body) {
      out.body() = boost::span<const char>(res.body.data(), res.body.size());
      out.prepare_payload();
    }
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(std::chrono::milliseconds(config_.write_timeout_ms));
    auto [ec, n] = co_await bhttp::async_write(stream, out, kTuple);
    const int64_t us = micros_since(started);
    const size_t route_index = req.route ? req.route->index : Metrics::kUnmatched;
    metrics_.record(route_index, res.status, us);
    if (access_log_) {
      core::log::info("http.request",
                      {{"request_id", req.request_id},
                       {"method", to_string(req.method)},
                       {"route", req.route ? std::string_view(req.route->pattern) : "unmatched"},
                       {"status", res.status},
                       {"bytes", static_cast<int64_t>(n)},
                       {"duration_ms", static_cast<double>(us) / 1000.0}});
    }
    co_return !ec;
  }

  // Writes what a non-blocking socket takes at once and drops it from `buffers`: a live
  // stream's events nearly always fit its send buffer, and then the write costs one system call,
  // without a completion handler or a timer. False when the connection failed.
  static bool write_now(tcp::socket& socket, std::array<asio::const_buffer, 2>& buffers) {
    boost::system::error_code ec;
    size_t left = socket.write_some(buffers, ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return false;
    for (auto& b : buffers) {
      const size_t k = std::min(left, b.size());
      b += k;
      left -= k;
    }
    return true;
  }

  // A Server-Sent Events response: the head (no length: the stream ends when the connection
  // does), then whatever the feed collects, now and after every wake, with a heartbeat comment
  // when it stays silent. Ends when the feed says so, a write fails, or the server stops.
  template <class Stream>
  awaitable<void> stream_events(Stream& stream, const std::shared_ptr<Connection>& conn_ptr,
                                const Request& req, const Response& res, unsigned version,
                                SteadyClock::time_point started) {
    Connection& conn = *conn_ptr;
    auto& lowest = beast::get_lowest_layer(stream);
    bhttp::response<bhttp::empty_body> head;
    head.version(version >= 10 ? version : 11);
    head.result(static_cast<unsigned>(res.status));
    for (const auto& [name, value] : res.headers) head.insert(name, value);
    head.set(bhttp::field::date, http_date_now());
    head.set("X-Request-Id", req.request_id);
    head.keep_alive(false);
    bhttp::response_serializer<bhttp::empty_body> serializer(head);
    lowest.expires_after(std::chrono::milliseconds(config_.write_timeout_ms));
    auto [hec, hn] = co_await bhttp::async_write_header(stream, serializer, kTuple);
    (void)hn;
    const size_t route_index = req.route ? req.route->index : Metrics::kUnmatched;
    metrics_.record(route_index, res.status, micros_since(started));
    if (hec) co_return;

    // A wake comes from any thread: it hops onto this connection's executor and cuts the wait
    // short. `woken` also covers a wake that lands while a write is in flight.
    // At most one wake waits in the executor's queue per stream: when the I/O threads fall
    // behind, further wakes add nothing (the one waiting collects everything new) instead of
    // piling up thousands of handlers that delay every stream. The flag lives apart from the
    // state so that the waking thread never holds (and never destroys) the stream's timer.
    struct WakeState {
      explicit WakeState(asio::any_io_executor ex) : timer(ex) {}
      asio::steady_timer timer;
      bool woken = false;
      bool closed = false;
    };
    auto state = std::make_shared<WakeState>(conn.executor);
    auto wake_queued = std::make_shared<std::atomic<bool>>(false);
    EventStreams& streams = streams_ ? *streams_ : own_streams_;
    const uint64_t registration = streams.add(
        [this, weak = std::weak_ptr<WakeState>(state), wake_queued, ex = conn.executor] {
          if (wake_queued->exchange(true)) return;
          wakes_.push(ex, [weak, wake_queued] {
            wake_queued->store(false);  // before collecting: a later change wakes again
            if (auto s = weak.lock()) {
              s->woken = true;
              s->timer.cancel();
            }
          });
        });
    // Shutting down closes streams like idle connections.
    auto close_socket = conn.close;
    conn.close = [close_socket, state] {
      state->closed = true;
      state->timer.cancel();
      if (close_socket) close_socket();
    };
    conn.idle = true;
    if (stopping_) state->closed = true;
    constexpr bool kPlainTcp = std::is_same_v<Stream, beast::tcp_stream>;
    if constexpr (kPlainTcp) {
      boost::system::error_code ignored;
      lowest.socket().non_blocking(true, ignored);  // for write_now
    }

    EventBatch out;
    bool more = true;
    while (more && !state->closed) {
      state->woken = false;
      out.text.clear();
      out.shared.reset();
      more = res.event_feed->collect(out);
      if (!out.empty()) {
        std::array<asio::const_buffer, 2> buffers{
            asio::buffer(out.text), out.shared ? asio::buffer(*out.shared) : asio::const_buffer{}};
        if constexpr (kPlainTcp)
          if (!write_now(lowest.socket(), buffers)) break;
        if (asio::buffer_size(buffers) > 0) {
          lowest.expires_after(std::chrono::milliseconds(config_.write_timeout_ms));
          auto [ec, n] = co_await asio::async_write(stream, buffers, kTuple);
          (void)n;
          if (ec) break;
          lowest.expires_never();
        }
      }
      if (!more || state->woken || state->closed) continue;
      state->timer.expires_after(kEventStreamHeartbeat);
      auto [tec] = co_await state->timer.async_wait(kTuple);
      if (!tec && !state->woken && !state->closed) {
        static constexpr std::string_view kHeartbeat = ": \n\n";
        lowest.expires_after(std::chrono::milliseconds(config_.write_timeout_ms));
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kHeartbeat), kTuple);
        (void)n;
        if (ec) break;
        lowest.expires_never();
      }
    }
    streams.remove(registration);
    conn.idle = false;
    conn.close = close_socket;
  }

  // Plain-HTTP listener that sends every request to the HTTPS origin (308 keeps the method).
  awaitable<void> redirect_loop() {
    for (;;) {
      auto [ec, accepted] =
          co_await redirect_acceptor_.async_accept(asio::make_strand(ioc_), kTuple);
      if (ec) co_return;
      asio::co_spawn(accepted.get_executor(), redirect_session(tcp::socket(std::move(accepted))),
                     asio::detached);
    }
  }

  awaitable<void> redirect_session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bhttp::request<bhttp::empty_body> req;
    stream.expires_after(std::chrono::milliseconds(config_.header_timeout_ms));
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, kTuple);
    (void)n;
    if (ec) co_return;
    // Never the client's Host header: that would let anyone mint redirects to their own site.
    std::string origin = config_.public_url;
    if (origin.empty())
      origin = "https://" + config_.host + (port_ == 443 ? "" : ":" + std::to_string(port_));
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    std::string target(req.target());
    if (target.empty() || target.front() != '/') target = "/";
    bhttp::response<bhttp::string_body> res{bhttp::status::permanent_redirect, req.version()};
    res.set(bhttp::field::location, origin + target);
    res.set(bhttp::field::date, http_date_now());
    res.keep_alive(false);
    res.prepare_payload();
    stream.expires_after(std::chrono::milliseconds(config_.write_timeout_ms));
    co_await bhttp::async_write(stream, res, kTuple);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  const core::ServerConfig& config_;
  const Router& router_;
  Metrics& metrics_;
  ResponseCache& cache_;
  asio::io_context ioc_;
  detail::WakeQueue wakes_{ioc_};
  std::shared_ptr<LaterGate> later_gate_ = std::make_shared<LaterGate>();
  asio::thread_pool workers_;
  tcp::acceptor acceptor_;
  tcp::acceptor redirect_acceptor_;
  asio::signal_set signals_;
  asio::steady_timer shutdown_timer_;
  ssl::context ssl_ctx_;
  std::atomic<bool> stopping_{false};
  EventStreams own_streams_;
  std::mutex connections_mutex_;  // guards connections_
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

}  // namespace balai::http

namespace balai::http {

Server::Server(const core::ServerConfig& config, const Router& router, Metrics& metrics,
               ResponseCache& cache)
    : impl_(std::make_unique<Impl>(config, router, metrics, cache)) {}
Server::~Server() = default;
void Server::use(Middleware m) {
  impl_->middleware_.push_back(std::move(m));
}
void Server::decorate(ResponseDecorator d) {
  impl_->decorators_.push_back(std::move(d));
}
void Server::set_error_renderer(ErrorRenderer r) {
  impl_->error_renderer_ = std::move(r);
}
void Server::set_access_log(bool on) {
  impl_->access_log_ = on;
}
void Server::admit(Admission admission) {
  impl_->admission_ = std::move(admission);
}
void Server::stream_events(EventStreams& streams) {
  impl_->streams_ = &streams;
}
core::Status Server::start() {
  return impl_->start();
}
uint16_t Server::port() const {
  return impl_->port_;
}
bool Server::tls() const {
  return impl_->tls_;
}
void Server::handle_signals() {
  impl_->handle_signals();
}
void Server::run() {
  impl_->run();
}
void Server::stop() {
  impl_->stop();
}

}  // namespace balai::http
