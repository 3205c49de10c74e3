// agent_socket.h — where the unlock agent listens, and the one rule for
// reaching it: the socket agent.sock in $XDG_RUNTIME_DIR/kaappi/, a folder
// that must be a real folder (no link) of this user's with mode 0700 (made
// so when missing; a folder of another user or open to others is refused),
// the socket 0600. Both ends check the other's user (SO_PEERCRED): the agent
// serves only its own user, and a command talks only to an agent of its own
// user.
#pragma once

#include <optional>
#include <string>

#include "base/file_io.h"

namespace kaappi::agent {

// $XDG_RUNTIME_DIR/kaappi. Throws ErrorKind::usage saying what to do when
// XDG_RUNTIME_DIR is not set or not an absolute path.
std::string agent_folder_path();
// The folder, held (made 0700 when missing); throws ErrorKind::rejected
// naming it when it is a link, not a folder, not this user's, or open to others.
Dir open_agent_folder();

// A connection to the running agent, its user checked; an invalid Fd when
// none listens (no folder, no socket, nobody accepting). With `why`, the
// reason there is none is set there. Throws ErrorKind::rejected when the
// socket is served by another user.
Fd connect_to_agent(std::string* why = nullptr);

// The agent's listening socket: the one systemd handed over (socket
// activation: LISTEN_PID, LISTEN_FDS, fd 3), else agent.sock bound anew in
// the folder (a stale socket of an agent that ended removed first). The
// caller must hold agent_lock() so that no other agent is listening there.
struct Listener {
  Fd fd;
  bool handed_over = false;  // by systemd (which owns the socket's file)
};
Listener listen_as_agent(const Dir& folder);
// The agent's lock (agent.lock in the folder, flock'ed): an invalid Fd when
// another agent holds it.
Fd take_agent_lock(const Dir& folder);

// The user id of the process at the other end of a Unix socket.
std::optional<unsigned> peer_uid(int fd);

}  // namespace kaappi::agent
