// test_scan_file_name.cpp — the one rule for a scan's file name: what
// kaappi-scan seals (cleaned_scan_file_name) is what ingest reads back
// (parse_station_metadata), for every name a folder can hold.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

#include "base/error.h"
#include "base/utf8.h"
#include "format/scan_file_name.h"
#include "format/station_metadata.h"

using namespace kaappi;

namespace {

// The metadata seal_envelope writes for a name, read back as ingest reads it.
std::string read_back(const std::string& file_name) {
  nlohmann::json j = {{"file_name", file_name}, {"pages", 1}, {"plain_size", 10}, {"scanned_at", 0},
                      {"station", "desk"}, {"content_hash", std::string(64, 'a')}, {"pdf", nlohmann::json::object()}};
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return parse_station_metadata(as_bytes(text)).file_name;
}

// Names a folder can hold, one of each class the rule refuses.
const std::vector<std::pair<std::string, std::string>> k_unfit = {
    {"scan\n1.pdf", "holds a '/' or a control character"},
    {"tab\there.pdf", "holds a '/' or a control character"},
    {"esc\x1b[31m.pdf", "holds a '/' or a control character"},
    {"del\x7f.pdf", "holds a '/' or a control character"},
    {"c1 \xc2\x85 next line.pdf", "holds a '/' or a control character"},
    {"c1 \xc2\x9b csi.pdf", "holds a '/' or a control character"},
    {"Latin-1 K\xe4\xe4nt\xf6.pdf", "is not UTF-8 text"},
    {"cut \xc3", "is not UTF-8 text"},
    {"overlong \xc0\xaf.pdf", "is not UTF-8 text"},
    {"surrogate \xed\xa0\x80.pdf", "is not UTF-8 text"},
    {std::string(200, 'a') + std::string(55, '\xe4'), "is not UTF-8 text"},
};

}  // namespace

TEST_CASE("a scan's file name: the rule says what does not fit", "[scan_file_name]") {
  for (const auto& [name, why] : k_unfit) {
    INFO(name);
    CHECK(scan_file_name_problem(name) == why);
  }
  CHECK(scan_file_name_problem("a/b.pdf") == "holds a '/' or a control character");
  CHECK(scan_file_name_problem("") == "must be 1 to 255 bytes long");
  CHECK(scan_file_name_problem(std::string(256, 'a')) == "must be 1 to 255 bytes long");
  CHECK(scan_file_name_problem(".") == "is not a file name");
  CHECK(scan_file_name_problem("..") == "is not a file name");
  for (const std::string& fits : std::vector<std::string>{"scan 1.pdf", "K\xc3\xa4\xc3\xa4nt\xc3\xb6.pdf", "\xe6\xbc\xa2\xe5\xad\x97.pdf",
                           "rtl \xe2\x80\xae" "fdp.exe", "...pdf", std::string(255, 'a')}) {
    INFO(fits);
    CHECK(scan_file_name_problem(fits).empty());
    CHECK(cleaned_scan_file_name(fits) == fits);  // a name that fits is sealed as it is
    CHECK(read_back(fits) == fits);
  }
}

TEST_CASE("a scan's file name: ingest refuses each class the rule refuses", "[scan_file_name]") {
  for (const auto& [name, why] : k_unfit) {
    if (!is_valid_utf8(name)) continue;  // JSON holds only UTF-8: such a name cannot reach ingest at all
    INFO(name);
    CHECK_THROWS_WITH(read_back(name), Catch::Contains("its metadata field 'file_name' " + why));
  }
}

TEST_CASE("a scan's file name: every name a folder can hold is cleaned into one ingest reads back", "[scan_file_name]") {
  auto check = [](const std::string& name) {
    INFO(name);
    std::string cleaned = cleaned_scan_file_name(name);
    CHECK(cleaned.size() <= name.size());
    CHECK(scan_file_name_problem(cleaned).empty());
    CHECK(read_back(cleaned) == cleaned);
  };
  CHECK(cleaned_scan_file_name("scan\n1.pdf") == "scan_1.pdf");
  CHECK(cleaned_scan_file_name("c1 \xc2\x85.pdf") == "c1 _.pdf");
  CHECK(cleaned_scan_file_name("K\xe4\xe4nt\xf6.pdf") == "K__nt_.pdf");
  CHECK(cleaned_scan_file_name("a/b") == "a_b");
  for (const auto& [name, why] : k_unfit) check(name);
  // Any bytes but NUL, 1 to 255 of them: what a Linux folder can hold (and '/').
  std::mt19937 random(20261127);
  for (int n = 0; n < 3000; ++n) {
    std::string name(1 + random() % 255, '\0');
    for (auto& c : name) c = static_cast<char>(1 + random() % 255);
    if (name == "." || name == "..") continue;
    check(name);
  }
}
