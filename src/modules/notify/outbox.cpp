// The outbox's table and its delivery loop. A due message is claimed in the database (state
// 'sending' with a lease, claimed_until) by exactly one instance before it is sent, so several
// instances over one PostgreSQL database never send a message twice; a lease that ends
// unfinished (the instance died mid-send) makes the message claimable again. Delivery is
// therefore at least once: a crash between the relay's "250" and marking the row sent sends it
// again after the lease.
#include "modules/notify/outbox.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/ids.h"
#include "core/log.h"
#include "core/text.h"
#include "modules/notify/channels.h"
#include "modules/notify/email.h"
#include "modules/notify/rules.h"
#include "security/field_cipher.h"

namespace balai::notify {
namespace {

constexpr auto kPollInterval = std::chrono::seconds(5);
// The shortest time between two delivery passes, however often the outbox is woken.
constexpr auto kMinPassSpacing = std::chrono::milliseconds(100);
// Longer than any one send may take (SmtpSettings/SmsSettings timeouts plus connecting).
constexpr int64_t kLeaseMs = 5 * 60'000;
// Candidates read per query, and messages one pass handles at most (the rest wait for the
// next pass, so stopping is never held up by a long queue).
constexpr int kCandidates = 20;
constexpr int kMaxPerPass = 200;
constexpr size_t kMaxErrorBytes = 200;
// Delivered rows keep codes and addresses: gone a week after delivery. Failed rows stay a
// month for the operator to see why.
constexpr int64_t kDeliveredRetentionMs = 7 * 86'400'000LL;
constexpr int64_t kFailedRetentionMs = 30 * 86'400'000LL;

constexpr std::string_view kRecipient = "recipient";
constexpr std::string_view kSubject = "subject";
constexpr std::string_view kBody = "body";

// The context each ciphertext is bound to (FieldCipher): a value copied into another row or
// column does not decrypt. Matches encrypted_columns() in module.cpp.
std::string context(std::string_view column, std::string_view external_id) {
  return "notify.outbox_messages." + std::string(column) + "/" + std::string(external_id);
}

std::optional<Channel> parse_channel(std::string_view text) {
  if (text == "email") return Channel::email;
  if (text == "sms") return Channel::sms;
  return std::nullopt;
}

// A secret from its file, without the trailing newline editors add. Throws at start-up.
std::string read_secret(const std::string& path, std::string_view setting) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("notify: cannot read " + std::string(setting) + " (" + path + ")");
  std::stringstream buf;
  buf << in.rdbuf();
  std::string secret(core::trim(buf.str()));
  if (secret.empty())
    throw std::runtime_error("notify: " + std::string(setting) + " (" + path + ") is empty");
  return secret;
}

std::string short_error(std::string_view message) {
  std::string out(message.substr(0, kMaxErrorBytes));
  while (!out.empty() && !core::is_valid_utf8(out)) out.pop_back();
  return out;
}

// A message claimed for delivery: its row, and the lease that proves the claim is still ours.
struct Claimed {
  int64_t key = 0;
  std::string id;
  Channel channel = Channel::email;
  int attempts = 0;  // tries before this one
  db::Blob recipient, subject, body;
  core::Timestamp lease;
};

}  // namespace

std::string_view to_string(Channel channel) {
  return channel == Channel::email ? "email" : "sms";
}

struct Outbox::Impl {
  db::Database& db;
  const security::FieldCipher& cipher;
  const core::Clock& clock;
  std::optional<SmtpSettings> smtp;  // unset: no email channel
  std::optional<SmsSettings> sms;    // unset: no SMS channel
  Mailbox from;
  // The channels this instance claims: configured ones, or every one with the dev outbox.
  std::string channel_filter;

  // A warning per channel that cannot carry messages, logged once per process.
  std::atomic<bool> warned_email{false};
  std::atomic<bool> warned_sms{false};
  // Counts as of the last delivery pass, for /metrics (read on an I/O thread: no query there).
  std::atomic<int64_t> queued{0}, sent{0}, failed{0};

  // The delivery thread and what it waits on. `mutex` guards `stop` and `woken`.
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  bool woken = false;
  std::atomic<bool> stopping{false};  // read between messages without the lock
  std::thread thread;

  Impl(db::Database& d, const security::FieldCipher& c, const core::Clock& k)
      : db(d), cipher(c), clock(k) {}

  // Sends one claimed message (or shows it on the development outbox) and records the
  // outcome, if the claim still holds. True when it was delivered. Blocks.
  core::Result<bool> deliver(const Claimed& m, const core::NotifyConfig& config);
};

Outbox::Outbox(db::Database& db, const security::FieldCipher& cipher,
               const core::NotifyConfig& config, const core::Clock& clock)
    : impl_(std::make_unique<Impl>(db, cipher, clock)), config_(config) {
  if (!config_.smtp_url.empty()) {
    const bool scheme_ok =
        config_.smtp_url.starts_with("smtp://") || config_.smtp_url.starts_with("smtps://");
    if (!scheme_ok || !url_host(config_.smtp_url))
      throw std::runtime_error("notify.smtp_url must be smtp://host[:port] or smtps://host[:port]");
    impl_->from = parse_mailbox(config_.mail_from);
    if (impl_->from.address.empty())
      throw std::runtime_error("notify.mail_from must be an address (\"Name <a@b.id>\" or a@b.id)");
    SmtpSettings smtp;
    smtp.url = config_.smtp_url;
    smtp.user = config_.smtp_user;
    if (!config_.smtp_user.empty()) {
      if (config_.smtp_password_file.empty())
        throw std::runtime_error("notify.smtp_user needs notify.smtp_password_file");
      smtp.password = read_secret(config_.smtp_password_file, "notify.smtp_password_file");
    }
    smtp.envelope_from = impl_->from.address;
    impl_->smtp = std::move(smtp);
  }
  if (!config_.sms_gateway_url.empty()) {
    const auto host = url_host(config_.sms_gateway_url);
    const bool https = config_.sms_gateway_url.starts_with("https://");
    const bool local_http =
        config_.sms_gateway_url.starts_with("http://") && host && is_loopback_host(*host);
    if (!host || (!https && !local_http))
      throw std::runtime_error(
          "notify.sms_gateway_url must be https:// (http:// only to this machine)");
    SmsSettings sms;
    sms.url = config_.sms_gateway_url;
    if (!config_.sms_gateway_token_file.empty())
      sms.token = read_secret(config_.sms_gateway_token_file, "notify.sms_gateway_token_file");
    impl_->sms = std::move(sms);
  }
  std::vector<std::string> channels;
  if (config_.dev_outbox || impl_->smtp) channels.push_back("'email'");
  if (config_.dev_outbox || impl_->sms) channels.push_back("'sms'");
  for (const auto& c : channels)
    impl_->channel_filter += (impl_->channel_filter.empty() ? "" : ", ") + c;
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stop = true;
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

core::Status Outbox::enqueue(db::Connection& conn, const Message& message,
                             core::Timestamp now) const {
  BALAI_TRY(validate(message));
  const std::string id = core::new_uuid_v7(now);
  auto inserted = conn.query(
      "INSERT INTO outbox_messages (external_id, channel, kind, recipient, subject, body, state, "
      "attempts, next_attempt_at, last_error, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, '', ?)",
      {id, to_string(message.channel), message.kind,
       impl_->cipher.encrypt(message.to, context(kRecipient, id)),
       impl_->cipher.encrypt(message.subject, context(kSubject, id)),
       impl_->cipher.encrypt(message.body, context(kBody, id)), now, now});
  if (!inserted) return inserted.take_error();
  if (!can_deliver(message.channel)) {
    auto& warned = message.channel == Channel::email ? impl_->warned_email : impl_->warned_sms;
    if (!warned.exchange(true))
      core::log::warn("notify.channel_not_configured",
                      {{"channel", to_string(message.channel)},
                       {"effect", "messages stay queued until the channel is configured"}});
  }
  return {};
}

void Outbox::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->thread.joinable() || impl_->stop) return;
  impl_->thread = std::thread([this] {
    std::unique_lock lock(impl_->mutex);
    while (!impl_->stop) {
      impl_->woken = false;
      const auto pass_started = std::chrono::steady_clock::now();
      lock.unlock();
      auto delivered = deliver_due();
      if (!delivered)
        core::log::warn("notify.delivery_pass_failed", {{"error", delivered.error().message}});
      if (auto counted = counts()) {
        impl_->queued = counted->queued;
        impl_->sent = counted->sent;
        impl_->failed = counted->failed;
      }
      lock.lock();
      impl_->wake.wait_for(lock, kPollInterval, [this] { return impl_->stop || impl_->woken; });
      // Wakes come with every change that may queue a message (thousands a second under load):
      // at most one pass per kMinPassSpacing, so the delivery thread's queries stay bounded
      // while a message still leaves within a fraction of a second.
      impl_->wake.wait_until(lock, pass_started + kMinPassSpacing, [this] { return impl_->stop; });
    }
  });
}

void Outbox::wake() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->woken = true;
  }
  impl_->wake.notify_one();
}

bool Outbox::can_deliver(Channel channel) const {
  if (config_.dev_outbox) return true;
  return channel == Channel::email ? impl_->smtp.has_value() : impl_->sms.has_value();
}

core::Result<int> Outbox::deliver_due() {
  Impl& s = *impl_;
  if (s.channel_filter.empty()) return 0;
  const std::string select =
      "SELECT id, external_id, channel, attempts, recipient, subject, body FROM outbox_messages "
      "WHERE ((state = 'queued' AND next_attempt_at <= ?) OR "
      "(state = 'sending' AND claimed_until < ?)) AND channel IN (" +
      s.channel_filter + ") ORDER BY next_attempt_at, id LIMIT ?";
  int delivered = 0;
  int handled = 0;
  while (handled < kMaxPerPass && !s.stopping) {
    const core::Timestamp now = s.clock.now();
    auto rows = s.db.query(select, {now, now, kCandidates});
    if (!rows) return rows.take_error();
    bool claimed_any = false;
    for (const db::Row& row : *rows) {
      if (s.stopping || handled >= kMaxPerPass) break;
      const core::Timestamp at = s.clock.now();
      Claimed m;
      m.key = row.int64(0);
      m.id = row.text(1);
      m.lease = core::Timestamp{at.ms + kLeaseMs};
      // The claim: only one instance's UPDATE finds the row still due.
      auto claim = db::execute(
          s.db,
          "UPDATE outbox_messages SET state = 'sending', claimed_until = ? WHERE id = ? AND "
          "((state = 'queued' AND next_attempt_at <= ?) OR "
          "(state = 'sending' AND claimed_until < ?))",
          {m.lease, m.key, at, at});
      if (!claim) return claim.take_error();
      if (*claim != 1) continue;  // another instance has it
      claimed_any = true;
      ++handled;
      m.channel = parse_channel(row.text(2)).value_or(Channel::email);
      m.attempts = static_cast<int>(row.int64(3));
      m.recipient = row.blob(4);
      m.subject = row.blob(5);
      m.body = row.blob(6);
      auto done = s.deliver(m, config_);
      if (!done) return done.take_error();
      if (*done) ++delivered;
    }
    if (!claimed_any) break;  // nothing due, or every candidate taken by others
  }
  return delivered;
}

core::Result<bool> Outbox::Impl::deliver(const Claimed& m, const core::NotifyConfig& config) {
  Impl& s = *this;
  auto to = s.cipher.decrypt(m.recipient, context(kRecipient, m.id));
  auto subject = s.cipher.decrypt(m.subject, context(kSubject, m.id));
  auto body = s.cipher.decrypt(m.body, context(kBody, m.id));
  core::Status sent;
  std::string final_state = "sent";
  if (!to || !subject || !body) {
    sent = core::make_error(core::ErrorCode::validation_failed, "the message does not decrypt");
  } else if (m.channel == Channel::email && s.smtp) {
    Email email{s.from, *to, *subject, *body, s.clock.now(), m.id};
    auto composed = compose_email(email);
    sent = composed ? send_email(*s.smtp, *to, *composed) : core::Status(composed.take_error());
  } else if (m.channel == Channel::sms && s.sms) {
    sent = send_sms(*s.sms, *to, *body);
  } else if (config.dev_outbox) {
    final_state = "dev";
  } else {
    // Not reachable: the due query only reads channels this instance can carry.
    sent = core::make_error(core::ErrorCode::unavailable, "no channel");
  }

  const core::Timestamp now = s.clock.now();
  const int attempts = m.attempts + 1;
  core::Result<int64_t> updated = int64_t{0};
  if (sent) {
    updated = db::execute(
        s.db,
        "UPDATE outbox_messages SET state = ?, attempts = ?, sent_at = ?, claimed_until = NULL, "
        "last_error = '' WHERE id = ? AND state = 'sending' AND claimed_until = ?",
        {final_state, attempts, now, m.key, m.lease});
  } else {
    const bool give_up =
        sent.error().code == core::ErrorCode::validation_failed || attempts >= config.max_attempts;
    const core::Timestamp next{now.ms + retry_delay_ms(attempts)};
    updated =
        db::execute(s.db,
                    "UPDATE outbox_messages SET state = ?, attempts = ?, next_attempt_at = ?, "
                    "claimed_until = NULL, last_error = ? WHERE id = ? AND state = 'sending' AND "
                    "claimed_until = ?",
                    {give_up ? "failed" : "queued", attempts, next,
                     short_error(sent.error().message), m.key, m.lease});
    // The id and the reason only: never the recipient or the text.
    core::log::warn(give_up ? "notify.message_failed" : "notify.delivery_retry",
                    {{"message_id", m.id},
                     {"channel", to_string(m.channel)},
                     {"attempts", attempts},
                     {"error", short_error(sent.error().message)}});
  }
  if (!updated) return updated.take_error();
  if (*updated != 1) {
    // The lease ran out mid-send and another instance took the message over: it decides now.
    core::log::warn("notify.lease_lost", {{"message_id", m.id}});
    return false;
  }
  return sent.ok();
}

core::Result<std::vector<DevMessage>> Outbox::dev_messages(int limit) const {
  if (!config_.dev_outbox)
    return core::make_error(core::ErrorCode::forbidden, "The development outbox is off.");
  limit = std::clamp(limit, 1, 500);
  auto rows = impl_->db.query(
      "SELECT external_id, channel, kind, recipient, subject, body, created_at FROM "
      "outbox_messages WHERE state = 'dev' ORDER BY created_at DESC, id DESC LIMIT ?",
      {limit});
  if (!rows) return rows.take_error();
  std::vector<DevMessage> out;
  out.reserve(rows->size());
  for (const db::Row& r : *rows) {
    DevMessage m;
    m.id = r.text(0);
    m.channel = parse_channel(r.text(1)).value_or(Channel::email);
    m.kind = r.text(2);
    // A field that does not decrypt (a lost key) shows empty rather than hiding the rest.
    if (auto v = impl_->cipher.decrypt(r.blob(3), context(kRecipient, m.id))) m.to = *v;
    if (auto v = impl_->cipher.decrypt(r.blob(4), context(kSubject, m.id))) m.subject = *v;
    if (auto v = impl_->cipher.decrypt(r.blob(5), context(kBody, m.id))) m.body = *v;
    m.created_at = r.timestamp(6);
    out.push_back(std::move(m));
  }
  return out;
}

core::Result<Outbox::Counts> Outbox::counts() const {
  auto rows = impl_->db.query("SELECT state, COUNT(*) FROM outbox_messages GROUP BY state");
  if (!rows) return rows.take_error();
  Counts c;
  for (const db::Row& r : *rows) {
    const std::string& state = r.text(0);
    if (state == "queued" || state == "sending")
      c.queued += r.int64(1);
    else if (state == "sent" || state == "dev")
      c.sent += r.int64(1);
    else if (state == "failed")
      c.failed += r.int64(1);
  }
  return c;
}

Outbox::Counts Outbox::last_counts() const {
  return Counts{impl_->queued.load(), impl_->sent.load(), impl_->failed.load()};
}

core::Result<int64_t> Outbox::purge(core::Timestamp now) {
  return db::execute(impl_->db,
                     "DELETE FROM outbox_messages WHERE (state IN ('sent', 'dev') AND sent_at < ?) "
                     "OR (state = 'failed' AND created_at < ?)",
                     {core::Timestamp{now.ms - kDeliveredRetentionMs},
                      core::Timestamp{now.ms - kFailedRetentionMs}});
}

}  // namespace balai::notify
