// The notification outbox on both backends: written inside the caller's transaction, claimed by
// one instance, delivered over real SMTP (a sink on 127.0.0.1), retried, failed, or shown on
// the development outbox; never stored in plain text.
#include "modules/notify/outbox.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "db/migrator.h"
#include "modules/notify/module.h"
#include "security/field_cipher.h"
#include "security/key_ring.h"
#include "support/databases.h"
#include "support/smtp_sink.h"

namespace balai::notify {
namespace {

using balai::testing::SmtpSink;

constexpr core::Timestamp kStart{1'795'746'600'000};  // 2026-11-27 09:30 WIB
constexpr int64_t kSecond = 1'000;

// A port on 127.0.0.1 that nothing listens on (bound, read back, closed again).
uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool contains(const db::Blob& blob, std::string_view text) {
  const std::string_view bytes(reinterpret_cast<const char*>(blob.bytes.data()), blob.bytes.size());
  return bytes.find(text) != std::string_view::npos;
}

// The value of a header in a received message ("" when absent); unfolds continuation lines.
std::string header(const std::string& data, std::string_view name) {
  const std::string head = data.substr(0, data.find("\r\n\r\n") + 2);
  const std::string key = "\r\n" + std::string(name) + ": ";
  const std::string text = "\r\n" + head;
  size_t at = text.find(key);
  if (at == std::string::npos) return {};
  at += key.size();
  std::string value;
  for (;;) {
    const size_t end = text.find("\r\n", at);
    value += text.substr(at, end - at);
    if (end + 2 < text.size() && (text[end + 2] == ' ' || text[end + 2] == '\t')) {
      at = end + 2;
      continue;
    }
    return value;
  }
}

class OutboxTest : public balai::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    auto migrated = db::migrate(db(), migrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }

  static core::NotifyConfig dev_config() {
    core::NotifyConfig c;
    c.dev_outbox = true;
    return c;
  }

  static core::NotifyConfig smtp_config(const std::string& url) {
    core::NotifyConfig c;
    c.smtp_url = url;
    c.mail_from = "Balai Kota Contoh <balai@contoh.go.id>";
    c.max_attempts = 3;
    return c;
  }

  std::unique_ptr<Outbox> outbox(const core::NotifyConfig& config) {
    return std::make_unique<Outbox>(db(), cipher_, config, clock_);
  }

  core::Status enqueue(const Outbox& box, const Message& message) {
    return db().transact(
        [&](db::Connection& c) -> core::Status { return box.enqueue(c, message, clock_.now()); });
  }

  static Message email(std::string to = "warga@contoh.id") {
    return Message{Channel::email, std::move(to), "Kode konfirmasi", "Kode Anda: 482913\n",
                   "identity.confirm_email"};
  }

  // The one message's state and attempts, read raw.
  std::pair<std::string, int64_t> state() {
    auto rows = db().query("SELECT state, attempts FROM outbox_messages");
    EXPECT_TRUE(rows.ok());
    EXPECT_EQ(rows->size(), 1u);
    if (!rows.ok() || rows->empty()) return {"", -1};
    return {(*rows)[0].text(0), (*rows)[0].int64(1)};
  }

  security::KeyRing ring_ = security::KeyRing::generate(kStart);
  security::FieldCipher cipher_{ring_};
  core::ManualClock clock_{kStart};
};

TEST_P(OutboxTest, AMessageEnqueuedInARolledBackTransactionIsNeverSent) {
  auto box = outbox(dev_config());
  auto status = db().transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(box->enqueue(c, email(), clock_.now()));
    return core::make_error(core::ErrorCode::conflict, "the cause failed");
  });
  ASSERT_FALSE(status.ok());

  auto delivered = box->deliver_due();
  ASSERT_TRUE(delivered.ok()) << delivered.error().message;
  EXPECT_EQ(*delivered, 0);
  auto counts = box->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->queued + counts->sent + counts->failed, 0);
  EXPECT_TRUE(box->dev_messages(10)->empty());
}

TEST_P(OutboxTest, ACommittedMessageIsDeliveredOnceWhenTwoInstancesDeliverTogether) {
  SmtpSink sink;
  // The second instance has a database connection pool of its own, as another server would.
  auto other_db = db::open_database(temp().url());
  ASSERT_TRUE(other_db.ok()) << other_db.error().message;
  Outbox first(db(), cipher_, smtp_config(sink.url()), clock_);
  Outbox second(**other_db, cipher_, smtp_config(sink.url()), clock_);
  constexpr int kMessages = 12;
  for (int i = 0; i < kMessages; ++i)
    ASSERT_TRUE(enqueue(first, email("warga" + std::to_string(i) + "@contoh.id")).ok());

  core::Result<int> a = 0, b = 0;
  std::thread other([&] { b = second.deliver_due(); });
  a = first.deliver_due();
  other.join();

  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a + *b, kMessages);
  const auto mails = sink.wait_for(kMessages);
  ASSERT_EQ(mails.size(), static_cast<size_t>(kMessages));
  std::set<std::string> recipients, ids;
  for (const auto& m : mails) {
    ASSERT_EQ(m.recipients.size(), 1u);
    recipients.insert(m.recipients[0]);
    ids.insert(header(m.data, "Message-ID"));
  }
  EXPECT_EQ(recipients.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kMessages));
  // Nothing is left for a later pass of either instance.
  EXPECT_EQ(*first.deliver_due(), 0);
  EXPECT_EQ(*second.deliver_due(), 0);
  EXPECT_EQ(sink.mails().size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(first.counts()->sent, kMessages);
}

TEST_P(OutboxTest, RecipientSubjectAndBodyAreNotStoredInPlainText) {
  auto box = outbox(dev_config());
  ASSERT_TRUE(enqueue(*box, email("rahasia.warga@contoh.id")).ok());

  auto rows = db().query("SELECT recipient, subject, body, channel, kind FROM outbox_messages");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const db::Row& r = (*rows)[0];
  EXPECT_FALSE(contains(r.blob(0), "rahasia"));
  EXPECT_FALSE(contains(r.blob(1), "konfirmasi"));
  EXPECT_FALSE(contains(r.blob(2), "482913"));
  EXPECT_EQ(security::FieldCipher::key_id_of(r.blob(0)), ring_.active_key_id());
  // What is counted stays readable.
  EXPECT_EQ(r.text(3), "email");
  EXPECT_EQ(r.text(4), "identity.confirm_email");
}

TEST_P(OutboxTest, AFailedDeliveryIsRetriedWithGrowingPausesThenMarkedFailed) {
  auto box = outbox(smtp_config("smtp://127.0.0.1:" + std::to_string(closed_port())));
  ASSERT_TRUE(enqueue(*box, email()).ok());

  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state(), std::make_pair(std::string("queued"), int64_t{1}));
  // Not due again before its pause (30 s) is over.
  clock_.advance_ms(29 * kSecond);
  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state().second, 1);
  clock_.advance_ms(1 * kSecond);
  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state(), std::make_pair(std::string("queued"), int64_t{2}));
  // The second pause is twice as long.
  clock_.advance_ms(59 * kSecond);
  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state().second, 2);
  clock_.advance_ms(1 * kSecond);
  EXPECT_EQ(*box->deliver_due(), 0);
  // The third try was the last (max_attempts = 3).
  EXPECT_EQ(state(), std::make_pair(std::string("failed"), int64_t{3}));
  clock_.advance_ms(3'600 * kSecond);
  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state().second, 3);

  auto counts = box->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->failed, 1);
  EXPECT_EQ(counts->queued, 0);
  // The reason is kept, without the recipient.
  auto error = db().query("SELECT last_error FROM outbox_messages");
  ASSERT_TRUE(error.ok());
  const std::string& reason = (*error)[0].text(0);
  EXPECT_NE(reason.find("smtp"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("warga"), std::string::npos) << reason;
}

TEST_P(OutboxTest, ARecipientTheRelayRefusesFailsWithoutRetrying) {
  SmtpSink sink(SmtpSink::Options{.refuse_recipients = true});
  auto box = outbox(smtp_config(sink.url()));
  ASSERT_TRUE(enqueue(*box, email()).ok());

  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state(), std::make_pair(std::string("failed"), int64_t{1}));
}

TEST_P(OutboxTest, AMessageTheRelayDefersIsTriedAgainLater) {
  SmtpSink sink(SmtpSink::Options{.defer_data = true});
  auto box = outbox(smtp_config(sink.url()));
  ASSERT_TRUE(enqueue(*box, email()).ok());

  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state(), std::make_pair(std::string("queued"), int64_t{1}));
}

TEST_P(OutboxTest, WithoutAChannelTheDevelopmentOutboxShowsTheMessage) {
  auto box = outbox(dev_config());
  ASSERT_TRUE(enqueue(*box, email()).ok());
  clock_.advance_ms(kSecond);
  ASSERT_TRUE(enqueue(*box, Message{Channel::sms, "+6281234567890", "", "Kode: 105933",
                                    "identity.confirm_phone"})
                  .ok());

  auto delivered = box->deliver_due();
  ASSERT_TRUE(delivered.ok());
  EXPECT_EQ(*delivered, 2);
  auto shown = box->dev_messages(10);
  ASSERT_TRUE(shown.ok());
  ASSERT_EQ(shown->size(), 2u);
  // Newest first, decrypted.
  EXPECT_EQ((*shown)[0].channel, Channel::sms);
  EXPECT_EQ((*shown)[0].to, "+6281234567890");
  EXPECT_EQ((*shown)[0].body, "Kode: 105933");
  EXPECT_EQ((*shown)[1].to, "warga@contoh.id");
  EXPECT_EQ((*shown)[1].subject, "Kode konfirmasi");
  EXPECT_EQ((*shown)[1].kind, "identity.confirm_email");
  EXPECT_EQ((*shown)[1].created_at, kStart);
  EXPECT_EQ(box->counts()->sent, 2);
}

TEST_P(OutboxTest, WithoutAChannelOrTheDevelopmentOutboxAMessageStaysQueued) {
  auto box = outbox(core::NotifyConfig{});
  EXPECT_FALSE(box->can_deliver(Channel::email));
  ASSERT_TRUE(enqueue(*box, email()).ok());

  EXPECT_EQ(*box->deliver_due(), 0);
  EXPECT_EQ(state(), std::make_pair(std::string("queued"), int64_t{0}));
  auto shown = box->dev_messages(10);
  ASSERT_FALSE(shown.ok());
  EXPECT_EQ(shown.error().code, core::ErrorCode::forbidden);
}

TEST_P(OutboxTest, HeaderInjectionInTheRecipientOrSubjectIsRefused) {
  auto box = outbox(dev_config());
  Message to = email("warga@contoh.id\r\nBcc: semua@contoh.id");
  Message subject = email();
  subject.subject = "Kode\r\nBcc: semua@contoh.id";
  Message bare_lf = email();
  bare_lf.subject = "Kode\nX-Injected: 1";

  for (const Message& m : {to, subject, bare_lf}) {
    auto status = enqueue(*box, m);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::validation_failed);
  }
  EXPECT_EQ(box->counts()->queued, 0);
}

TEST_P(OutboxTest, AnEmptyRecipientIsRefused) {
  auto box = outbox(dev_config());
  auto status = enqueue(*box, email(""));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().fields.at("to"), "required");
}

TEST_P(OutboxTest, AnEmailArrivesOverSmtpWithProperHeadersAndAnEncodedUtf8Subject) {
  SmtpSink sink;
  auto box = outbox(smtp_config(sink.url()));
  Message m{Channel::email, "warga@contoh.id", "Kode konfirmasi — Balai Kota Contoh",
            "Kode Anda: 482913\n.baris yang diawali titik\nTerima kasih — Balai\n",
            "identity.confirm_email"};
  ASSERT_TRUE(enqueue(*box, m).ok());

  auto delivered = box->deliver_due();
  ASSERT_TRUE(delivered.ok()) << delivered.error().message;
  EXPECT_EQ(*delivered, 1);
  const auto mails = sink.wait_for(1);
  ASSERT_EQ(mails.size(), 1u);
  const auto& mail = mails[0];
  EXPECT_EQ(mail.mail_from, "balai@contoh.go.id");
  EXPECT_EQ(mail.recipients, std::vector<std::string>{"warga@contoh.id"});
  const std::string& data = mail.data;
  EXPECT_EQ(header(data, "From"), "Balai Kota Contoh <balai@contoh.go.id>");
  EXPECT_EQ(header(data, "To"), "warga@contoh.id");
  EXPECT_EQ(header(data, "Date"), "Fri, 27 Nov 2026 02:30:00 +0000");
  EXPECT_EQ(header(data, "Subject"), "=?UTF-8?Q?Kode_konfirmasi_=E2=80=94_Balai_Kota_Contoh?=");
  const std::string id = header(data, "Message-ID");
  EXPECT_TRUE(id.starts_with("<") && id.ends_with("@contoh.go.id>")) << id;
  EXPECT_EQ(header(data, "MIME-Version"), "1.0");
  EXPECT_EQ(header(data, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(header(data, "Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(header(data, "Auto-Submitted"), "auto-generated");
  const std::string body = data.substr(data.find("\r\n\r\n") + 4);
  // Every line ends in CRLF; the dot-stuffed line arrives as it was written.
  EXPECT_EQ(body,
            "Kode Anda: 482913\r\n.baris yang diawali titik\r\nTerima kasih =E2=80=94 Balai\r\n");
  for (size_t i = data.find('\n'); i != std::string::npos; i = data.find('\n', i + 1))
    ASSERT_EQ(data[i - 1], '\r') << "a bare LF at " << i;
  EXPECT_EQ(state(), std::make_pair(std::string("sent"), int64_t{1}));
}

TEST_P(OutboxTest, TheDeliveryThreadSendsWhenWoken) {
  SmtpSink sink;
  auto box = outbox(smtp_config(sink.url()));
  box->start();
  ASSERT_TRUE(enqueue(*box, email()).ok());
  box->wake();

  EXPECT_EQ(sink.wait_for(1).size(), 1u);
  box.reset();  // stops and joins the thread
  EXPECT_EQ(state().first, "sent");
}

TEST_P(OutboxTest, AClaimLeftByAStoppedInstanceIsTakenOverAfterItsLease) {
  auto box = outbox(dev_config());
  ASSERT_TRUE(enqueue(*box, email()).ok());
  // Another instance claimed it and died before finishing.
  ASSERT_TRUE(db::execute(db(), "UPDATE outbox_messages SET state = 'sending', claimed_until = ?",
                          {core::Timestamp{kStart.ms + 60 * kSecond}})
                  .ok());

  EXPECT_EQ(*box->deliver_due(), 0);
  clock_.advance_ms(61 * kSecond);
  EXPECT_EQ(*box->deliver_due(), 1);
  EXPECT_EQ(state().first, "dev");
}

TEST_P(OutboxTest, DeliveredMessagesArePurgedAfterAWeek) {
  auto box = outbox(dev_config());
  ASSERT_TRUE(enqueue(*box, email()).ok());
  ASSERT_EQ(*box->deliver_due(), 1);

  EXPECT_EQ(*box->purge(core::Timestamp{kStart.ms + 6 * 86'400 * kSecond}), 0);
  EXPECT_EQ(*box->purge(core::Timestamp{kStart.ms + 8 * 86'400 * kSecond}), 1);
  EXPECT_TRUE(box->dev_messages(10)->empty());
}

TEST_P(OutboxTest, AMissingSecretFileOrAnUnsafeUrlStopsTheStart) {
  core::NotifyConfig password = smtp_config("smtp://mail.contoh.go.id:587");
  password.smtp_user = "balai";
  password.smtp_password_file = "/nonexistent/balai-smtp-password";
  EXPECT_THROW(outbox(password), std::runtime_error);

  core::NotifyConfig scheme = smtp_config("http://mail.contoh.go.id");
  EXPECT_THROW(outbox(scheme), std::runtime_error);

  core::NotifyConfig sms;
  sms.sms_gateway_url = "http://sms.contoh.go.id/kirim";  // the token would cross in clear
  EXPECT_THROW(outbox(sms), std::runtime_error);
}

TEST_P(OutboxTest, TheSecretIsReadFromItsFileWithoutTheTrailingNewline) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("balai-smtp-" + std::to_string(::getpid()) + "-" + GetParam());
  std::ofstream(path) << "s3cret-pw\n";
  core::NotifyConfig config = smtp_config("smtp://mail.contoh.go.id:587");
  config.smtp_user = "balai";
  config.smtp_password_file = path.string();
  EXPECT_NO_THROW(outbox(config));
  std::filesystem::remove(path);
}

BALAI_INSTANTIATE_DATABASE_TESTS(OutboxTest);

}  // namespace
}  // namespace balai::notify
