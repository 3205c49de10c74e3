// agent_client.cpp — see agent_client.h.
#include "agent/agent_client.h"

#include <mutex>
#include <sys/socket.h>
#include <sys/time.h>

#include "agent/agent_protocol.h"
#include "agent/agent_socket.h"
#include "base/error.h"

namespace kaappi::agent {
namespace {

// One request and its reply; an error reply is thrown as ErrorKind::rejected.
Message ask(int fd, const SecretBuffer& request) {
  send_message(fd, request);
  std::optional<Message> reply = receive_message(fd);
  if (!reply) fail(ErrorKind::io, "the unlock agent closed the connection without answering");
  if (reply->kind == Kind::error) {
    std::string why = reply->parts.empty() ? "" : std::string(reply->parts[0].begin(), reply->parts[0].end());
    fail(ErrorKind::rejected, "the unlock agent refused: " + why);
  }
  return std::move(*reply);
}

Fd connect_with_timeout(std::string* why = nullptr) {
  Fd fd = connect_to_agent(why);
  if (fd.valid()) {
    timeval tv{30, 0};  // an agent that stops answering fails the command instead of hanging it
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  return fd;
}

void expect_parts(const Message& m, std::size_t n) {
  if (m.kind != Kind::ok || m.parts.size() != n)
    fail(ErrorKind::rejected, "the unlock agent gave an answer kaappi does not understand");
}

[[noreturn]] void key_gone() {
  fail(ErrorKind::auth,
       "the unlock agent no longer holds the key (kaappi lock, or its timeout) while this command ran; "
       "run kaappi unlock and the command again");
}

class AgentSecretKeys final : public SecretKeys {
 public:
  AgentSecretKeys(Fd fd, const KeyFile& file)
      : m_fd(std::move(fd)), m_key_id(file.key_id()), m_box_pk(file.box_pk()), m_sign_pk(file.sign_pk()) {}
  const Bytes& box_pk() const override { return m_box_pk; }
  const Bytes& sign_pk() const override { return m_sign_pk; }

  Bytes sign(ByteView message) const override {
    Message m = request(Kind::sign, message);
    expect_parts(m, 1);
    return Bytes(m.parts[0].begin(), m.parts[0].end());
  }

  std::optional<SecretBuffer> open_sealed(ByteView sealed) const override {
    Message m = request(Kind::open_sealed, sealed);
    if (m.kind == Kind::ok && m.parts.size() == 1 && u64_of(m.parts[0]) == 0) return std::nullopt;  // did not open
    expect_parts(m, 2);
    if (u64_of(m.parts[0]) != 1 || m.parts[1].empty()) return std::nullopt;
    SecretBuffer plain(m.parts[1].size());
    std::copy(m.parts[1].begin(), m.parts[1].end(), plain.data());
    return plain;
  }

  SecretBuffer derive(ArchiveKey which) const override {
    Message m = request(Kind::derive, u64_part(static_cast<std::uint64_t>(which)));
    expect_parts(m, 1);
    SecretBuffer key(m.parts[0].size());
    std::copy(m.parts[0].begin(), m.parts[0].end(), key.data());
    return key;
  }

 private:
  Message request(Kind kind, ByteView argument) const {
    std::lock_guard lock(m_mutex);  // one request at a time on the connection (verify asks from several threads)
    Message m = ask(m_fd.get(), encode(kind, {m_key_id, argument}));
    if (m.kind == Kind::not_unlocked) key_gone();
    return m;
  }

  mutable std::mutex m_mutex;
  Fd m_fd;
  Bytes m_key_id, m_box_pk, m_sign_pk;
};

}  // namespace

AgentStatus agent_status() {
  AgentStatus s;
  Fd fd = connect_with_timeout(&s.not_running);
  if (!fd.valid()) return s;
  s.running = true;
  Message m = ask(fd.get(), encode(Kind::status, {}));
  expect_parts(m, 6);
  s.pid = static_cast<int>(u64_of(m.parts[5]));
  s.unlocked = u64_of(m.parts[0]) == 1;
  s.key_id.assign(m.parts[1].begin(), m.parts[1].end());
  s.idle_left = static_cast<std::int64_t>(u64_of(m.parts[2]));
  s.hard_left = static_cast<std::int64_t>(u64_of(m.parts[3]));
  s.idle_timeout = static_cast<std::int64_t>(u64_of(m.parts[4]));
  return s;
}

void hand_key_to_agent(const UnlockedKey& key, std::int64_t idle_seconds, std::int64_t hard_seconds) {
  std::string why;
  Fd fd = connect_with_timeout(&why);
  if (!fd.valid()) fail(ErrorKind::not_found, why);
  Message m = ask(fd.get(), encode(Kind::unlock, {key.key_id, key.box_pk, key.sign_pk, key.box_sk.bytes(),
                                                  key.sign_sk.bytes(), key.master.bytes(),
                                                  u64_part(static_cast<std::uint64_t>(idle_seconds)),
                                                  u64_part(static_cast<std::uint64_t>(hard_seconds))}));
  expect_parts(m, 0);
}

bool lock_agent(const Bytes& key_id) {
  Fd fd = connect_with_timeout();
  if (!fd.valid()) return false;
  Message m = key_id.empty() ? ask(fd.get(), encode(Kind::lock, {})) : ask(fd.get(), encode(Kind::lock, {key_id}));
  expect_parts(m, 1);
  return u64_of(m.parts[0]) == 1;
}

std::unique_ptr<SecretKeys> AgentKeySource::secret_keys_for(const KeyFile& file) {
  Fd fd = connect_with_timeout();
  if (!fd.valid()) return nullptr;
  Message m = ask(fd.get(), encode(Kind::use, {file.key_id()}));
  if (m.kind == Kind::not_unlocked) return nullptr;
  expect_parts(m, 0);
  return std::make_unique<AgentSecretKeys>(std::move(fd), file);
}

std::string AgentKeySource::used_note() const {
  return "the key was unlocked by the unlock agent (kaappi status says until when; kaappi lock locks it)";
}

}  // namespace kaappi::agent
