#pragma once
// Re-encryption after a key rotation (issue: security core, "balai keys rotate adds a key and
// re-encrypts existing rows in batches while the server runs"). Every encrypted column is
// listed with the context its ciphertexts are bound to; rows still under an older key are
// decrypted and sealed again under the active key, a batch per transaction, each row updated
// only if nobody changed it meanwhile (compare-and-set on the old ciphertext), so a server
// writing at the same time loses nothing.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "db/database.h"
#include "security/field_cipher.h"

namespace balai::security {

// One encrypted column: the context of a row's ciphertext is context_prefix + the row's
// context_column (FieldCipher contexts such as "accounts.email/<external id>").
struct EncryptedColumn {
  std::string table;
  std::string column;
  std::string context_column;
  std::string context_prefix;
};

// The columns the security layer encrypts (accounts, sessions). Modules add their own.
std::vector<EncryptedColumn> security_encrypted_columns();

struct ReencryptionReport {
  int64_t examined = 0;     // rows with a ciphertext
  int64_t reencrypted = 0;  // sealed again under the active key
  int64_t skipped = 0;      // changed by someone else meanwhile (already current)
  int64_t unreadable = 0;   // did not decrypt (a lost key, tampering): left as they are
};

// Walks every column in batches of `batch` rows. Blocks; safe while servers run. Table and
// column names come from code, never from input.
[[nodiscard]] core::Result<ReencryptionReport> reencrypt(
    db::Database& db, const FieldCipher& cipher, const std::vector<EncryptedColumn>& columns,
    size_t batch = 200);

}  // namespace balai::security
