// agent_server.h — the unlock agent (kaappi agent): holds one unlocked key
// in locked, wiped memory and does its operations for kaappi commands of the
// same user (keys/secret_keys.h: sign, open what was sealed to the archive,
// derive the index's keys), never handing out the key file's secrets or the
// passphrase, which it never sees. The key is wiped when asked (lock), after
// the idle timeout since its last use, at the hard limit after it was
// unlocked, and when the agent stops. Each connection is served on a thread
// of its own; a connection from another user is closed unanswered.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "base/file_io.h"

namespace kaappi::agent {

struct AgentLimits {
  std::int64_t default_idle_seconds = 10 * 60;
  std::int64_t default_hard_seconds = 2 * 3600;
  // With no key held and nobody connected for this long, the agent ends
  // (it is started again on demand, or by its socket unit).
  std::int64_t exit_when_empty_seconds = 30;
};

// Serves `listener` until `stop_fd` becomes readable (a signal handler
// writes to it) or, holding no key, nobody used it for
// exit_when_empty_seconds. Every held key is wiped before it returns.
void serve_agent(const Fd& listener, int stop_fd, const AgentLimits& limits = {});

}  // namespace kaappi::agent
