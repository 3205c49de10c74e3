// station_metadata.cpp — see station_metadata.h.
#include "format/station_metadata.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "format/json_unique_keys.h"
#include "format/scan_file_name.h"
#include "format/station_key.h"

namespace kaappi {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& what) { fail(ErrorKind::rejected, "its metadata " + what); }

// Nesting deeper than the limit is refused before the JSON parser runs, so
// no reader of it ever recurses far.
void check_depth(ByteView text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::uint8_t c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > k_station_metadata_max_depth)
        bad("is nested deeper than " + std::to_string(k_station_metadata_max_depth) + " levels");
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
}

const json& field(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) bad(std::string("has no field '") + name + "'");
  return *it;
}

std::int64_t integer_field(const json& j, const char* name, std::int64_t lo, std::int64_t hi) {
  const json& v = field(j, name);
  auto out_of_range = [&]() {
    bad(std::string("field '") + name + "' must be a whole number from " + std::to_string(lo) + " to " +
        std::to_string(hi));
  };
  if (v.is_number_unsigned()) {
    std::uint64_t u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo) out_of_range();
    return static_cast<std::int64_t>(u);
  }
  if (!v.is_number_integer()) out_of_range();
  std::int64_t s = v.get<std::int64_t>();
  if (s < lo || s > hi) out_of_range();
  return s;
}

std::string string_field(const json& j, const char* name, size_t max_size) {
  const json& v = field(j, name);
  if (!v.is_string()) bad(std::string("field '") + name + "' must be text");
  std::string s = v.get<std::string>();
  if (s.empty() || s.size() > max_size)
    bad(std::string("field '") + name + "' must be 1 to " + std::to_string(max_size) + " bytes long");
  return s;
}

// The rule kaappi-scan seals names by (scan_file_name.h).
std::string file_name_field(const json& j) {
  const json& v = field(j, "file_name");
  if (!v.is_string()) bad("field 'file_name' must be text");
  std::string s = v.get<std::string>();
  if (std::string problem = scan_file_name_problem(s); !problem.empty()) bad("field 'file_name' " + problem);
  return s;
}

std::string content_hash_field(const json& j) {
  std::string s = string_field(j, "content_hash", 64);
  bool hex = s.size() == 64;
  for (char c : s) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!hex) bad("field 'content_hash' must be 64 lowercase hex digits");
  return s;
}

}  // namespace

void check_station_metadata_size(std::uint64_t size) {
  if (size > k_station_metadata_max_size)
    bad("is larger than the limit of " + std::to_string(k_station_metadata_max_size) + " bytes (1 MiB)");
}

StationMetadata parse_station_metadata(ByteView text) {
  check_station_metadata_size(text.size());
  check_depth(text);
  JsonWithUniqueKeys parsed =
      parse_json_unique_keys(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
  const json& j = parsed.value;
  if (j.is_discarded()) bad("is not JSON");
  if (!j.is_object()) bad("is not a JSON object");
  if (parsed.key_twice) bad("gives the key \"" + printable_json_key(*parsed.key_twice) + "\" twice (each key once)");
  static const char* const known[] = {"file_name", "pages", "plain_size", "scanned_at", "station", "content_hash", "pdf"};
  for (const auto& [key, value] : j.items())
    if (std::find(std::begin(known), std::end(known), key) == std::end(known))
      bad("has a field this kaappi does not know");
  StationMetadata m;
  m.file_name = file_name_field(j);
  m.pages = integer_field(j, "pages", 1, k_station_metadata_max_pages);
  m.scanned_at = integer_field(j, "scanned_at", 0, 253402300799);  // 9999-12-31 23:59:59 UTC
  m.plain_size = static_cast<std::uint64_t>(integer_field(j, "plain_size", 1, std::int64_t{1} << 50));
  m.station = string_field(j, "station", 64);
  try {
    check_station_name(m.station);
  } catch (const Error&) {
    bad("field 'station' is not a station name");
  }
  m.content_hash = content_hash_field(j);
  // The station's own reading of the PDF is not used: the key holder's side
  // reads the decrypted scan itself.
  if (!field(j, "pdf").is_object()) bad("field 'pdf' must be an object");
  return m;
}

}  // namespace kaappi
