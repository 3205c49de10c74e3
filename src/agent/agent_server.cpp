// agent_server.cpp — see agent_server.h.
#include "agent/agent_server.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <poll.h>
#include <set>
#include <sodium.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "agent/agent_protocol.h"
#include "agent/agent_socket.h"
#include "base/error.h"
#include "keys/key_file.h"
#include "keys/secret_keys.h"

namespace kaappi::agent {
namespace {

using Steady = std::chrono::steady_clock;
constexpr std::size_t k_max_connections = 64;
constexpr std::size_t k_max_signed_message = 4096;

std::int64_t seconds_until(Steady::time_point t, Steady::time_point now) {
  return std::max<std::int64_t>(0, std::chrono::ceil<std::chrono::seconds>(t - now).count());
}

bool same(ByteView a, const Bytes& b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

SecretBuffer copy_secret(ByteView part, std::size_t size, const char* what) {
  if (part.size() != size) fail(ErrorKind::rejected, std::string("an unlock with ") + what + " of the wrong size");
  SecretBuffer out(size);
  std::memcpy(out.data(), part.data(), size);
  return out;
}

class Agent {
 public:
  explicit Agent(const AgentLimits& limits) : m_limits(limits), m_last_activity(Steady::now()) {}

  // Wipes a key whose time is up; returns when to look again.
  Steady::time_point expire(Steady::time_point now) {
    std::lock_guard lock(m_mutex);
    if (m_key && (now >= m_idle_deadline || now >= m_hard_deadline)) wipe();
    if (m_key) return std::min(m_idle_deadline, m_hard_deadline);
    return m_last_activity + std::chrono::seconds(m_limits.exit_when_empty_seconds);
  }

  bool should_end(Steady::time_point now) {
    std::lock_guard lock(m_mutex);
    return !m_key && m_connections.empty() &&
           now >= m_last_activity + std::chrono::seconds(m_limits.exit_when_empty_seconds);
  }

  // Takes a new connection (false: too many).
  bool open(int fd) {
    std::lock_guard lock(m_mutex);
    if (m_connections.size() >= k_max_connections) return false;
    m_connections.insert(fd);
    m_last_activity = Steady::now();
    return true;
  }

  void serve(Fd connection) {
    try {
      while (std::optional<Message> request = receive_message(connection.get())) {
        SecretBuffer reply;
        try {
          reply = answer(*request);
        } catch (const Error& e) {
          reply = encode(Kind::error, {as_bytes(std::string(e.what()))});
          send_message(connection.get(), reply);
          break;  // a request it cannot read: the connection is not trusted further
        }
        send_message(connection.get(), reply);
      }
    } catch (const std::exception&) {
      // a connection that failed or sent too much: closed
    }
    std::lock_guard lock(m_mutex);
    m_connections.erase(connection.get());
    connection.reset();  // closed while no other thread can take its number for a connection of its own
    m_last_activity = Steady::now();
    m_changed.notify_all();
  }

  // Ends every connection and waits for their threads; wipes the key.
  void stop() {
    std::unique_lock lock(m_mutex);
    for (int fd : m_connections) ::shutdown(fd, SHUT_RDWR);
    m_changed.wait(lock, [&] { return m_connections.empty(); });
    wipe();
  }

 private:
  SecretBuffer answer(const Message& m) {
    std::lock_guard lock(m_mutex);
    const Steady::time_point now = Steady::now();
    if (m_key && (now >= m_idle_deadline || now >= m_hard_deadline)) wipe();
    const auto& p = m.parts;
    switch (m.kind) {
      case Kind::status: {
        if (!p.empty()) break;
        const Bytes pid = u64_part(static_cast<std::uint64_t>(::getpid()));
        if (!m_key) return encode(Kind::ok, {u64_part(0), {}, u64_part(0), u64_part(0), u64_part(0), pid});
        return encode(Kind::ok, {u64_part(1), m_key->key_id, u64_part(seconds_until(m_idle_deadline, now)),
                                 u64_part(seconds_until(m_hard_deadline, now)), u64_part(m_idle_seconds), pid});
      }
      case Kind::unlock: {
        if (p.size() != 8) break;
        UnlockedKey key;
        if (p[0].size() != 8 || p[1].size() != crypto_box_PUBLICKEYBYTES || p[2].size() != crypto_sign_PUBLICKEYBYTES)
          fail(ErrorKind::rejected, "an unlock with a public part of the wrong size");
        key.key_id.assign(p[0].begin(), p[0].end());
        key.box_pk.assign(p[1].begin(), p[1].end());
        key.sign_pk.assign(p[2].begin(), p[2].end());
        key.box_sk = copy_secret(p[3], crypto_box_SECRETKEYBYTES, "an X25519 key");
        key.sign_sk = copy_secret(p[4], crypto_sign_SECRETKEYBYTES, "an Ed25519 key");
        key.master = copy_secret(p[5], crypto_kdf_KEYBYTES, "a master secret");
        const std::uint64_t idle = u64_of(p[6]), hard = u64_of(p[7]);
        if (idle < 1 || hard < idle || hard > static_cast<std::uint64_t>(k_max_hard_limit_seconds))
          fail(ErrorKind::rejected, "an unlock with an idle timeout not between 1 s and its hard limit");
        // The halves must belong together: an unlock cannot plant a key
        // that answers for another key's public half.
        Bytes box_pk(crypto_box_PUBLICKEYBYTES), sign_pk(crypto_sign_PUBLICKEYBYTES);
        crypto_scalarmult_base(box_pk.data(), key.box_sk.data());
        crypto_sign_ed25519_sk_to_pk(sign_pk.data(), key.sign_sk.data());
        if (box_pk != key.box_pk || sign_pk != key.sign_pk)
          fail(ErrorKind::rejected, "an unlock whose secret keys do not match its public keys");
        wipe();
        m_key.emplace(std::move(key));
        m_idle_seconds = idle;
        m_idle_deadline = now + std::chrono::seconds(idle);
        m_hard_deadline = now + std::chrono::seconds(hard);
        return encode(Kind::ok, {});
      }
      case Kind::lock: {
        if (p.size() > 1) break;
        const bool held = m_key.has_value() && (p.empty() || same(p[0], m_key->key_id));
        if (held) wipe();
        return encode(Kind::ok, {u64_part(held ? 1 : 0)});
      }
      case Kind::use:
      case Kind::sign:
      case Kind::open_sealed:
      case Kind::derive: {
        const std::size_t parts = m.kind == Kind::use ? 1 : 2;
        if (p.size() != parts) break;
        if (!m_key || !same(p[0], m_key->key_id)) return encode(Kind::not_unlocked, {});
        m_idle_deadline = std::min(m_hard_deadline, now + std::chrono::seconds(m_idle_seconds));
        KeyFileSecrets secrets(*m_key);
        if (m.kind == Kind::use) return encode(Kind::ok, {});
        if (m.kind == Kind::sign) {
          if (p[1].size() > k_max_signed_message) fail(ErrorKind::rejected, "a message too long to sign");
          return encode(Kind::ok, {secrets.sign(p[1])});
        }
        if (m.kind == Kind::open_sealed) {
          std::optional<SecretBuffer> plain = secrets.open_sealed(p[1]);
          if (!plain) return encode(Kind::ok, {u64_part(0)});
          return encode(Kind::ok, {u64_part(1), plain->bytes()});
        }
        const std::uint64_t which = u64_of(p[1]);
        if (which < 1 || which > static_cast<std::uint64_t>(ArchiveKey::last))
          fail(ErrorKind::rejected, "a derived key the agent does not give");
        return encode(Kind::ok, {secrets.derive(static_cast<ArchiveKey>(which)).bytes()});
      }
      default:
        break;
    }
    fail(ErrorKind::rejected, "a request the unlock agent does not know");
  }

  void wipe() { m_key.reset(); }  // SecretBuffer wipes as it frees

  AgentLimits m_limits;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::optional<UnlockedKey> m_key;
  std::uint64_t m_idle_seconds = 0;
  Steady::time_point m_idle_deadline{}, m_hard_deadline{}, m_last_activity;
  std::set<int> m_connections;
};

}  // namespace

void serve_agent(const Fd& listener, int stop_fd, const AgentLimits& limits) {
  // Shared with the connections' threads, which may still be leaving when it returns.
  auto agent_ptr = std::make_shared<Agent>(limits);
  Agent& agent = *agent_ptr;
  const uid_t self = ::geteuid();
  for (;;) {
    const Steady::time_point now = Steady::now();
    const Steady::time_point next = agent.expire(now);
    if (agent.should_end(now)) break;
    const std::int64_t wait_ms =
        std::clamp<std::int64_t>(std::chrono::ceil<std::chrono::milliseconds>(next - now).count(), 10, 60'000);
    pollfd fds[2] = {{listener.get(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(wait_ms));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorKind::io, std::string("the unlock agent's wait failed: ") + std::strerror(errno));
    if (fds[1].revents != 0) break;
    if ((fds[0].revents & POLLIN) == 0) continue;
    Fd connection(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!connection.valid()) continue;
    std::optional<unsigned> uid = peer_uid(connection.get());
    if (!uid || *uid != self) continue;  // another user: closed unanswered
    if (!agent.open(connection.get())) continue;
    std::thread([agent_ptr, c = std::move(connection)]() mutable { agent_ptr->serve(std::move(c)); }).detach();
  }
  agent.stop();
}

}  // namespace kaappi::agent
