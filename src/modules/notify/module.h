#pragma once
// The notify module as the app sees it: the outbox schema, its encrypted columns, the
// development outbox page and the housekeeping job that deletes old messages.
// The runtime owns the Outbox (App::outbox) and starts its delivery thread with the server.

#include <vector>

#include "app/app.h"
#include "db/migrator.h"
#include "security/reencryption.h"

namespace balai::notify {

// The outbox schema (embedded from migrations/ at build time).
std::vector<db::Migration> migrations();

// The outbox's encrypted columns (recipient, subject, body), for re-encryption after a key
// rotation (app::Runtime::encrypted_columns).
std::vector<security::EncryptedColumn> encrypted_columns();

// Registers the housekeeping job that purges old messages (Outbox::purge) and, when
// notify.dev_outbox is on, the development outbox: GET /dev/kotak-keluar (HTML) and
// GET /api/v1/dev/outbox (JSON, for tests that read the codes), both Cache-Control: no-store.
// With dev_outbox off those routes do not exist (404).
void install(app::App& app);

}  // namespace balai::notify
