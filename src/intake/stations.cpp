// stations.cpp — see stations.h.
#include "intake/stations.h"

#include <map>

#include "format/blob_format.h"
#include "base/error.h"
#include "format/station_key.h"

namespace kaappi {

std::vector<Station> list_stations(Session& session) {
  std::map<std::int64_t, std::int64_t> revoked;
  for (const auto& r : session.index().station_revocations()) revoked[r.station_id] = r.revoked_at;
  std::vector<Station> out;
  for (const auto& row : session.index().stations()) {
    Station s{row.id, session.keys().field().open("stations", "name", row.uid, row.name), row.sign_pk, row.added_at,
              std::nullopt};
    if (auto it = revoked.find(row.id); it != revoked.end()) s.revoked_at = it->second;
    out.push_back(s);
  }
  return out;
}

Station add_station(Session& session, const std::string& name, const std::string& public_key_text) {
  std::string checked = check_station_name(name);
  Bytes pk = parse_station_public(public_key_text);
  for (const auto& s : list_stations(session)) {
    if (s.sign_pk == pk)
      fail(ErrorKind::rejected, "that key is already registered, as station '" + s.name + "'" +
                                    (s.revoked_at ? " (revoked; make a new key with kaappi-scan init)" : ""));
    if (s.name == checked && !s.revoked_at)
      fail(ErrorKind::rejected, "a station named '" + checked + "' is already registered; revoke it first or choose "
                                "another name");
  }
  StationRow row;
  row.uid = random_bytes(k_uid_size);
  row.name = session.keys().field().seal("stations", "name", row.uid, checked);
  row.sign_pk = pk;
  row.added_at = session.now();
  session.write([&](Index::Writer& writer) { writer.insert_station(row); });
  return Station{row.id, checked, row.sign_pk, row.added_at, std::nullopt};
}

Station revoke_station(Session& session, const std::string& name) {
  for (auto& s : list_stations(session)) {
    if (s.name != name || s.revoked_at) continue;
    StationRevocationRow row;
    row.uid = random_bytes(k_uid_size);
    row.station_id = s.id;
    row.revoked_at = session.now();
    session.write([&](Index::Writer& writer) { writer.insert_station_revocation(row); });
    s.revoked_at = row.revoked_at;
    return s;
  }
  fail(ErrorKind::not_found, "no active station named '" + name + "' (see kaappi station list)");
}

std::optional<Station> station_by_key(Session& session, const Bytes& sign_pk) {
  for (auto& s : list_stations(session))
    if (s.sign_pk == sign_pk) return s;
  return std::nullopt;
}

}  // namespace kaappi
