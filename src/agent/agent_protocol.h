// agent_protocol.h — the messages between kaappi and its unlock agent on the
// agent's Unix socket (docs/FORMAT.md, "The unlock agent"). A message is a
// u32 length (little-endian, of what follows, at most k_max_message), a kind
// byte, and parts, each a u32 length and its bytes; a number is a part of 8
// bytes (u64, little-endian). Every message is held in a SecretBuffer
// (locked, wiped): several carry secrets (the unlocked key, an opened value,
// a derived key).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"

namespace kaappi::agent {

// The longest an agent holds a key after it was unlocked (its hard limit),
// however often it is used: the one limit of unlock and the agent.
inline constexpr std::int64_t k_max_hard_limit_seconds = 24 * 3600;

inline constexpr std::size_t k_max_message = 4u << 20;

enum class Kind : std::uint8_t {
  // Requests
  status = 1,       // → ok: unlocked (u64 0/1), key id, idle seconds left, hard seconds left, idle timeout, the agent's pid
  unlock = 2,       // key id, box pk, sign pk, box sk, sign sk, master, idle timeout, hard limit (seconds) → ok
  lock = 3,         // [key id: only that key] → ok: whether a key was held and wiped (u64 0/1)
  sign = 4,         // key id, message → ok: signature
  open_sealed = 5,  // key id, sealed → ok: opened (u64 1) and plaintext, or not (u64 0)
  derive = 6,       // key id, which (u64) → ok: key
  use = 7,          // key id → ok: whether that key is held (u64 0/1); counts as a use
  // Replies
  ok = 0x80,
  not_unlocked = 0x81,  // the key named is not held (never unlocked, locked, timed out, another key)
  error = 0x82,         // text: why the request was refused
};

// One message: its kind and parts, the parts viewing `body`.
struct Message {
  Kind kind = Kind::error;
  std::vector<ByteView> parts;
  SecretBuffer body;  // the bytes after the length
};

// The bytes of a message (length included).
SecretBuffer encode(Kind kind, std::initializer_list<ByteView> parts);
// Parses the bytes after the length; throws ErrorKind::rejected when they are
// not a message (a part running past the end).
Message decode(SecretBuffer body);

Bytes u64_part(std::uint64_t value);
// Throws ErrorKind::rejected when `part` is not 8 bytes.
std::uint64_t u64_of(ByteView part);

// Sends a whole message; throws ErrorKind::io on failure.
void send_message(int fd, const SecretBuffer& message);
// Receives one message; nothing when the other end closed the connection
// before one began. Throws ErrorKind::io on a failure or a cut message,
// ErrorKind::rejected when one is longer than k_max_message.
std::optional<Message> receive_message(int fd);

}  // namespace kaappi::agent
