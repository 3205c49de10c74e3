// test_station_origin.cpp — verify --full's check that a document's station
// accounts for it (verify/station_origin_check.h), by sequence number.
#include <catch2/catch.hpp>

#include "base/bytes.h"
#include "verify/station_origin_check.h"

using namespace kaappi;

namespace {

StationRow station(std::int64_t id, std::int64_t seq, std::uint8_t key_byte) {
  StationRow s;
  s.id = id;
  s.seq = seq;
  s.sign_pk = Bytes(32, key_byte);
  return s;
}

StationRevocationRow revocation(std::int64_t station_id, std::int64_t seq) {
  StationRevocationRow r;
  r.station_id = station_id;
  r.seq = seq;
  return r;
}

DocumentRow document(std::int64_t seq) {
  DocumentRow d;
  d.id = 1;
  d.seq = seq;
  return d;
}

DocumentMeta from(std::uint8_t key_byte) {
  DocumentMeta m;
  m.station = "desk";
  m.station_key = to_hex(Bytes(32, key_byte));
  return m;
}

}  // namespace

TEST_CASE("a document's station must have been registered and not revoked when it was taken in", "[verify][stations]") {
  const StationOrigins origins({station(1, 10, 0xaa), station(2, 20, 0xbb)}, {revocation(1, 30)});
  CHECK_FALSE(origins.problem(document(25), from(0xaa)));
  CHECK_FALSE(origins.problem(document(40), from(0xbb)));
  CHECK_FALSE(origins.problem(document(40), DocumentMeta{}));  // imported directly: no station

  auto revoked = origins.problem(document(31), from(0xaa));
  REQUIRE(revoked);
  CHECK_THAT(*revoked, Catch::Contains("after that station was revoked"));
  auto early = origins.problem(document(15), from(0xbb));
  REQUIRE(early);
  CHECK_THAT(*early, Catch::Contains("before that station was registered"));
  auto unknown = origins.problem(document(25), from(0xcc));
  REQUIRE(unknown);
  CHECK_THAT(*unknown, Catch::Contains("no registered station"));
}
