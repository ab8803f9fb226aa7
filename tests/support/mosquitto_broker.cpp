#include "support/mosquitto_broker.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/ids.h"

extern char** environ;

namespace balai::testing {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kStartDeadline = std::chrono::seconds(10);
constexpr auto kStopGrace = std::chrono::seconds(5);
constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr int kPortAttempts = 5;

// A port nothing listens on right now. Another process may take it before the broker binds it;
// start-up then fails and is retried on a new port.
uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("mosquitto broker: no socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("mosquitto broker: no free port on 127.0.0.1");
  return ntohs(addr.sin_port);
}

bool accepts_connections(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void write_file(const fs::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out) throw std::runtime_error("mosquitto broker: cannot write " + path.string());
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
}

// True once `pid` has ended (and is reaped).
bool ended(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

std::string MosquittoBroker::binary() {
  const char* bin = std::getenv("BALAI_MOSQUITTO_BIN");
  return bin && *bin ? bin : "/usr/sbin/mosquitto";
}

bool MosquittoBroker::available() {
  return ::access(binary().c_str(), X_OK) == 0;
}

MosquittoBroker::MosquittoBroker() : MosquittoBroker(Options{}) {}

MosquittoBroker::MosquittoBroker(Options options) : options_(std::move(options)) {
  dir_ = fs::temp_directory_path() / ("balai-mqtt-" + core::random_hex_id().substr(0, 12));
  fs::create_directories(dir_);
  try {
    if (!options_.password_file.empty()) write_file(dir_ / "passwd", options_.password_file);
    if (!options_.acl_file.empty()) write_file(dir_ / "acl", options_.acl_file);
    for (int attempt = 1;; ++attempt) {
      port_ = free_port();
      try {
        launch();
        break;
      } catch (const std::runtime_error&) {
        if (attempt == kPortAttempts) throw;
      }
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir_, ec);  // the destructor does not run when the constructor throws
    throw;
  }
}

MosquittoBroker::~MosquittoBroker() {
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void MosquittoBroker::start() {
  if (running()) return;
  // The same port: clients reconnect to where the broker was. A lingering socket of the old
  // process can delay the bind briefly, so failed launches are retried until the deadline.
  const auto deadline = Clock::now() + kStartDeadline;
  for (;;) {
    try {
      launch();
      return;
    } catch (const std::runtime_error&) {
      if (Clock::now() > deadline) throw;
      std::this_thread::sleep_for(kPoll);
    }
  }
}

void MosquittoBroker::restart() {
  stop();
  start();
}

void MosquittoBroker::stop() {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopGrace;
  while (!ended(pid_)) {
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(kPoll);
  }
  pid_ = -1;
}

std::string MosquittoBroker::log() const {
  std::ifstream in(dir_ / "broker.log");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void MosquittoBroker::launch() {
  std::string conf = "listener " + std::to_string(port_) + " 127.0.0.1\n";
  conf += options_.allow_anonymous ? "allow_anonymous true\n" : "allow_anonymous false\n";
  if (!options_.password_file.empty()) conf += "password_file " + (dir_ / "passwd").string() + "\n";
  if (!options_.acl_file.empty()) conf += "acl_file " + (dir_ / "acl").string() + "\n";
  conf += "persistence false\nlog_dest stderr\nlog_type all\n";
  // Started as root, Mosquitto switches to the user "mosquitto", which cannot read files in a
  // private temporary folder; "root" tells it to stay (it warns, which is fine in a test).
  if (::geteuid() == 0) conf += "user root\n";
  write_file(dir_ / "mosquitto.conf", conf);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_path = (dir_ / "broker.log").string();
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> args = {binary(), "-c", (dir_ / "mosquitto.conf").string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("mosquitto broker: cannot run " + binary());

  const auto deadline = Clock::now() + kStartDeadline;
  for (;;) {
    if (ended(pid)) {
      throw std::runtime_error("mosquitto broker exited on port " + std::to_string(port_) +
                               "; its log:\n" + log());
    }
    if (accepts_connections(port_)) {
      pid_ = pid;
      write_file(pid_path(), std::to_string(pid) + "\n");
      return;
    }
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      throw std::runtime_error("mosquitto broker did not accept connections on port " +
                               std::to_string(port_) + " within 10 s; its log:\n" + log());
    }
    std::this_thread::sleep_for(kPoll);
  }
}

}  // namespace balai::testing
