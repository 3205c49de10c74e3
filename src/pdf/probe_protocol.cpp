// probe_protocol.cpp — see probe_protocol.h. Built into kaappi_public and
// into the helper.
#include "pdf/probe_protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kaappi::probe {
namespace {

constexpr char k_request_byte = 'p';
constexpr std::size_t k_fds_bytes = k_request_fds * sizeof(int);

}  // namespace

bool send_request(int sock, const int fds[k_request_fds]) {
  char byte = k_request_byte;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(k_fds_bytes)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(k_fds_bytes);
  std::memcpy(CMSG_DATA(c), fds, k_fds_bytes);
  return ::sendmsg(sock, &msg, MSG_NOSIGNAL) == 1;
}

bool receive_reply(int sock, Reply& reply) {
  Reply r{};
  ssize_t n;
  while ((n = ::recv(sock, &r, sizeof r, 0)) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof r)) return false;
  reply = r;
  return true;
}

bool receive_request(int sock, int fds[k_request_fds]) {
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(k_fds_bytes)];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  if (n <= 0) return false;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(k_fds_bytes)) return false;
  std::memcpy(fds, CMSG_DATA(c), k_fds_bytes);
  return true;
}

bool send_reply(int sock, ReplyKind kind, std::int32_t value) {
  Reply r{kind, value};
  // If kaappi is gone, SIGPIPE ends the server, as it should.
  return ::write(sock, &r, sizeof r) == static_cast<ssize_t>(sizeof r);
}

}  // namespace kaappi::probe
