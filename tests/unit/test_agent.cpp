// test_agent.cpp — the unlock agent in-process: its operations give what
// the key's own do (signatures, opened values, derived keys) and nothing
// else; an unlock whose halves do not belong together, a request it cannot
// read, a kind it does not know and a key it does not hold are refused; a
// connection that sent nonsense is closed and the agent goes on serving.
#include <sodium.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "agent/agent_client.h"
#include "agent/agent_protocol.h"
#include "agent/agent_server.h"
#include "agent/agent_socket.h"
#include "base/error.h"

using namespace kaappi;

namespace {

SecretBuffer passphrase_of(const std::string& text) {
  SecretBuffer p(text.size());
  std::copy(text.begin(), text.end(), p.data());
  return p;
}

// An agent serving on a thread, in a runtime folder of its own.
struct RunningAgent {
  std::string runtime;
  int stop[2] = {-1, -1};
  std::thread thread;
  RunningAgent() {
    char t[] = "/tmp/kaappi-agent-XXXXXX";
    REQUIRE(::mkdtemp(t));
    runtime = t;
    ::setenv("XDG_RUNTIME_DIR", runtime.c_str(), 1);
    REQUIRE(::pipe(stop) == 0);
    Dir folder = agent::open_agent_folder();
    auto listener = std::make_shared<agent::Listener>(agent::listen_as_agent(folder));
    thread = std::thread([this, listener] { agent::serve_agent(listener->fd, stop[0]); });
  }
  ~RunningAgent() {
    const char b = 1;
    REQUIRE(::write(stop[1], &b, 1) == 1);
    thread.join();
    ::close(stop[0]);
    ::close(stop[1]);
    std::filesystem::remove_all(runtime);
  }
};

struct Key {
  UnlockedKey key;
  KeyFile file;
  Key() : file(KeyFile::generate(passphrase_of("a passphrase for the agent test"), KdfCost::named("interactive"), key)) {}
};

// A raw request on a connection of its own; the reply, or nothing when the agent closed it.
std::optional<agent::Message> raw(const SecretBuffer& request) {
  Fd fd = agent::connect_to_agent();
  REQUIRE(fd.valid());
  agent::send_message(fd.get(), request);
  return agent::receive_message(fd.get());
}

}  // namespace

TEST_CASE("the agent signs, opens and derives as the key itself does, and hands out nothing else", "[agent]") {
  RunningAgent running;
  Key k;
  agent::hand_key_to_agent(k.key, 60, 120);
  agent::AgentKeySource source;
  std::unique_ptr<SecretKeys> held = source.secret_keys_for(k.file);
  REQUIRE(held);
  const KeyFileSecrets own(k.key);
  CHECK(held->box_pk() == own.box_pk());
  CHECK(held->sign_pk() == own.sign_pk());
  const Bytes digest(32, 0x5a);
  CHECK(held->sign(digest) == own.sign(digest));

  Bytes value = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  Bytes sealed(value.size() + crypto_box_SEALBYTES);
  crypto_box_seal(sealed.data(), value.data(), value.size(), k.key.box_pk.data());
  std::optional<SecretBuffer> opened = held->open_sealed(sealed);
  REQUIRE(opened);
  CHECK(Bytes(opened->bytes().begin(), opened->bytes().end()) == value);
  sealed[5] ^= 1;
  CHECK_FALSE(held->open_sealed(sealed));  // altered: does not open
  CHECK_FALSE(held->open_sealed(Bytes(10, 0)));  // too short to be sealed

  for (ArchiveKey which : {ArchiveKey::field, ArchiveKey::blind_index, ArchiveKey::content_tag, ArchiveKey::customer_wrap,
                           ArchiveKey::form_code})
    CHECK(secret_equal(held->derive(which), own.derive(which)));

  // No request gives a derived key it does not give, or anything for a key it does not hold.
  const Bytes key_id = k.file.key_id();
  for (std::uint64_t which : {std::uint64_t{0}, static_cast<std::uint64_t>(ArchiveKey::last) + 1, std::uint64_t{1} << 40}) {
    auto reply = raw(agent::encode(agent::Kind::derive, {key_id, agent::u64_part(which)}));
    REQUIRE(reply);
    CHECK(reply->kind == agent::Kind::error);
  }
  auto other = raw(agent::encode(agent::Kind::sign, {Bytes(8, 0), digest}));
  REQUIRE(other);
  CHECK(other->kind == agent::Kind::not_unlocked);

  // Another key file finds nothing to use; the key it holds stays.
  Key another;
  CHECK_FALSE(source.secret_keys_for(another.file));
  CHECK_FALSE(agent::lock_agent(another.file.key_id()));
  CHECK(agent::agent_status().unlocked);

  // Locked: the session's next operation fails, saying so.
  CHECK(agent::lock_agent(key_id));
  CHECK_FALSE(agent::agent_status().unlocked);
  try {
    held->sign(digest);
    FAIL("signed after the lock");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()).find("kaappi unlock") != std::string::npos);
  }
}

TEST_CASE("the agent refuses an unlock whose halves do not belong together or whose times are wrong", "[agent]") {
  RunningAgent running;
  Key k, other;
  SECTION("another key's public half") {
    k.key.box_pk = other.key.box_pk;
    CHECK_THROWS_AS(agent::hand_key_to_agent(k.key, 60, 120), Error);
  }
  SECTION("another key's signing half") {
    k.key.sign_pk = other.key.sign_pk;
    CHECK_THROWS_AS(agent::hand_key_to_agent(k.key, 60, 120), Error);
  }
  SECTION("an idle timeout past the hard limit") {
    CHECK_THROWS_AS(agent::hand_key_to_agent(k.key, 121, 120), Error);
  }
  SECTION("no idle timeout") {
    CHECK_THROWS_AS(agent::hand_key_to_agent(k.key, 0, 120), Error);
  }
  CHECK_FALSE(agent::agent_status().unlocked);
}

TEST_CASE("a request the agent cannot read closes its connection, and the agent goes on", "[agent]") {
  RunningAgent running;
  Key k;
  agent::hand_key_to_agent(k.key, 60, 120);
  SECTION("a part running past the end") {
    SecretBuffer bad(4 + 1 + 4);
    const std::uint8_t bytes[] = {5, 0, 0, 0, 4, 200, 0, 0, 0};
    std::copy(bytes, bytes + sizeof bytes, bad.data());
    Fd fd = agent::connect_to_agent();
    agent::send_message(fd.get(), bad);
    CHECK_FALSE(agent::receive_message(fd.get()));  // closed unanswered
  }
  SECTION("a kind it does not know") {
    auto reply = raw(agent::encode(static_cast<agent::Kind>(99), {}));
    REQUIRE(reply);
    CHECK(reply->kind == agent::Kind::error);
  }
  SECTION("a message longer than any it takes") {
    Fd fd = agent::connect_to_agent();
    const std::uint32_t huge = agent::k_max_message + 1;
    std::uint8_t head[4] = {static_cast<std::uint8_t>(huge), static_cast<std::uint8_t>(huge >> 8),
                            static_cast<std::uint8_t>(huge >> 16), static_cast<std::uint8_t>(huge >> 24)};
    REQUIRE(::send(fd.get(), head, 4, MSG_NOSIGNAL) == 4);
    std::uint8_t reply[8];
    CHECK(::recv(fd.get(), reply, sizeof reply, 0) <= 0);
  }
  SECTION("wrong counts of parts") {
    for (agent::Kind kind : {agent::Kind::status, agent::Kind::sign, agent::Kind::derive, agent::Kind::unlock}) {
      auto reply = raw(agent::encode(kind, {Bytes(3, 1), Bytes(3, 1), Bytes(3, 1)}));
      REQUIRE(reply);
      CHECK(reply->kind == agent::Kind::error);
    }
  }
  // Still serving, still holding the key.
  agent::AgentKeySource source;
  CHECK(source.secret_keys_for(k.file));
  CHECK(agent::agent_status().unlocked);
}

TEST_CASE("the agent wipes its key after the idle timeout", "[agent]") {
  RunningAgent running;
  Key k;
  agent::hand_key_to_agent(k.key, 1, 5);
  agent::AgentStatus s = agent::agent_status();
  CHECK(s.unlocked);
  CHECK(s.idle_timeout == 1);
  CHECK(s.hard_left <= 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK_FALSE(agent::agent_status().unlocked);
  agent::AgentKeySource source;
  CHECK_FALSE(source.secret_keys_for(k.file));
}
