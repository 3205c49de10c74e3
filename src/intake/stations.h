// stations.h — the scanning stations the key holder trusts.
//
// `kaappi station add NAME KEY` registers a station's public signing key
// (printed by `kaappi-scan init`); `station revoke NAME` stops trusting it
// from then on; both are signed, append-only index rows, so verify notices a
// revocation deleted or a station planted. Ingest accepts an envelope only if
// its signer is a registered, unrevoked station.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/session.h"

namespace kaappi {

struct Station {
  std::int64_t id = 0;
  std::string name;
  Bytes sign_pk;
  std::int64_t added_at = 0;
  std::optional<std::int64_t> revoked_at;
};

// Throws ErrorKind::rejected when the name is taken by an active station or
// the key is already registered.
Station add_station(Session& session, const std::string& name, const std::string& public_key_text);
std::vector<Station> list_stations(Session& session);
// Throws ErrorKind::not_found (no active station of that name).
Station revoke_station(Session& session, const std::string& name);
// The station with this key, if registered (revoked or not).
std::optional<Station> station_by_key(Session& session, const Bytes& sign_pk);

}  // namespace kaappi
