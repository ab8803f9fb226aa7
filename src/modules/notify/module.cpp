#include "modules/notify/module.h"

#include "core/log.h"
#include "modules/notify/outbox.h"
#include "modules/notify/routes.h"

namespace balai::notify {

std::vector<security::EncryptedColumn> encrypted_columns() {
  // The contexts outbox.cpp binds each ciphertext to: "notify.outbox_messages.<column>/<id>".
  return {
      {"outbox_messages", "recipient", "external_id", "notify.outbox_messages.recipient/"},
      {"outbox_messages", "subject", "external_id", "notify.outbox_messages.subject/"},
      {"outbox_messages", "body", "external_id", "notify.outbox_messages.body/"},
  };
}

void install(app::App& app) {
  app.jobs.push_back(
      app::Job{"notify.purge", [&outbox = app.outbox](core::Timestamp now) {
                 auto purged = outbox.purge(now);
                 if (!purged)
                   core::log::warn("notify.purge_failed", {{"error", purged.error().message}});
               }});
  if (!app.outbox.dev_outbox_enabled()) return;
  core::log::warn("notify.dev_outbox_on",
                  {{"page", "/dev/kotak-keluar"},
                   {"effect", "messages are shown on a page, not sent: development only"}});
  install_pages(app);
  install_api(app);
}

}  // namespace balai::notify
