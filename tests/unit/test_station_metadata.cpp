// test_station_metadata.cpp — the one reader of a station's sealed metadata
// takes what kaappi-scan writes and refuses, with a sentence, anything else.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "format/station_metadata.h"

using namespace kaappi;

namespace {

const std::string k_hash = std::string(64, 'a');

std::string metadata(const std::string& pages = "2", const std::string& pdf = "{}") {
  return R"({"file_name":"scan 1.pdf","pages":)" + pages + R"(,"plain_size":1234,"scanned_at":1790000000,)"
         R"("station":"desk","content_hash":")" + k_hash + R"(","pdf":)" + pdf + "}";
}

StationMetadata parse(const std::string& text) { return parse_station_metadata(as_bytes(text)); }

}  // namespace

TEST_CASE("station metadata as kaappi-scan writes it is read field by field", "[station_metadata]") {
  StationMetadata m = parse(metadata("2", R"({"pages":2,"text":"x","metadata":{"Title":"t"}})"));
  CHECK(m.file_name == "scan 1.pdf");
  CHECK(m.pages == 2);
  CHECK(m.plain_size == 1234);
  CHECK(m.scanned_at == 1790000000);
  CHECK(m.station == "desk");
  CHECK(m.content_hash == k_hash);
}

TEST_CASE("station metadata out of bounds, of the wrong type or shape is refused with a sentence",
          "[station_metadata]") {
  auto refused = [](const std::string& text, const std::string& why) {
    INFO(text.substr(0, 200));
    try {
      parse(text);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::rejected);
      CHECK_THAT(e.what(), Catch::StartsWith("its metadata") && Catch::Contains(why));
    }
  };
  refused(metadata("2", std::string(200000, '[') + std::string(200000, ']')), "nested deeper than 16");
  refused(metadata("2", std::string(16, '[') + std::string(16, ']')), "nested deeper than 16");  // 17 with the outer object
  refused(metadata("2", "{\"s\":\"" + std::string(k_station_metadata_max_size, 'x') + "\"}"), "larger than");
  refused(metadata("2", "[]"), "'pdf' must be an object");
  // 16 levels are fine: the outer object, "pdf", 14 arrays.
  CHECK(parse(metadata("2", "{\"a\":" + std::string(14, '[') + std::string(14, ']') + "}")).pages == 2);
  refused(metadata("0"), "'pages' must be a whole number from 1");
  refused(metadata("-1"), "'pages'");
  refused(metadata("1.5"), "'pages'");
  refused(metadata("18446744073709551615"), "'pages'");
  refused(metadata("\"2\""), "'pages'");
  refused(metadata("null"), "'pages'");
  refused("{}", "has no field");
  refused("[]", "not a JSON object");
  refused("{\"file_name\":", "not JSON");
  refused("{\"a\":\"\xff\"}", "not JSON");  // not UTF-8
  std::string text = metadata();
  refused(text.substr(0, text.size() - 1) + ",\"more\":1}", "a field this kaappi does not know");
  for (const char* name : {"\"a/b.pdf\"", "\"..\"", "\"\"", "\"tab\\there\"", "7"}) {
    std::string t = metadata();
    t.replace(t.find("\"scan 1.pdf\""), 12, name);
    refused(t, "'file_name'");
  }
  std::string hash = metadata();
  hash.replace(hash.find(k_hash), 64, std::string(64, 'A'));
  refused(hash, "'content_hash'");
  std::string station = metadata();
  station.replace(station.find("\"desk\""), 6, "\"../x\"");
  refused(station, "'station'");
  // Its depth check is not fooled by brackets inside strings.
  CHECK(parse(metadata("2", R"({"text":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]]]"})")).pages == 2);
}

TEST_CASE("station metadata giving a key twice, at any depth or spelled with escapes, is refused naming the key",
          "[station_metadata]") {
  auto refused_twice = [](const std::string& text, const std::string& key) {
    INFO(text);
    try {
      parse(text);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::rejected);
      CHECK(std::string(e.what()) == "its metadata gives the key \"" + key + "\" twice (each key once)");
    }
  };
  const std::string good = metadata();
  const std::string open = good.substr(0, good.size() - 1);  // without the closing brace
  refused_twice(open + R"(,"pages":3})", "pages");
  refused_twice(open + R"(,"file_n\u0061me":"other.pdf"})", "file_name");
  refused_twice(metadata("2", R"({"text":"a","text":"b"})"), "text");
  refused_twice(metadata("2", R"({"metadata":{"Title":"a","Ti\u0074le":"b"}})"), "Title");
  refused_twice(metadata("2", R"({"a":[{"x":1},{"y":1,"y":2}]})"), "y");
  refused_twice(metadata("2", R"({"a\u0001":1,"a\u0001":2})"), "a?");
  // The same key in two different objects is not a key given twice.
  CHECK(parse(metadata("2", R"({"pages":2,"metadata":{"pages":"x"}})")).pages == 2);
}
