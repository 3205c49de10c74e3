// agent_client.h — what a kaappi command asks of the unlock agent
// (agent_server.h): whether it holds a key and until when, to take a key
// unlocked by kaappi unlock, to lock, and — as an UnlockedKeySource for a
// Session — the key's operations, done by the agent over one connection per
// command. A command that finds no agent, or one holding another key, asks
// for the passphrase as it would without one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/bytes.h"
#include "keys/key_file.h"
#include "keys/secret_keys.h"

namespace kaappi::agent {

struct AgentStatus {
  bool running = false;
  int pid = 0;  // the agent's process
  std::string not_running;  // why not, when not
  bool unlocked = false;
  Bytes key_id;  // of the key held
  std::int64_t idle_left = 0, hard_left = 0, idle_timeout = 0;  // seconds
};

AgentStatus agent_status();

// Hands `key` to the running agent for `idle_seconds` after each use and at
// most `hard_seconds` in all (replacing any key it held). Throws
// ErrorKind::not_found when no agent runs.
void hand_key_to_agent(const UnlockedKey& key, std::int64_t idle_seconds, std::int64_t hard_seconds);

// Wipes the agent's key (when `key_id` is given: only that key); whether it
// held one. No agent running: false.
bool lock_agent(const Bytes& key_id = {});

// The agent as a Session's UnlockedKeySource.
class AgentKeySource final : public UnlockedKeySource {
 public:
  std::unique_ptr<SecretKeys> secret_keys_for(const KeyFile& file) override;
  std::string used_note() const override;
};

}  // namespace kaappi::agent
