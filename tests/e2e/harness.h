// harness.h — runs the real kaappi binaries for end-to-end tests.
//
// Each Sandbox is a fresh temp folder with its own HOME, XDG dirs (so its own
// settings files), an empty station settings file (KAAPPI_SCAN_CONFIG: not
// this machine's /etc/kaappi-scan.conf), a copy of keys.example and its passphrase file. run() starts a binary in a new session
// (no controlling terminal, so nothing can prompt), with only the environment
// given, and captures exit status, stdout and stderr.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace e2e {

struct Result {
  int exit_code = -1;  // 128+signal when killed
  std::string out, err;
};

std::string bin(const std::string& name);  // path of a built program
std::string read_text(const std::string& path);
// The bytes whose lowercase hex is `hex` (a value read with SQL's hex()).
std::string bytes_from_hex(const std::string& hex);
// Whether 16 bytes in a row of `value` (at least 16 long) are in any file
// under `root` — a search of an archive folder for a value that must be gone.
bool left_in_folder(const std::string& root, const std::string& value);
void write_text(const std::string& path, const std::string& text);
std::string sha_of_file(const std::string& path);
bool file_exists(const std::string& path);
// The names in a folder, hidden ones included, sorted (none when it is empty or not there).
std::vector<std::string> folder_entries(const std::string& dir);
// Whether `done` holds within `seconds` (asked every 0.1 s, and once more at the end).
bool eventually(const std::function<bool()>& done, int seconds);

class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  const std::string& dir() const { return m_dir; }
  std::string archive() const { return m_dir + "/archive"; }
  std::string key() const { return m_dir + "/example.key"; }
  std::string pass() const { return m_dir + "/pass"; }
  std::string path(const std::string& name) const { return m_dir + "/" + name; }

  // kaappi with --archive, --key and --passphrase-file of this sandbox.
  Result kaappi(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const;
  // Any program with the sandbox environment, nothing added.
  Result run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
             const std::string& stdin_path = "") const;
  // Starts any program without waiting; stdout to out_path, stderr to
  // out_path + ".err"; returns the pid.
  int spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::map<std::string, std::string>& env = {}) const;
  // Starts kaappi without waiting; returns the pid.
  int spawn_kaappi(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const;

  // Makes this sandbox a copy of source: archive, key, made files and HOME
  // with the heads it remembers, so a fixture built once per test process
  // serves every section (the archive is then used from a new folder, as a
  // moved archive is).
  void copy_from(const Sandbox& source);
  // An initialized archive with the example key and customer 1001.
  void init_archive_with_customer();
  // init_archive_with_customer, the archive's public key in archive.pub and
  // the scanning station "desk" (register_station): where a test of
  // kaappi-scan and ingest starts.
  void init_archive_with_station(const std::string& station_key = "");
  // A station made by kaappi-scan init (its key at station_key, or where
  // kaappi-scan keeps it when empty) and registered in the archive by
  // kaappi station add.
  void register_station(const std::string& name, const std::string& station_key = "");
  // make_scan_pdf OUT args...; returns the path
  std::string make_pdf(const std::string& name, const std::vector<std::string>& args = {}) const;
  // Document ids printed by a successful import of `files` for `customer`.
  std::vector<long> import(const std::vector<std::string>& files, const std::string& kind = "consent-form",
                           const std::string& customer = "1001");
  // A fingerprint of everything in the archive folder (names, sizes, hashes).
  // With Contents::files_only the index file's bytes are left out (an
  // interrupted write may leave the same rows in different pages).
  enum class Contents { everything, files_only };
  std::string archive_fingerprint(Contents contents = Contents::everything) const;

 private:
  std::string m_dir;
};

// SQL run directly on a sandbox's index, as someone with a copy of the
// folder could (tampering, planting rows); a failing statement fails the test.
void sql(const Sandbox& s, const std::string& statement);
// The first column of the first row `query` returns, as text ("" if none).
std::string sql_value(const Sandbox& s, const std::string& query);
// Where document `id`'s blob is (blobs/<first two hex digits of its uid>/<uid>.blob).
std::string blob_of(const Sandbox& s, long id);

// kaappi `args` in the sandbox, which must succeed (exit 0).
void kaappi_ok(const Sandbox& s, const std::vector<std::string>& args);
// A command kaappi must refuse: its exit code and a part of its one sentence
// on stderr (stdout empty), run with `env` added.
// The text of a PDF by pdftotext (UTF-8), its whitespace runs made one space
// (so lines wrapped where the page is full read as one).
std::string pdf_text(const Sandbox& s, const std::string& pdf);

struct Refusal {
  std::vector<std::string> args;
  int exit_code;
  std::string says;
  std::map<std::string, std::string> env = {};
};
// Runs each refusal and checks it; `after` is checked after each (nothing written).
void check_refusals(const Sandbox& s, const std::vector<Refusal>& refusals, const std::function<void()>& after = {});
// verify and verify --full both find the archive sound (exit 0).
void check_verifies_clean(const Sandbox& s);
// Seals a copy of `pdf` (kaappi-scan removes what it sealed) into the
// archive's inbox as the station "desk" (init_archive_with_station).
void scan_as_desk(const Sandbox& s, const std::string& pdf);
// Runs argv with KAAPPI_FAULT=POINT:stop until it stops there, runs
// `meanwhile`, lets it go on and returns how it ended (stdout, stderr).
Result stopped_at(const Sandbox& s, const std::vector<std::string>& argv, const std::string& point,
                  const std::function<void()>& meanwhile);

// The items of a list in a --json report (import's and ingest's "results",
// verify's "problems") that `matches` holds for, in order.
std::vector<nlohmann::json> items_where(const nlohmann::json& list,
                                        const std::function<bool(const nlohmann::json&)>& matches);
// Those whose `field` is `value`.
std::vector<nlohmann::json> items_where(const nlohmann::json& list, const std::string& field,
                                        const nlohmann::json& value);

}  // namespace e2e
