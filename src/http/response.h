#pragma once
// What a handler returns. The server adds Content-Length, Date, X-Request-Id and, for HEAD,
// drops the body.

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

  static Response text(int status, std::string body);
  static Response html(int status, std::string body);
  // `json_text` must already be serialized JSON.
  static Response json(int status, std::string json_text);
  // 303 See Other to a local path (after a form POST) or 302/307/308 when asked.
  static Response redirect(std::string_view location, int status = 303);
  // 200 text/event-stream, never cached, carrying what `feed` collects until either side ends.
  static Response event_stream(std::shared_ptr<EventFeed> feed);
};

// Reason phrase of a status code ("Not Found").
std::string_view reason_phrase(int status);

}  // namespace balai::http
