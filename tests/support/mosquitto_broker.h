#pragma once
// A real Mosquitto broker for tests: /usr/sbin/mosquitto (or BALAI_MOSQUITTO_BIN) on a free
// 127.0.0.1 port, with its own configuration, password and ACL files in a fresh temporary
// folder. Nothing is persisted; the broker's log is kept for failure messages.
//
// The broker binary is optional on a developer's machine (install-deps and CI install it), so
// a test that needs one starts with BALAI_SKIP_WITHOUT_MOSQUITTO(). CI's own broker
// (BALAI_TEST_MQTT) is not used: these tests need a broker configured their way.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace balai::testing {

class MosquittoBroker {
 public:
  struct Options {
    // Clients without a user name may connect. Mosquitto 2.0 refuses them unless told.
    bool allow_anonymous = true;
    // The contents of the password file (mosquitto_passwd format); "" -> none.
    std::string password_file;
    // The contents of the ACL file; "" -> none (every client may use every topic).
    std::string acl_file;
  };

  // True when the broker binary exists and is executable.
  static bool available();
  static std::string binary();

  // Starts the broker and waits (up to 10 s) until it accepts TCP connections. Throws
  // std::runtime_error, with the broker's log, when it cannot.
  MosquittoBroker();
  explicit MosquittoBroker(Options options);
  // Stops the broker (SIGTERM, then SIGKILL after 5 s) and removes the temporary folder.
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  uint16_t port() const { return port_; }
  // Stops the broker; its clients see the connection drop. No-op when stopped.
  void stop();
  // Starts it again on the same port with the same files (after stop()).
  void start();
  // stop() then start(): what a client's automatic reconnect must survive.
  void restart();
  bool running() const { return pid_ > 0; }
  // The broker's password and ACL files (given in Options; a test may rewrite them, as Balai
  // does, and then reload()) and a file holding its pid (what Balai signals).
  std::filesystem::path password_path() const { return dir_ / "passwd"; }
  std::filesystem::path acl_path() const { return dir_ / "acl"; }
  std::filesystem::path pid_path() const { return dir_ / "broker.pid"; }
  // What the broker wrote to stdout and stderr so far (for failure messages).
  std::string log() const;

 private:
  void launch();

  Options options_;
  std::filesystem::path dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace balai::testing

// Skips the current test when no broker binary is installed.
#define BALAI_SKIP_WITHOUT_MOSQUITTO()                                                         \
  do {                                                                                         \
    if (!::balai::testing::MosquittoBroker::available())                                       \
      GTEST_SKIP() << "no Mosquitto broker at " << ::balai::testing::MosquittoBroker::binary() \
                   << " (apt-get install mosquitto)";                                          \
  } while (0)
