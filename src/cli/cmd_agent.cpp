// cmd_agent.cpp — the unlock agent's commands: kaappi unlock [--timeout D]
// [--hard-limit D] (asks for the passphrase once and hands the unlocked key
// to the agent, started on demand), kaappi lock, kaappi status, and kaappi
// agent (the agent itself: run on demand by unlock, or by its systemd user
// socket unit).
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <iostream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "agent/agent_client.h"
#include "agent/agent_protocol.h"
#include "agent/agent_server.h"
#include "agent/agent_socket.h"
#include "base/dates.h"
#include "base/duration.h"
#include "cli/cli.h"
#include "cli/terminal_passphrase.h"
#include "keys/passphrase_tries.h"

namespace kaappi::cli {
namespace {

std::int64_t duration_option(const std::string& text, const std::string& flag) {
  std::optional<std::int64_t> seconds = parse_duration(text);
  if (!seconds || *seconds < 1)
    fail(ErrorKind::usage, flag + " " + printable(text) + " is not a length of time: write it as 90s, 10m, 2h or 1h30m");
  return *seconds;
}

// "17:45", or "2026-11-29 01:15" when it is not today.
std::string clock_time(std::int64_t seconds_from_now) {
  const std::int64_t at = static_cast<std::int64_t>(std::time(nullptr)) + seconds_from_now;
  std::string full = format_time(at);  // YYYY-MM-DD HH:MM
  return full.substr(0, 10) == today() ? full.substr(11) : full;
}

// Starts `kaappi agent` in the background, on its own (a new session, no
// terminal, standard files on /dev/null), and waits until it answers.
void start_agent() {
  pid_t child = ::fork();
  if (child < 0) fail(ErrorKind::io, std::string("cannot start the unlock agent: ") + std::strerror(errno));
  if (child == 0) {
    ::setsid();
    if (::fork() != 0) ::_exit(0);  // the agent is nobody's child that waits for it
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);
    char program[] = "kaappi", agent[] = "agent";
    char* argv[] = {program, agent, nullptr};
    ::execv("/proc/self/exe", argv);
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  for (int i = 0; i < 100; ++i) {  // up to 5 s
    if (agent::agent_status().running) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  fail(ErrorKind::io, "the unlock agent did not start (run kaappi agent in a terminal to see why)");
}

void run_unlock(Globals& g, const std::string& timeout_text, const std::string& hard_text) {
  const std::int64_t idle = duration_option(timeout_text, "--timeout");
  const std::int64_t hard = duration_option(hard_text, "--hard-limit");
  if (hard > agent::k_max_hard_limit_seconds)
    fail(ErrorKind::usage, "--hard-limit may be at most " + describe_duration(agent::k_max_hard_limit_seconds));
  if (idle > hard)
    fail(ErrorKind::usage, "--timeout " + printable(timeout_text) + " is longer than the hard limit (" +
                               describe_duration(hard) + ", --hard-limit)");
  agent::open_agent_folder();  // XDG_RUNTIME_DIR and the folder are usable, before the passphrase is asked
  const std::string path = g.key_path();
  KeyFile file = KeyFile::load(path);
  UnlockedKey key = unlock_with_passphrase(file, passphrase_source(g.passphrase_file), "Passphrase for " + path);
  if (!agent::agent_status().running) start_agent();
  agent::hand_key_to_agent(key, idle, hard);
  if (g.json) {
    print_json({{"key_file", path}, {"key_id", to_hex(file.key_id())}, {"idle_timeout_seconds", idle},
                {"hard_limit_seconds", hard}});
    return;
  }
  std::cout << "Unlocked " << printable(path) << " until " << clock_time(idle) << " if unused (each use gives it "
            << describe_duration(idle) << " more), at the latest until " << clock_time(hard)
            << ". kaappi lock locks it now.\n";
}

void run_lock(Globals& g) {
  const bool held = agent::lock_agent();
  if (g.json) {
    print_json({{"locked", held}});
    return;
  }
  std::cout << (held ? "Locked: the unlock agent's key was wiped.\n" : "Nothing was unlocked.\n");
}

void run_status(Globals& g) {
  const std::string path = g.key_path();
  std::optional<KeyFile> file;
  std::string key_problem;
  try {
    file = KeyFile::load(path);
  } catch (const Error& e) {
    key_problem = e.what();
  }
  agent::AgentStatus s = agent::agent_status();
  const bool this_key = s.unlocked && file && s.key_id == file->key_id();
  if (g.json) {
    nlohmann::json j = {{"archive", g.archive_path()}, {"key_file", path}, {"agent_running", s.running},
                        {"unlocked", this_key}};
    if (s.running) j["agent_pid"] = s.pid;
    if (file) j["key_id"] = to_hex(file->key_id());
    if (this_key) {
      j["idle_seconds_left"] = s.idle_left;
      j["seconds_left_at_most"] = s.hard_left;
      j["until"] = format_time(static_cast<std::int64_t>(std::time(nullptr)) + s.idle_left);
    } else if (s.unlocked) {
      j["agent_key_id"] = to_hex(s.key_id);
    }
    print_json(j);
    return;
  }
  std::cout << "archive: " << printable(g.archive_path()) << "\n"
            << "key:     " << printable(path);
  if (file) std::cout << " (key id " << to_hex(file->key_id()) << ")";
  else std::cout << " (" << printable(key_problem) << ")";
  std::cout << "\n";
  if (this_key)
    std::cout << "unlocked until " << clock_time(s.idle_left) << " if unused (" << describe_duration(s.idle_timeout)
              << " after each use), at the latest until " << clock_time(s.hard_left) << "\n";
  else if (s.unlocked)
    std::cout << "locked (the unlock agent holds another key, id " << to_hex(s.key_id) << ")\n";
  else if (s.running)
    std::cout << "locked\n";
  else
    std::cout << "locked (" << printable(s.not_running) << ")\n";
}

int g_stop_pipe[2] = {-1, -1};
extern "C" void on_stop_signal(int) {
  const char byte = 1;
  ssize_t ignored = ::write(g_stop_pipe[1], &byte, 1);
  (void)ignored;
}

void run_agent() {
  Dir folder = agent::open_agent_folder();
  Fd lock = agent::take_agent_lock(folder);
  if (!lock.valid()) fail(ErrorKind::rejected, "an unlock agent is already running for this user");
  agent::Listener listener = agent::listen_as_agent(folder);
  if (::pipe2(g_stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
    fail(ErrorKind::io, std::string("cannot make a pipe: ") + std::strerror(errno));
  struct sigaction sa{};
  sa.sa_handler = on_stop_signal;
  ::sigemptyset(&sa.sa_mask);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(sig, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  agent::serve_agent(listener.fd, g_stop_pipe[0]);
  if (!listener.handed_over) folder.remove("agent.sock");
}

}  // namespace

void register_agent(CLI::App& app, Globals& g) {
  auto timeout = std::make_shared<std::string>("10m");
  auto hard = std::make_shared<std::string>("2h");
  auto* unlock = app.add_subcommand("unlock", "unlock the key once for the commands that follow (the unlock agent)");
  unlock->add_option("--timeout", *timeout, "lock again after this long without use (default 10m)");
  unlock->add_option("--hard-limit", *hard, "lock at the latest this long after unlocking (default 2h, at most 24h)");
  unlock->footer(
      "Examples:\n  kaappi unlock\n  kaappi unlock --timeout 30m\n"
      "Asks for the passphrase once and hands the unlocked key to your unlock agent (kaappi agent, started\n"
      "when needed); later commands use it without asking. It is wiped by kaappi lock, after the timeout,\n"
      "at the hard limit, on kaappi key passwd, and when the agent stops. While it is unlocked, any program\n"
      "you run as this user can ask the agent to open and sign (README, \"The unlock agent\").");
  unlock->callback([&g, timeout, hard] { run_unlock(g, *timeout, *hard); });

  auto* lock = app.add_subcommand("lock", "wipe the unlocked key from the unlock agent now");
  lock->footer("Example:\n  kaappi lock\nSays \"Nothing was unlocked.\" when the agent held no key (exit 0 either way).");
  lock->callback([&g] { run_lock(g); });

  auto* status = app.add_subcommand("status", "say which archive and key are used, and whether the key is unlocked");
  status->footer("Examples:\n  kaappi status\n  kaappi status --json");
  status->callback([&g] { run_status(g); });

  auto* agent = app.add_subcommand("agent", "run the unlock agent (kaappi unlock starts it; or its systemd user socket)");
  agent->footer(
      "Example:\n  kaappi agent\nRun it in a terminal to see why kaappi unlock could not start it.\n"
      "Listens on $XDG_RUNTIME_DIR/kaappi/agent.sock (folder 0700, socket 0600) for your own commands only,\n"
      "or on the socket systemd hands over (kaappi-agent.socket). Ends on SIGTERM, wiping the key, and by\n"
      "itself when it holds no key and nobody used it for 30 s.");
  agent->callback([] { run_agent(); });
}

}  // namespace kaappi::cli
