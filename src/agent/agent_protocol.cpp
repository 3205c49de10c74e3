// agent_protocol.cpp — see agent_protocol.h.
#include "agent/agent_protocol.h"

#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"

namespace kaappi::agent {
namespace {

void put_u32(std::uint8_t* at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint32_t get_u32(const std::uint8_t* at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(at[i]) << (8 * i);
  return v;
}

// Reads exactly `size` bytes; false when the connection ended before the first.
bool read_exactly(int fd, std::uint8_t* data, std::size_t size, bool may_end) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::recv(fd, data + done, size - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorKind::io, std::string("reading from the unlock agent's socket: ") + std::strerror(errno));
    if (n == 0) {
      if (done == 0 && may_end) return false;
      fail(ErrorKind::io, "the unlock agent's connection ended in the middle of a message");
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

SecretBuffer encode(Kind kind, std::initializer_list<ByteView> parts) {
  std::size_t size = 4 + 1;
  for (ByteView p : parts) size += 4 + p.size();
  if (size - 4 > k_max_message) fail(ErrorKind::internal, "a message to or from the unlock agent is too long");
  SecretBuffer out(size);
  std::uint8_t* at = out.data();
  put_u32(at, static_cast<std::uint32_t>(size - 4));
  at[4] = static_cast<std::uint8_t>(kind);
  at += 5;
  for (ByteView p : parts) {
    put_u32(at, static_cast<std::uint32_t>(p.size()));
    if (!p.empty()) std::memcpy(at + 4, p.data(), p.size());
    at += 4 + p.size();
  }
  return out;
}

Message decode(SecretBuffer body) {
  Message m;
  if (body.empty()) fail(ErrorKind::rejected, "an empty message on the unlock agent's socket");
  m.kind = static_cast<Kind>(body.data()[0]);
  std::size_t at = 1;
  while (at < body.size()) {
    if (body.size() - at < 4) fail(ErrorKind::rejected, "a cut part in a message on the unlock agent's socket");
    std::size_t len = get_u32(body.data() + at);
    at += 4;
    if (len > body.size() - at) fail(ErrorKind::rejected, "a part longer than its message on the unlock agent's socket");
    m.parts.emplace_back(body.data() + at, len);
    at += len;
  }
  m.body = std::move(body);  // the parts' bytes stay where they are (the buffer is moved, not copied)
  return m;
}

Bytes u64_part(std::uint64_t value) {
  Bytes out(8);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
  return out;
}

std::uint64_t u64_of(ByteView part) {
  if (part.size() != 8) fail(ErrorKind::rejected, "a number of the wrong size on the unlock agent's socket");
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(part[i]) << (8 * i);
  return v;
}

void send_message(int fd, const SecretBuffer& message) {
  std::size_t done = 0;
  while (done < message.size()) {
    ssize_t n = ::send(fd, message.data() + done, message.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorKind::io, std::string("writing to the unlock agent's socket: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

std::optional<Message> receive_message(int fd) {
  std::uint8_t head[4];
  if (!read_exactly(fd, head, sizeof head, true)) return std::nullopt;
  std::uint32_t size = get_u32(head);
  if (size == 0 || size > k_max_message)
    fail(ErrorKind::rejected, "a message of " + std::to_string(size) + " bytes on the unlock agent's socket");
  SecretBuffer body(size);
  read_exactly(fd, body.data(), size, false);
  return decode(std::move(body));
}

}  // namespace kaappi::agent
