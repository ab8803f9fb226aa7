#include "security/key_ring.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <string_view>
#include <utility>

#include "core/files.h"
#include "core/ids.h"

namespace balai::security {
namespace {

constexpr int64_t kFormat = 1;
// A ring with a thousand rotations is still under 200 KiB; anything much larger is not ours.
constexpr size_t kMaxFileBytes = 256 * 1024;
constexpr int kB64Variant = sodium_base64_VARIANT_ORIGINAL;
constexpr size_t kB64KeyChars = sodium_base64_ENCODED_LEN(KeyRing::kKeyBytes, kB64Variant) - 1;

static_assert(KeyRing::kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(KeyRing::kKeyBytes == crypto_sign_SEEDBYTES);
static_assert(KeyRing::kPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(KeyRing::kSignatureBytes == crypto_sign_BYTES);

void ensure_sodium() {
  if (sodium_init() < 0) {
    std::fputs("balai: fatal: libsodium could not initialise\n", stderr);
    std::abort();
  }
}

// A string that holds secret text (the key file, its base64) and zeroes its whole buffer when
// it goes away. Callers reserve the full size up front so it never reallocates (a reallocation
// would free an unzeroed copy).
class SecretText {
 public:
  explicit SecretText(size_t capacity) { text_.reserve(capacity); }
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;
  ~SecretText() {
    text_.resize(text_.capacity());
    sodium_memzero(text_.data(), text_.size());
  }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

// An error that names the path and what is wrong, never a secret.
core::Error ring_error(const std::string& path, std::string_view what) {
  return core::make_error(core::ErrorCode::internal,
                          "keyring file " + path + " " + std::string(what));
}

core::Error os_error(const std::string& path, std::string_view doing, int err) {
  return ring_error(path, std::string(doing) + ": " + std::strerror(err));
}

// An open file descriptor, closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports whether the close succeeded (a failed close may lose written data).
  bool close() {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

// Holds an exclusive flock on `<path>.lock` while alive, so creating and rotating the ring are
// serialised between processes. Reading needs no lock: the file is replaced by rename.
class RingLock {
 public:
  static core::Result<RingLock> acquire(const std::string& path) {
    const std::string lock_path = path + ".lock";
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return os_error(path, "cannot open its lock file", errno);
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return os_error(path, "cannot lock it", err);
    }
    return RingLock(fd);
  }
  RingLock(RingLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  RingLock& operator=(RingLock&&) = delete;
  ~RingLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }

 private:
  explicit RingLock(int fd) : fd_(fd) {}
  int fd_;
};

// The ring is secret: owner-only, replaced atomically (the caller holds the ring lock).
core::Status write_atomically(const std::string& path, std::string_view text) {
  return core::write_file_atomically(path, text, 0600);
}

void append_base64(std::string& out, std::span<const uint8_t> bytes) {
  const size_t at = out.size();
  const size_t encoded = sodium_base64_ENCODED_LEN(bytes.size(), kB64Variant);
  out.resize(at + encoded);  // within the reserved capacity: no reallocation
  sodium_bin2base64(out.data() + at, encoded, bytes.data(), bytes.size(), kB64Variant);
  out.resize(at + encoded - 1);  // drop the terminating NUL
}

// Decodes exactly out.size() bytes of base64; false on anything else.
bool decode_base64(std::string_view b64, std::span<uint8_t> out) {
  size_t decoded = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), b64.data(), b64.size(), nullptr, &decoded, &end,
                        kB64Variant) != 0) {
    return false;
  }
  return decoded == out.size() && end == b64.data() + b64.size();
}

// Reads one base64 secret member of `obj` into `out`.
bool read_secret(const boost::json::object& obj, std::string_view name, std::span<uint8_t> out) {
  const auto* v = obj.if_contains(name);
  const auto* str = v ? v->if_string() : nullptr;
  return str && decode_base64(std::string_view(str->data(), str->size()), out);
}

}  // namespace

struct KeyRing::Secrets {
  // One data-encryption key; its bytes are zeroed when it goes away.
  struct DataKey {
    uint32_t id = 0;
    std::array<uint8_t, kKeyBytes> key{};
    core::Timestamp created_at;
    std::atomic<bool> active = false;  // flipped by a refresh while readers look

    DataKey() = default;
    DataKey(const DataKey&) = delete;
    DataKey& operator=(const DataKey&) = delete;
    ~DataKey() { sodium_memzero(key.data(), key.size()); }
  };

  // Ascending by id. Each key has its own allocation so rotation never moves (and leaves
  // behind unzeroed copies of) the existing ones.
  std::vector<std::unique_ptr<DataKey>> data_keys;
  // Guards data_keys against a refresh from disk (keys are only ever added, never moved or
  // freed, so a KeyView handed out stays valid after the lock is released).
  mutable std::shared_mutex mutex;
  std::string path;                                 // the file it came from; "" for generated rings
  mutable std::atomic<int64_t> last_refresh_ms{0};  // when the file was last looked at
  std::array<uint8_t, kKeyBytes> blind_index_key{};
  std::array<uint8_t, kKeyBytes> pepper{};
  std::array<uint8_t, crypto_sign_SEEDBYTES> signing_seed{};
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> signing_secret_key{};
  PublicKey signing_public_key{};

  Secrets() = default;
  Secrets(const Secrets&) = delete;
  Secrets& operator=(const Secrets&) = delete;
  ~Secrets() {
    sodium_memzero(blind_index_key.data(), blind_index_key.size());
    sodium_memzero(pepper.data(), pepper.size());
    sodium_memzero(signing_seed.data(), signing_seed.size());
    sodium_memzero(signing_secret_key.data(), signing_secret_key.size());
  }

  const DataKey* find(uint32_t id) const {
    for (const auto& k : data_keys) {
      if (k->id == id) return k.get();
    }
    return nullptr;
  }

  DataKey& active_key() const {
    for (const auto& k : data_keys) {
      if (k->active) return *k;
    }
    // Every way into a ring (generate, parse) checks there is exactly one active key.
    std::fputs("balai: fatal: key ring without an active key\n", stderr);
    std::abort();
  }

  // Same keys, same flags, same secrets: the file on disk still is this ring.
  bool same_as(const Secrets& other) const {
    if (data_keys.size() != other.data_keys.size()) return false;
    for (size_t i = 0; i < data_keys.size(); ++i) {
      const DataKey& a = *data_keys[i];
      const DataKey& b = *other.data_keys[i];
      if (a.id != b.id || a.active != b.active || a.created_at != b.created_at ||
          sodium_memcmp(a.key.data(), b.key.data(), a.key.size()) != 0) {
        return false;
      }
    }
    return sodium_memcmp(blind_index_key.data(), other.blind_index_key.data(), kKeyBytes) == 0 &&
           sodium_memcmp(pepper.data(), other.pepper.data(), kKeyBytes) == 0 &&
           sodium_memcmp(signing_seed.data(), other.signing_seed.data(), kKeyBytes) == 0;
  }

  static std::unique_ptr<DataKey> new_data_key(uint32_t id, core::Timestamp now) {
    auto key = std::make_unique<DataKey>();
    key->id = id;
    key->created_at = now;
    key->active = true;
    randombytes_buf(key->key.data(), key->key.size());
    return key;
  }

  static std::unique_ptr<Secrets> generate(core::Timestamp now) {
    ensure_sodium();
    auto s = std::make_unique<Secrets>();
    s->data_keys.push_back(new_data_key(1, now));
    randombytes_buf(s->blind_index_key.data(), s->blind_index_key.size());
    randombytes_buf(s->pepper.data(), s->pepper.size());
    crypto_sign_keypair(s->signing_public_key.data(), s->signing_secret_key.data());
    crypto_sign_ed25519_sk_to_seed(s->signing_seed.data(), s->signing_secret_key.data());
    return s;
  }

  // The file format (format 1):
  // {"format": 1,
  //  "data_keys": [{"id": 1, "created_at": <UTC ms>, "active": true, "key": "<base64>"}, ...],
  //  "blind_index_key": "<base64>", "pepper": "<base64>",
  //  "signing_public_key": "<base64>", "signing_seed": "<base64>"}
  // Written by hand rather than through boost::json so the only copy of the secret text is one
  // buffer, reserved once (generously: no reallocation), that is zeroed afterwards.
  core::Status write(const std::string& path) const {
    SecretText out(1024 + data_keys.size() * (160 + kB64KeyChars));
    std::string& s = out.text();
    s += "{\n  \"format\": 1,\n  \"data_keys\": [\n";
    for (size_t i = 0; i < data_keys.size(); ++i) {
      const DataKey& k = *data_keys[i];
      s += "    {\"id\": ";
      s += std::to_string(k.id);
      s += ", \"created_at\": ";
      s += std::to_string(k.created_at.ms);
      s += k.active ? ", \"active\": true" : ", \"active\": false";
      s += ", \"key\": \"";
      append_base64(s, k.key);
      s += i + 1 < data_keys.size() ? "\"},\n" : "\"}\n";
    }
    s += "  ],\n  \"blind_index_key\": \"";
    append_base64(s, blind_index_key);
    s += "\",\n  \"pepper\": \"";
    append_base64(s, pepper);
    s += "\",\n  \"signing_public_key\": \"";
    append_base64(s, signing_public_key);
    s += "\",\n  \"signing_seed\": \"";
    append_base64(s, signing_seed);
    s += "\"\n}\n";
    return write_atomically(path, s);
  }

  // Reads and parses an existing ring file. nullptr (no error) when there is no file at `path`.
  static core::Result<std::unique_ptr<Secrets>> read(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
      if (errno == ENOENT) return std::unique_ptr<Secrets>();
      return os_error(path, "cannot be opened", errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return os_error(path, "cannot be inspected", errno);
    if (!S_ISREG(st.st_mode)) return ring_error(path, "is not a regular file");
    if ((st.st_mode & 077) != 0) {
      return ring_error(path,
                        "must be mode 0600 (it allows group or other access; chmod 600 it and "
                        "treat the keys as exposed)");
    }
    if (static_cast<uint64_t>(st.st_size) > kMaxFileBytes) {
      return ring_error(path, "is malformed: too large");
    }
    // One byte more than the size so a file that grew under us is noticed.
    SecretText text(static_cast<size_t>(st.st_size) + 1);
    std::string& s = text.text();
    s.resize(static_cast<size_t>(st.st_size) + 1);
    size_t got = 0;
    while (got < s.size()) {
      const ssize_t n = ::read(fd.get(), s.data() + got, s.size() - got);
      if (n < 0) {
        if (errno == EINTR) continue;
        return os_error(path, "cannot be read", errno);
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    if (got > static_cast<size_t>(st.st_size)) return ring_error(path, "changed while being read");
    return parse(path, std::string_view(s.data(), got));
  }

  // Parses the file text. Every allocation of the parse (the secrets' base64 included) lands in
  // one arena that is zeroed before it is freed.
  static core::Result<std::unique_ptr<Secrets>> parse(const std::string& path,
                                                      std::string_view text) {
    std::vector<unsigned char> arena(8 * text.size() + 64 * 1024);
    core::Result<std::unique_ptr<Secrets>> result = ring_error(path, "is malformed: not JSON");
    try {
      boost::json::static_resource resource(arena.data(), arena.size());
      boost::json::storage_ptr storage(&resource);
      boost::json::parser parser(storage, {});
      parser.reset(storage);
      boost::system::error_code ec;
      parser.write(text.data(), text.size(), ec);
      if (!ec) {
        const boost::json::value doc = parser.release();
        result = from_document(path, doc);
      }
    } catch (const std::bad_alloc&) {
      result = ring_error(path, "is malformed: too large");
    }
    sodium_memzero(arena.data(), arena.size());
    return result;
  }

  static core::Result<std::unique_ptr<Secrets>> from_document(const std::string& path,
                                                              const boost::json::value& doc) {
    const auto malformed = [&](std::string_view what) {
      return ring_error(path, "is malformed: " + std::string(what));
    };
    const auto* root = doc.if_object();
    if (!root) return malformed("not a JSON object");
    const auto* format = root->if_contains("format");
    if (!format || !format->is_int64()) return malformed("no \"format\"");
    if (format->get_int64() != kFormat) {
      return ring_error(path, "has unsupported format " + std::to_string(format->get_int64()) +
                                  " (this build reads format 1)");
    }

    auto s = std::make_unique<Secrets>();
    const auto* keys = root->if_contains("data_keys");
    if (!keys || !keys->is_array() || keys->get_array().empty()) {
      return malformed("no \"data_keys\"");
    }
    int active = 0;
    for (const auto& item : keys->get_array()) {
      const auto* k = item.if_object();
      if (!k) return malformed("a data key is not an object");
      const auto* id = k->if_contains("id");
      const auto* created = k->if_contains("created_at");
      const auto* is_active = k->if_contains("active");
      if (!id || !id->is_int64() || id->get_int64() < 1 || id->get_int64() > UINT32_MAX) {
        return malformed("a data key has no valid \"id\"");
      }
      if (!created || !created->is_int64()) return malformed("a data key has no \"created_at\"");
      if (!is_active || !is_active->is_bool()) return malformed("a data key has no \"active\"");
      auto key = std::make_unique<DataKey>();
      key->id = static_cast<uint32_t>(id->get_int64());
      key->created_at = core::Timestamp{created->get_int64()};
      key->active = is_active->get_bool();
      if (!read_secret(*k, "key", key->key)) {
        return malformed("data key " + std::to_string(key->id) + " is not 32 bytes of base64");
      }
      if (s->find(key->id)) return malformed("data key " + std::to_string(key->id) + " repeats");
      if (key->active) ++active;
      s->data_keys.push_back(std::move(key));
    }
    if (active != 1) return malformed("not exactly one active data key");
    std::sort(s->data_keys.begin(), s->data_keys.end(),
              [](const auto& a, const auto& b) { return a->id < b->id; });

    if (!read_secret(*root, "blind_index_key", s->blind_index_key)) {
      return malformed("\"blind_index_key\" is not 32 bytes of base64");
    }
    if (!read_secret(*root, "pepper", s->pepper)) {
      return malformed("\"pepper\" is not 32 bytes of base64");
    }
    if (!read_secret(*root, "signing_seed", s->signing_seed)) {
      return malformed("\"signing_seed\" is not 32 bytes of base64");
    }
    PublicKey stored_public{};
    if (!read_secret(*root, "signing_public_key", stored_public)) {
      return malformed("\"signing_public_key\" is not 32 bytes of base64");
    }
    crypto_sign_seed_keypair(s->signing_public_key.data(), s->signing_secret_key.data(),
                             s->signing_seed.data());
    if (sodium_memcmp(stored_public.data(), s->signing_public_key.data(), kPublicKeyBytes) != 0) {
      return malformed("\"signing_public_key\" does not belong to \"signing_seed\"");
    }
    return s;
  }
};

KeyRing::KeyRing(std::unique_ptr<Secrets> secrets) : secrets_(std::move(secrets)) {}
KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;
KeyRing::~KeyRing() = default;

core::Result<KeyRing> KeyRing::load_or_create(const std::string& path, core::Timestamp now) {
  ensure_sodium();
  auto existing = Secrets::read(path);
  if (!existing) return existing.take_error();
  if (*existing) {
    (*existing)->path = path;
    return KeyRing(std::move(*existing));
  }

  auto lock = RingLock::acquire(path);
  if (!lock) return lock.take_error();
  // Another process may have created it while this one waited for the lock.
  existing = Secrets::read(path);
  if (!existing) return existing.take_error();
  if (*existing) return KeyRing(std::move(*existing));

  auto secrets = Secrets::generate(now);
  BALAI_TRY(secrets->write(path));
  secrets->path = path;
  return KeyRing(std::move(secrets));
}

KeyRing KeyRing::generate(core::Timestamp now) {
  return KeyRing(Secrets::generate(now));
}

core::Status KeyRing::rotate(const std::string& path, core::Timestamp now) {
  auto lock = RingLock::acquire(path);
  if (!lock) return lock.take_error();
  auto on_disk = Secrets::read(path);
  if (!on_disk) return on_disk.take_error();
  if (*on_disk && !(*on_disk)->same_as(*secrets_)) {
    return core::make_error(core::ErrorCode::conflict,
                            "keyring file " + path +
                                " changed since it was loaded (rotated elsewhere?); load it again");
  }

  std::unique_lock write_lock(secrets_->mutex);
  const uint32_t last_id = secrets_->data_keys.back()->id;
  if (last_id == UINT32_MAX) return ring_error(path, "has no key id left to rotate to");
  Secrets::DataKey& previous = secrets_->active_key();
  previous.active = false;
  secrets_->data_keys.push_back(Secrets::new_data_key(last_id + 1, now));
  const core::Status written = secrets_->write(path);
  if (!written) {
    secrets_->data_keys.pop_back();
    previous.active = true;
  }
  return written;
}

bool KeyRing::refresh() const {
  if (secrets_->path.empty()) return false;
  auto on_disk = Secrets::read(secrets_->path);
  if (!on_disk || !*on_disk) return false;
  Secrets& disk = **on_disk;
  // Only a ring that grew from this one is taken: same index key, pepper and signing key.
  if (sodium_memcmp(disk.blind_index_key.data(), secrets_->blind_index_key.data(), kKeyBytes) !=
          0 ||
      sodium_memcmp(disk.pepper.data(), secrets_->pepper.data(), kKeyBytes) != 0 ||
      sodium_memcmp(disk.signing_seed.data(), secrets_->signing_seed.data(), kKeyBytes) != 0) {
    std::fputs("balai: key ring file no longer matches the loaded ring; not reloaded\n", stderr);
    return false;
  }
  std::vector<std::pair<uint32_t, bool>> flags;
  for (const auto& key : disk.data_keys) flags.emplace_back(key->id, key->active.load());
  bool changed = false;
  std::unique_lock lock(secrets_->mutex);
  for (auto& key : disk.data_keys) {
    if (const Secrets::DataKey* known = secrets_->find(key->id)) {
      // The same id with other bytes is not a rotation of this ring: take nothing more.
      if (sodium_memcmp(known->key.data(), key->key.data(), kKeyBytes) != 0) return changed;
      continue;
    }
    secrets_->data_keys.push_back(std::move(key));
    changed = true;
  }
  std::sort(secrets_->data_keys.begin(), secrets_->data_keys.end(),
            [](const auto& a, const auto& b) { return a->id < b->id; });
  // Adopt the file's active key (exactly one: Secrets::read checked).
  for (const auto& mine : secrets_->data_keys) {
    bool active = false;
    for (const auto& [id, flag] : flags)
      if (id == mine->id) active = flag;
    if (mine->active != active) changed = true;
    mine->active = active;
  }
  return changed;
}

uint32_t KeyRing::active_key_id() const {
  // A rotation by `balai keys rotate` while this process runs: look at the file now and then,
  // so new rows soon use the new key too.
  const int64_t now = core::SystemClock{}.now().ms;
  const int64_t last = secrets_->last_refresh_ms.load();
  int64_t expected = last;
  if (!secrets_->path.empty() && now - last >= kRefreshEveryMs &&
      secrets_->last_refresh_ms.compare_exchange_strong(expected, now)) {
    refresh();
  }
  std::shared_lock lock(secrets_->mutex);
  return secrets_->active_key().id;
}

std::optional<KeyRing::KeyView> KeyRing::data_key(uint32_t id) const {
  {
    std::shared_lock lock(secrets_->mutex);
    if (const Secrets::DataKey* key = secrets_->find(id)) return KeyView(key->key);
  }
  // A key this process has not seen: rotated by another process. Read the file again.
  if (!refresh()) return std::nullopt;
  std::shared_lock lock(secrets_->mutex);
  const Secrets::DataKey* key = secrets_->find(id);
  if (!key) return std::nullopt;
  return KeyView(key->key);
}

std::vector<KeyRing::DataKeyInfo> KeyRing::data_keys() const {
  std::shared_lock lock(secrets_->mutex);
  std::vector<DataKeyInfo> out;
  out.reserve(secrets_->data_keys.size());
  for (const auto& k : secrets_->data_keys) out.push_back({k->id, k->created_at, k->active});
  return out;
}

KeyRing::KeyView KeyRing::blind_index_key() const {
  return KeyView(secrets_->blind_index_key);
}

KeyRing::KeyView KeyRing::pepper() const {
  return KeyView(secrets_->pepper);
}

KeyRing::PublicKey KeyRing::signing_public_key() const {
  return secrets_->signing_public_key;
}

KeyRing::Signature KeyRing::sign(std::span<const uint8_t> message) const {
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                       secrets_->signing_secret_key.data());
  return signature;
}

bool KeyRing::verify_signature(std::span<const uint8_t> public_key,
                               std::span<const uint8_t> message,
                               std::span<const uint8_t> signature) {
  if (public_key.size() != kPublicKeyBytes || signature.size() != kSignatureBytes) return false;
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace balai::security
