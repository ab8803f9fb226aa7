#pragma once
// The notification outbox: every message to a person (a confirmation code, a password reset, a
// complaint update) is a row written inside the transaction that caused it, so a message is sent
// if and only if its cause committed. A delivery thread sends due messages by email (SMTP over
// libcurl) or SMS (an HTTP gateway), retrying with growing pauses; with `notify.dev_outbox` a
// message no channel can carry is "delivered" to the development outbox page instead.
// Recipients, subjects and bodies are encrypted at rest (they hold addresses and codes).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/result.h"
#include "core/time.h"
#include "db/database.h"

namespace balai::security {
class FieldCipher;
}

namespace balai::notify {

enum class Channel { email, sms };
// "email" / "sms", as stored and as the development outbox's API shows them.
std::string_view to_string(Channel channel);

struct Message {
  Channel channel = Channel::email;
  std::string to;       // an email address, or a phone number in E.164 form (+62...)
  std::string subject;  // email only (required there; SMS ignores it)
  std::string body;     // plain text
  std::string kind;     // what it is for, in clear for counting ("identity.confirm_email")
};

// A message as the development outbox page shows it (decrypted).
struct DevMessage {
  std::string id;  // external id
  Channel channel = Channel::email;
  std::string to;
  std::string subject;
  std::string body;
  std::string kind;
  core::Timestamp created_at;
};

class Outbox {
 public:
  // `db`, `cipher` and `clock` must outlive the outbox; `config` is copied. Reads secrets (SMTP
  // password, SMS token) from their files now; a missing or empty file, an SMTP URL that is not
  // smtp:// or smtps://, a mail_from without an address, or an SMS gateway URL that is not
  // https:// (http:// is allowed to this machine only) is a start-up error thrown as
  // std::runtime_error. Email over smtp:// requires STARTTLS unless the relay is on this
  // machine (localhost, 127.0.0.0/8, ::1): see SmtpSettings in channels.h.
  Outbox(db::Database& db, const security::FieldCipher& cipher, const core::NotifyConfig& config,
         const core::Clock& clock);
  // Stops the delivery thread (if started), finishing the message in hand; a pass called
  // directly on another thread stops after its message too.
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Writes `message` into the outbox inside the caller's transaction, so it is sent if and only
  // if that transaction commits. validation_failed (fields to, subject, body, kind; see
  // rules.h) when the recipient is empty or not an address of its channel, or when the
  // recipient or subject holds CR, LF or another control character (header injection). A
  // message no channel can carry stays queued (a warning is logged once). Call wake() after
  // the transaction commits. Thread-safe; blocks on the database.
  [[nodiscard]] core::Status enqueue(db::Connection& conn, const Message& message,
                                     core::Timestamp now) const;

  // Starts the delivery thread: it sends due messages when woken and polls every few seconds
  // (messages written by other instances, retries). Several instances may run it: a message
  // is claimed in the database before it is sent.
  void start();
  // Tells the delivery thread there is something to send. Thread-safe, never blocks.
  void wake();

  // One delivery pass over due messages (the thread's body; tests call it directly): claims
  // each in the database, sends it, and marks it sent, or on failure queued again after a
  // growing pause (30 s doubling to 1 h), or failed after notify.max_attempts tries (at once
  // when the relay or gateway refuses the recipient for good). Returns how many were delivered
  // (sent, or shown on the development outbox). Errors are the database's. Thread-safe (the
  // claim keeps two passes off one message); blocks on the database and the network.
  [[nodiscard]] core::Result<int> deliver_due();

  // Whether this instance can carry messages of this channel: it is configured, or the
  // development outbox takes every channel.
  bool can_deliver(Channel channel) const;
  bool dev_outbox_enabled() const { return config_.dev_outbox; }

  // Newest first, at most `limit` (clamped to 1..500); only messages delivered to the
  // development outbox, decrypted. forbidden when the development outbox is off. Blocks on the
  // database.
  [[nodiscard]] core::Result<std::vector<DevMessage>> dev_messages(int limit) const;

  // Counts by state: queued (waiting or being sent), sent (including those shown on the
  // development outbox), failed. Blocks on the database.
  struct Counts {
    int64_t queued = 0;
    int64_t sent = 0;
    int64_t failed = 0;
  };
  [[nodiscard]] core::Result<Counts> counts() const;
  // The counts as of the delivery thread's last pass (every few seconds; zero before start()).
  // Never blocks: for /metrics gauges, which are read on an I/O thread.
  Counts last_counts() const;

  // Deletes delivered messages a week after delivery and failed ones a month after they were
  // written (they hold addresses and codes). Returns how many. The housekeeping job calls it.
  // Blocks on the database.
  [[nodiscard]] core::Result<int64_t> purge(core::Timestamp now);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const core::NotifyConfig config_;  // read-only after construction
};

}  // namespace balai::notify
