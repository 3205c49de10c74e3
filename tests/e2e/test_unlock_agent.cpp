// test_unlock_agent.cpp — kaappi unlock, lock, status and the agent, end to
// end with a real socket: later commands need no passphrase; the key is
// wiped by lock, by the idle timeout and the hard limit, by key passwd and
// when the agent stops; the socket's folder and mode; another user's
// connection; another key; systemd's socket activation.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "harness.h"

using namespace e2e;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool process_alive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

// An archive with customer 1001, and a runtime folder of its own for the agent.
struct AgentSandbox : Sandbox {
  std::string runtime = path("run");
  AgentSandbox() {
    init_archive_with_customer();
    REQUIRE(::mkdir(runtime.c_str(), 0700) == 0);
  }
  ~AgentSandbox() {
    int pid = agent_pid();
    if (pid > 0) ::kill(pid, SIGTERM);
  }
  std::map<std::string, std::string> env() const { return {{"XDG_RUNTIME_DIR", runtime}}; }
  // kaappi without a passphrase file (and no terminal): only the agent can unlock.
  Result bare(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {bin("kaappi"), "--archive", archive(), "--key", key()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, env());
  }
  Result unlock(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"unlock"};
    args.insert(args.end(), extra.begin(), extra.end());
    return kaappi(args, env());
  }
  nlohmann::json status() const {
    Result r = bare({"status", "--json"});
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
  int agent_pid() const {
    Result r = bare({"status", "--json"});
    if (r.exit_code != 0) return 0;
    auto j = nlohmann::json::parse(r.out);
    return j.value("agent_pid", 0);
  }
  std::string socket() const { return runtime + "/kaappi/agent.sock"; }
};

void require_unlocked_use(const AgentSandbox& s) {
  Result r = s.bare({"customer", "show", "1001"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "1001"));
}

void require_locked(const AgentSandbox& s) {
  Result r = s.bare({"customer", "show", "1001"});
  CHECK(r.exit_code == 3);  // it asks for the passphrase, and nobody can answer
  CHECK(contains(r.err, "passphrase"));
  CHECK(s.status()["unlocked"] == false);
}

}  // namespace

TEST_CASE("kaappi unlock: later commands need no passphrase, status says until when, -v says the agent was used",
          "[agent]") {
  AgentSandbox s;
  require_locked(s);
  Result r = s.unlock();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "Unlocked"));
  CHECK(contains(r.out, "at the latest until"));
  nlohmann::json st = s.status();
  CHECK(st["unlocked"] == true);
  CHECK(st["idle_seconds_left"].get<int>() > 590);
  CHECK(st["seconds_left_at_most"].get<int>() > 7190);
  Result text = s.bare({"status"});
  CHECK(contains(text.out, "unlocked until"));

  Result quiet = s.bare({"customer", "show", "1001"});
  REQUIRE(quiet.exit_code == 0);
  CHECK_FALSE(contains(quiet.err, "unlock agent"));
  Result verbose = s.bare({"-v", "customer", "show", "1001"});
  REQUIRE(verbose.exit_code == 0);
  CHECK(contains(verbose.err, "unlock agent"));

  // It signs: a change made through the agent is one verify accepts.
  Result add = s.bare({"customer", "add", "--number", "1002", "--name", "Agentti Oy"});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  Result full = s.kaappi({"verify", "--full"}, {{"KAAPPI_NO_AGENT", "1"}});
  INFO(full.out + full.err);
  CHECK(full.exit_code == 0);
  // --no-agent asks for the passphrase even when the agent holds the key.
  CHECK(s.bare({"--no-agent", "customer", "show", "1001"}).exit_code == 3);

  // The folder and the socket are the user's only; the agent writes no core.
  struct stat folder{}, sock{};
  REQUIRE(::stat((s.runtime + "/kaappi").c_str(), &folder) == 0);
  REQUIRE(::lstat(s.socket().c_str(), &sock) == 0);
  CHECK((folder.st_mode & 0777) == 0700);
  CHECK(S_ISSOCK(sock.st_mode));
  CHECK((sock.st_mode & 0777) == 0600);
  const int pid = s.agent_pid();
  REQUIRE(pid > 0);
  std::string limits = read_text("/proc/" + std::to_string(pid) + "/limits");
  CHECK(contains(limits, "Max core file size        0                    0"));
}

TEST_CASE("kaappi lock wipes the key at once, and says when nothing was unlocked", "[agent]") {
  AgentSandbox s;
  REQUIRE(s.unlock().exit_code == 0);
  require_unlocked_use(s);
  Result r = s.bare({"lock"});
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "Locked"));
  require_locked(s);
  Result again = s.bare({"lock"});
  REQUIRE(again.exit_code == 0);
  CHECK(contains(again.out, "Nothing was unlocked"));
}

TEST_CASE("the key is wiped after the idle timeout, and at the hard limit however often it is used", "[agent]") {
  AgentSandbox s;
  // Seconds, not less: a sanitized command on a loaded machine takes a second or two.
  SECTION("idle timeout") {
    REQUIRE(s.unlock({"--timeout", "5s"}).exit_code == 0);
    require_unlocked_use(s);
    const auto used = std::chrono::steady_clock::now();
    std::this_thread::sleep_until(used + std::chrono::milliseconds(6500));
    require_locked(s);
  }
  SECTION("hard limit") {
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(s.unlock({"--timeout", "6s", "--hard-limit", "10s"}).exit_code == 0);
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(6000)) {
      require_unlocked_use(s);  // each use gives it 6 s more, but never past 10 s
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    require_unlocked_use(s);  // used last at 6 s or later: the idle timeout alone would keep it until 12 s
    std::this_thread::sleep_until(start + std::chrono::milliseconds(11000));
    require_locked(s);
  }
}

TEST_CASE("key passwd and a stopped agent wipe the key", "[agent]") {
  AgentSandbox s;
  REQUIRE(s.unlock().exit_code == 0);
  require_unlocked_use(s);
  SECTION("key passwd") {
    write_text(s.path("newpass"), "another long passphrase for the test\n");
    Result r = s.kaappi({"key", "passwd", "--new-passphrase-file", s.path("newpass")}, s.env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "unlock agent's key was wiped"));
    require_locked(s);
  }
  SECTION("the agent stopped") {
    const int pid = s.agent_pid();
    REQUIRE(::kill(pid, SIGTERM) == 0);
    REQUIRE(eventually([&] { return !process_alive(pid); }, 5));
    CHECK_FALSE(file_exists(s.socket()));  // it removes the socket it made
    require_locked(s);
    CHECK(contains(s.bare({"status"}).out, "no unlock agent is running"));
  }
}

TEST_CASE("a command with another key asks for its passphrase, and status names the other key", "[agent]") {
  AgentSandbox s;
  REQUIRE(s.unlock().exit_code == 0);
  const std::string other_key = s.path("other.key"), other_archive = s.path("other");
  write_text(s.path("otherpass"), "the other archive's long passphrase\n");
  Result init = s.run({bin("kaappi"), "--archive", other_archive, "--key", other_key, "--passphrase-file",
                       s.path("otherpass"), "init", "--kdf", "interactive"},
                      s.env());
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  Result r = s.run({bin("kaappi"), "--archive", other_archive, "--key", other_key, "customer", "list"}, s.env());
  CHECK(r.exit_code == 3);
  Result st = s.run({bin("kaappi"), "--archive", other_archive, "--key", other_key, "status"}, s.env());
  CHECK(contains(st.out, "holds another key"));
  require_unlocked_use(s);  // the first key is still unlocked for its own commands
}

TEST_CASE("unlock refuses bad lengths of time and unusable socket folders before asking for the passphrase",
          "[agent]") {
  AgentSandbox s;
  // No passphrase file: a command that asked would fail with 3, not these.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"unlock", "--timeout", "soon"}, {"unlock", "--timeout", "3h"}, {"unlock", "--hard-limit", "30h"},
           {"unlock", "--timeout", "0s"}}) {
    Result r = s.bare(args);
    INFO(args[1] + " " + args[2] + ": " + r.err);
    CHECK(r.exit_code == 2);
  }
  SECTION("XDG_RUNTIME_DIR not set") {
    Result r = s.run({bin("kaappi"), "--archive", s.archive(), "--key", s.key(), "unlock"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "XDG_RUNTIME_DIR"));
    // Other commands work as before, with the passphrase.
    CHECK(s.kaappi({"customer", "show", "1001"}).exit_code == 0);
  }
  SECTION("a folder open to others") {
    REQUIRE(::mkdir((s.runtime + "/kaappi").c_str(), 0755) == 0);
    REQUIRE(::chmod((s.runtime + "/kaappi").c_str(), 0755) == 0);
    Result r = s.bare({"unlock"});
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, s.runtime + "/kaappi is open to other users"));
  }
  SECTION("a link in the folder's place") {
    REQUIRE(::mkdir(s.path("elsewhere").c_str(), 0700) == 0);
    REQUIRE(::symlink(s.path("elsewhere").c_str(), (s.runtime + "/kaappi").c_str()) == 0);
    Result r = s.bare({"unlock"});
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, s.runtime + "/kaappi"));
    CHECK(folder_entries(s.path("elsewhere")).empty());
  }
}

TEST_CASE("the agent closes a connection from another user unanswered", "[agent]") {
  REQUIRE(::getuid() == 0);  // the test becomes another user (CI runs as root)
  AgentSandbox s;
  REQUIRE(s.unlock().exit_code == 0);
  // Open the way to the socket, as a mistake or an attacker could.
  REQUIRE(::chmod(s.dir().c_str(), 0711) == 0);
  REQUIRE(::chmod(s.runtime.c_str(), 0711) == 0);
  REQUIRE(::chmod((s.runtime + "/kaappi").c_str(), 0711) == 0);
  REQUIRE(::chmod(s.socket().c_str(), 0666) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(10);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, s.socket().c_str(), sizeof a.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) ::_exit(11);
    // A status request: u32 length 1, kind 1.
    const unsigned char status[] = {1, 0, 0, 0, 1};
    if (::send(fd, status, sizeof status, MSG_NOSIGNAL) != sizeof status) ::_exit(0);  // already closed
    unsigned char reply[64];
    ssize_t n = ::recv(fd, reply, sizeof reply, 0);
    ::_exit(n <= 0 ? 0 : 12);  // closed unanswered: 0
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // A folder left open to others is refused by the commands (they would not trust what listens there) ...
  CHECK(contains(s.bare({"customer", "show", "1001"}).err, "is open to other users"));
  // ... and once closed again, the agent goes on serving its own user.
  REQUIRE(::chmod((s.runtime + "/kaappi").c_str(), 0700) == 0);
  require_unlocked_use(s);
}

TEST_CASE("the agent serves the socket systemd hands over (socket activation)", "[agent]") {
  AgentSandbox s;
  REQUIRE(::mkdir((s.runtime + "/kaappi").c_str(), 0700) == 0);
  int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, s.socket().c_str(), sizeof a.sun_path - 1);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(listener, 8) == 0);
  const std::string kaappi = bin("kaappi"), runtime_env = "XDG_RUNTIME_DIR=" + s.runtime;
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(listener, 3);
    std::string pid_env = "LISTEN_PID=" + std::to_string(::getpid());
    std::vector<std::string> env = {runtime_env, pid_env, "LISTEN_FDS=1", "PATH=/usr/bin:/bin"};
    for (const char* pass : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
      if (const char* v = std::getenv(pass)) env.push_back(std::string(pass) + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    char* argv[] = {const_cast<char*>(kaappi.c_str()), const_cast<char*>("agent"), nullptr};
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::close(listener);
  REQUIRE(s.unlock().exit_code == 0);
  CHECK(s.agent_pid() == child);  // unlock used the activated agent, not one of its own
  require_unlocked_use(s);
  ::kill(child, SIGTERM);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(file_exists(s.socket()));  // systemd's socket stays systemd's
  require_locked(s);
}
