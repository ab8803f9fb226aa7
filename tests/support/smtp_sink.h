#pragma once
// A tiny SMTP server for tests: listens on 127.0.0.1 (port 0, read back with port()), speaks
// enough of RFC 5321 for libcurl (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no STARTTLS,
// no AUTH) and records what each transaction carried. Connections are served one after the
// other on the sink's own thread; a client silent for 10 s is dropped.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace balai::testing {

class SmtpSink {
 public:
  struct Options {
    // Answer every RCPT TO with 550 (the recipient does not exist: a permanent refusal).
    bool refuse_recipients = false;
    // Answer the end of DATA with 451 (a temporary failure: try again later).
    bool defer_data = false;
  };

  // One accepted transaction.
  struct Mail {
    std::string helo;                     // the EHLO/HELO argument
    std::string mail_from;                // inside MAIL FROM:<...>
    std::vector<std::string> recipients;  // inside each RCPT TO:<...>
    std::string data;                     // the message as sent, dot-stuffing undone, CRLF kept
  };

  // Starts listening and serving. Throws std::runtime_error when it cannot bind.
  SmtpSink();
  explicit SmtpSink(Options options);
  // Stops serving (closes the listening socket and any open connection) and joins the thread.
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  uint16_t port() const { return port_; }
  // "smtp://127.0.0.1:<port>".
  std::string url() const;

  // Waits until at least `count` mails were accepted or `deadline` passes; returns them all.
  std::vector<Mail> wait_for(size_t count,
                             std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // The mails accepted so far.
  std::vector<Mail> mails() const;
  // Connections accepted so far.
  int connections() const;

 private:
  void serve();
  void converse(int fd);

  Options options_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  mutable std::mutex mutex_;  // guards mails_, connections_, stopping_, client_fd_
  std::condition_variable arrived_;
  std::vector<Mail> mails_;
  int connections_ = 0;
  bool stopping_ = false;
  int client_fd_ = -1;  // the connection being served, shut down by the destructor
  std::thread thread_;
};

}  // namespace balai::testing
