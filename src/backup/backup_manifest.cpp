// backup_manifest.cpp — see backup_manifest.h.
#include "backup/backup_manifest.h"

#include <algorithm>
#include <ctime>
#include <set>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace kaappi {
namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  fail(ErrorKind::corrupt, where + " is not a kaappi backup manifest: " + what);
}

Bytes hex_field(const nlohmann::json& j, const char* name, std::size_t size, const std::string& where) {
  if (!j.contains(name) || !j[name].is_string()) bad(where, std::string("no ") + name);
  Bytes out;
  if (!from_hex(j[name].get<std::string>(), out) || (size != 0 && out.size() != size))
    bad(where, std::string(name) + " is not " + std::to_string(size) + " bytes in hex");
  return out;
}

std::int64_t int_field(const nlohmann::json& j, const char* name, const std::string& where) {
  if (!j.contains(name) || !j[name].is_number_integer() || j[name].get<std::int64_t>() < 0)
    bad(where, std::string(name) + " is not a number");
  return j[name].get<std::int64_t>();
}

bool is_blob_path(const std::string& p) {
  // blobs/XX/<32 hex>.blob
  if (p.size() != 6 + 3 + 32 + 5 || p.rfind("blobs/", 0) != 0 || p[8] != '/' || p.substr(p.size() - 5) != ".blob")
    return false;
  for (std::size_t i : {6u, 7u})
    if (!std::isxdigit(static_cast<unsigned char>(p[i]))) return false;
  for (std::size_t i = 9; i < p.size() - 5; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(p[i]))) return false;
  return p.substr(6, 2) == p.substr(9, 2);
}

nlohmann::json parse_object(ByteView text, const std::string& where) {
  if (std::find(text.begin(), text.end(), std::uint8_t{0}) != text.end()) bad(where, "a NUL byte in it");
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) bad(where, "not a JSON object");
  return j;
}

}  // namespace

std::string backup_blob_path(const Bytes& uid) {
  const std::string hex = to_hex(uid);
  return "blobs/" + hex.substr(0, 2) + "/" + hex + ".blob";
}

std::string generation_folder(const std::string& g) { return "generations/" + g; }
std::string generation_index_path(const std::string& g) { return generation_folder(g) + "/index.sqlite"; }
std::string generation_manifest_path(const std::string& g) { return generation_folder(g) + "/manifest.json"; }

std::string generation_name(std::int64_t at) {
  std::time_t t = static_cast<std::time_t>(at);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H%M%SZ", &tm);
  return buf;
}

bool is_generation_name(const std::string& name) {
  // YYYY-MM-DDTHHMMSSZ, optionally -N
  if (name.size() != 18 && name.size() != 21) return false;
  const std::string shape = "dddd-dd-ddTddddddZ";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    char c = name[i];
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(c)) : c != shape[i]) return false;
  }
  if (name.size() == 18) return true;
  if (name[18] != '-' || name.size() == 19) return false;
  for (std::size_t i = 19; i < name.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

std::string manifest_json(const BackupManifest& m) {
  nlohmann::json blobs = nlohmann::json::array();
  for (const auto& b : m.blobs) blobs.push_back({{"path", b.path}, {"size", b.size}, {"hash", to_hex(b.hash)}});
  nlohmann::json j = {{"kaappi_backup", k_backup_format},
                      {"generation", m.generation},
                      {"archive_id", to_hex(m.archive_id)},
                      {"made", m.made},
                      {"head", {{"change", m.head_tx}, {"digest", to_hex(m.head_digest)}}},
                      {"index", {{"size", m.index_size}, {"sha256", to_hex(m.index_sha256)}}},
                      {"blobs", blobs}};
  return j.dump(1) + "\n";
}

BackupManifest parse_manifest(ByteView text, const std::string& where) {
  nlohmann::json j = parse_object(text, where);
  if (!j.contains("kaappi_backup") || !j["kaappi_backup"].is_number_integer())
    bad(where, "no kaappi_backup format number");
  if (j["kaappi_backup"].get<std::int64_t>() != k_backup_format)
    fail(ErrorKind::needs_upgrade, where + " is in backup format " + j["kaappi_backup"].dump() +
                                       ", which this kaappi does not know: use a newer kaappi");
  BackupManifest m;
  if (!j.contains("generation") || !j["generation"].is_string() || !is_generation_name(j["generation"]))
    bad(where, "no generation name");
  m.generation = j["generation"].get<std::string>();
  m.archive_id = hex_field(j, "archive_id", 0, where);
  if (m.archive_id.empty()) bad(where, "no archive id");
  m.made = int_field(j, "made", where);
  if (!j.contains("head") || !j["head"].is_object()) bad(where, "no head");
  m.head_tx = int_field(j["head"], "change", where);
  m.head_digest = hex_field(j["head"], "digest", 32, where);
  if (!j.contains("index") || !j["index"].is_object()) bad(where, "no index");
  m.index_size = int_field(j["index"], "size", where);
  m.index_sha256 = hex_field(j["index"], "sha256", 32, where);
  if (!j.contains("blobs") || !j["blobs"].is_array()) bad(where, "no blob list");
  std::set<std::string> seen;
  for (const auto& b : j["blobs"]) {
    if (!b.is_object() || !b.contains("path") || !b["path"].is_string()) bad(where, "a blob without a path");
    BackupBlob blob;
    blob.path = b["path"].get<std::string>();
    if (!is_blob_path(blob.path)) bad(where, "a blob path that is not blobs/XX/<uid>.blob");
    if (!seen.insert(blob.path).second) bad(where, "a blob listed twice");
    blob.size = int_field(b, "size", where);
    blob.hash = hex_field(b, "hash", 32, where);
    m.blobs.push_back(std::move(blob));
  }
  return m;
}

std::string marker_json(const Bytes& archive_id) {
  nlohmann::json j = {{"kaappi_backup", k_backup_format}, {"archive_id", to_hex(archive_id)}};
  return j.dump() + "\n";
}

Bytes parse_marker(ByteView text, const std::string& where) {
  nlohmann::json j = parse_object(text, where);
  if (!j.contains("kaappi_backup") || !j["kaappi_backup"].is_number_integer()) bad(where, "no format number");
  if (j["kaappi_backup"].get<std::int64_t>() != k_backup_format)
    fail(ErrorKind::needs_upgrade, where + " is in backup format " + j["kaappi_backup"].dump() +
                                       ", which this kaappi does not know: use a newer kaappi");
  Bytes id = hex_field(j, "archive_id", 0, where);
  if (id.empty()) bad(where, "no archive id");
  return id;
}

namespace {

// generation name → whether its manifest is there
std::map<std::string, bool> generations_in(const std::map<std::string, std::int64_t>& listing) {
  std::map<std::string, bool> out;
  for (const auto& [path, size] : listing) {
    if (path.rfind("generations/", 0) != 0) continue;
    std::string rest = path.substr(12);
    std::size_t slash = rest.find('/');
    std::string name = rest.substr(0, slash);
    if (!is_generation_name(name)) continue;
    bool& whole = out[name];
    if (slash != std::string::npos && rest.substr(slash + 1) == "manifest.json" && size >= 0) whole = true;
  }
  return out;
}

}  // namespace

std::vector<std::string> whole_generations(const std::map<std::string, std::int64_t>& listing) {
  std::vector<std::string> out;
  for (const auto& [name, whole] : generations_in(listing))
    if (whole) out.push_back(name);
  return out;
}

std::vector<std::string> partial_generations(const std::map<std::string, std::int64_t>& listing) {
  std::vector<std::string> out;
  for (const auto& [name, whole] : generations_in(listing))
    if (!whole) out.push_back(name);
  return out;
}

}  // namespace kaappi
