#pragma once
// What a handler returns. The server adds Content-Length, Date, X-Request-Id and, for HEAD,
// drops the body.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/headers.h"

namespace balai::http {

class EventFeed;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set for Server-Sent Events (http/event_stream.h): the server keeps the connection open and
  // sends what the feed collects; `body` is unused.
  std::shared_ptr<EventFeed> event_feed;
  // Set by later(): the handler's answer comes after it returned.
  using Finish = std::function<void(Response)>;
  std::function<void(Finish)> deferred;

  static Response text(int status, std::string body);
  static Response html(int status, std::string body);
  // `json_text` must already be serialized JSON.
  static Response json(int status, std::string json_text);
  // 303 See Other to a local path (after a form POST) or 302/307/308 when asked.
  static Response redirect(std::string_view location, int status = 303);
  // 200 text/event-stream, never cached, carrying what `feed` collects until either side ends.
  static Response event_stream(std::shared_ptr<EventFeed> feed);
  // An answer that is finished later, without a thread waiting for it (a write answered when
  // its group commit is done). Once the handler and the middleware have returned, the server
  // calls `start` on the same thread with `finish`, which must be called exactly once, from
  // any thread, with the real answer; until then the connection waits and no thread does.
  // Headers the middleware put on this placeholder are added to the real answer (Set-Cookie,
  // and any the answer does not set itself). `start` must not block on an inline_io route.
  static Response later(std::function<void(Finish)> start);
};

// Reason phrase of a status code ("Not Found").
std::string_view reason_phrase(int status);

}  // namespace balai::http
