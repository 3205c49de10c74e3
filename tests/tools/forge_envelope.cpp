// forge_envelope.cpp — test tool: seals a file into an envelope the way any
// holder of a station key could, with the document uid and the metadata
// chosen freely (format/envelope.h, seal_envelope_as).
//
//   forge_envelope --public-key FILE --station-key FILE --inbox DIR --file FILE
//                  [--uid HEX] [--set KEY=JSON]... [--set-from KEY=FILE]... [--drop KEY]...
//                  [--metadata-from FILE] [--version 1|2]
//
// The metadata starts as kaappi-scan writes it (pages 1, an empty "pdf");
// --set gives a field raw JSON text, --set-from the text of a file, --drop
// leaves a field out, --metadata-from replaces the whole text. --version 1
// seals an envelope of version 1 (BLAKE2b hashes, as stations sealed before
// format 2); the default is version 2. Prints the envelope's path.
#include <fcntl.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <iostream>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/file_io.h"
#include "format/envelope.h"
#include "station/scan_station.h"

using namespace kaappi;

namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string file_text(const std::string& path) {
  Bytes raw = read_file(path, 64u << 20);
  return std::string(raw.begin(), raw.end());
}

}  // namespace

int main(int argc, char** argv) try {
  if (sodium_init() < 0) throw std::runtime_error("libsodium did not start");
  std::string public_key, station_key, inbox, file, metadata_from;
  Bytes uid = random_bytes(k_uid_size);
  std::vector<std::pair<std::string, std::string>> sets;
  std::vector<std::string> drops;
  EnvelopeVersion version = EnvelopeVersion::v2;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string opt = argv[i], value = argv[i + 1];
    auto key_value = [&](bool from_file) {
      size_t eq = value.find('=');
      if (eq == std::string::npos) throw std::runtime_error(opt + " needs KEY=VALUE");
      std::string v = value.substr(eq + 1);
      sets.emplace_back(value.substr(0, eq), from_file ? file_text(v) : v);
    };
    if (opt == "--public-key") public_key = value;
    else if (opt == "--station-key") station_key = value;
    else if (opt == "--inbox") inbox = value;
    else if (opt == "--file") file = value;
    else if (opt == "--uid") {
      if (!from_hex(value, uid)) throw std::runtime_error("--uid needs hex");
    }
    else if (opt == "--set") key_value(false);
    else if (opt == "--set-from") key_value(true);
    else if (opt == "--drop") drops.push_back(value);
    else if (opt == "--metadata-from") metadata_from = value;
    else if (opt == "--version") {
      if (value != "1" && value != "2") throw std::runtime_error("--version is 1 or 2");
      version = value == "1" ? EnvelopeVersion::v1 : EnvelopeVersion::v2;
    }
    else throw std::runtime_error("unknown option " + opt);
  }
  if (public_key.empty() || station_key.empty() || inbox.empty() || file.empty())
    throw std::runtime_error("usage: forge_envelope --public-key F --station-key F --inbox D --file F [...]");
  ArchivePublicKey archive = read_archive_public_key(public_key);
  StationKey station = StationKey::load(station_key);
  Fd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) throw std::runtime_error("cannot open " + file);
  auto metadata = [&](const BlobDigest& digest) {
    if (!metadata_from.empty()) return file_text(metadata_from);
    std::vector<std::pair<std::string, std::string>> fields = {
        {"file_name", json_string(base_name(file))},
        {"pages", "1"},
        {"plain_size", std::to_string(digest.plain_size)},
        {"scanned_at", std::to_string(std::time(nullptr))},
        {"station", json_string(station.name())},
        {"content_hash", json_string(to_hex(digest.content_hash))},
        {"pdf", "{}"}};
    for (const auto& [key, value] : sets) {
      bool found = false;
      for (auto& f : fields)
        if (f.first == key) f.second = value, found = true;
      if (!found) fields.emplace_back(key, value);
    }
    std::string text = "{";
    for (const auto& [key, value] : fields) {
      if (std::find(drops.begin(), drops.end(), key) != drops.end()) continue;
      if (text.size() > 1) text += ",";
      text += json_string(key) + ":" + value;
    }
    return text + "}";
  };
  std::cout << seal_envelope_as(in.get(), inbox, archive, station, uid, metadata, 4ull << 30, version).path << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "forge_envelope: " << e.what() << "\n";
  return 1;
}
