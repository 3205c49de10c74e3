// main.cpp — kaappi-scan, the scanning station: seals scans for the archive
// with only its public key (and signs them with the station's own key), so
// nothing on this machine can read them back. A thin front end over
// kaappi_public (station/scan_station.h). An error that ends the run becomes
// its exit code in one place (frontend/run_main); a FILE... run, where each
// file stands alone, exits by its files' outcomes (exit_code_for_items).
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/config_file.h"
#include "base/error.h"
#include "base/exit_codes.h"
#include "base/file_io.h"
#include "base/observer.h"
#include "frontend/printable.h"
#include "frontend/run_main.h"
#include "frontend/settings.h"
#include "frontend/stop_on_signal.h"
#include "frontend/table.h"
#include "frontend/usage_error.h"
#include "station/scan_station.h"
#include "station/scan_watch.h"

namespace {

using namespace kaappi;

// The command line's values; settings() fills in what it leaves out.
struct Args {
  std::vector<std::string> files;
  std::string public_key, inbox, station, station_key, keep;
  std::uint64_t max_size_mb = 4096;
  bool json = false, quiet = false;
  std::string watch_dir;
  int settle = 3;
  int grace = 600;
};

// kaappi-scan's settings files: the station's (/etc/kaappi-scan.conf, or the
// file KAAPPI_SCAN_CONFIG names, which must exist), then the user's
// (~/.config/kaappi-scan/config), whose settings replace the station's.
struct SettingsFiles {
  std::string system_file, user_file;
  ConfigSettings settings;
};

const std::vector<std::string> k_setting_names = {"public_key", "inbox", "station", "station_key", "watch"};

SettingsFiles read_settings_files() {
  SettingsFiles files;
  const char* named = std::getenv("KAAPPI_SCAN_CONFIG");
  const bool is_named = named != nullptr && *named != '\0';
  files.system_file = is_named ? named : "/etc/kaappi-scan.conf";
  files.settings = read_config_file(files.system_file, k_setting_names,
                                    is_named ? IfMissing::fail : IfMissing::no_settings);
  files.user_file = user_config_path("kaappi-scan");
  if (!files.user_file.empty())
    override_settings(files.settings, read_config_file(files.user_file, k_setting_names, IfMissing::no_settings));
  return files;
}

// The one place each setting of kaappi-scan is decided (frontend/settings.h's
// rule: option, environment, settings file, default).
std::vector<frontend::Setting> settings(const Args& a, const ConfigSettings& file) {
  using frontend::decide_setting;
  std::vector<frontend::Setting> all;
  all.push_back(decide_setting("public_key", a.public_key, "KAAPPI_PUBLIC_KEY", file, ""));
  all.push_back(decide_setting("inbox", a.inbox, "KAAPPI_INBOX", file, ""));
  auto station = decide_setting("station", a.station, "", file, "");
  all.push_back(station);
  // No station named: the only key there is (find_station_key).
  all.push_back(decide_setting("station_key", a.station_key, "", file,
                               station.is_set() ? default_station_key_path(station.value) : ""));
  all.push_back(decide_setting("watch", a.watch_dir, "", file, ""));
  return all;
}

// The command line's values with the settings in effect put in.
void apply_settings(Args& a, const std::vector<frontend::Setting>& decided) {
  for (const auto& s : decided) {
    if (s.name == "public_key") a.public_key = s.value;
    else if (s.name == "inbox") a.inbox = s.value;
    else if (s.name == "station") a.station = s.value;
    else if (s.name == "station_key") a.station_key = s.value;
    else if (s.name == "watch") a.watch_dir = s.value;
  }
}

int run_config_show(const Args& a, const SettingsFiles& files, const std::vector<frontend::Setting>& decided) {
  if (a.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& s : decided)
      arr.push_back({{"name", s.name},
                     {"value", s.is_set() ? nlohmann::json(s.value) : nlohmann::json(nullptr)},
                     {"source", s.source}});
    auto file_or_null = [](const std::string& f) { return f.empty() ? nlohmann::json(nullptr) : nlohmann::json(f); };
    std::cout << nlohmann::json{{"config_files", {file_or_null(files.system_file), file_or_null(files.user_file)}},
                                {"settings", arr}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
    return exit_code::k_ok;
  }
  frontend::print_table_header("kaappi-scan", {"NAME", "VALUE", "SOURCE"}, false, "");
  for (const auto& row : frontend::settings_rows(decided)) frontend::print_row(row);
  for (const auto& f : {files.system_file, files.user_file})
    if (!f.empty())
      std::cerr << "kaappi-scan: settings file " << frontend::printable(f)
                << (path_exists(f) ? "" : " (not there: no settings from it)") << "\n";
  return exit_code::k_ok;
}

int run_init(const Args& a) {
  if (a.station.empty()) fail(ErrorKind::usage, "name this station: kaappi-scan init --station NAME");
  std::string path = a.station_key.empty() ? default_station_key_path(a.station) : a.station_key;
  if (path_exists(path))
    fail(ErrorKind::rejected, "a station key already exists at " + path + "; it is never replaced (remove it yourself "
                              "if you really mean to, and revoke it in the archive)");
  StationKey key = StationKey::generate(a.station);
  key.save(path);
  std::string pub = station_public_text(key.public_key());
  if (a.json) {
    std::cout << nlohmann::json{{"station", key.name()}, {"public_key", pub}, {"key_file", path}}.dump(2) << "\n";
    return exit_code::k_ok;
  }
  std::cout << "Station key for '" << key.name() << "' written to " << path << " (keep it on this station).\n"
            << "Register it on the key holder's machine with:\n\n  kaappi station add " << key.name() << " " << pub
            << "\n";
  return exit_code::k_ok;
}

// The watch's log: each notice one line on stdout, after the local time,
// made printable (a scan's name can hold anything).
class WatchLog final : public Observer {
 public:
  void progress_begin(const std::string&, std::uint64_t) override {}
  void progress(std::uint64_t) override {}
  void progress_end() override {}
  void notice(const std::string& text) override {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char now[32];
    std::strftime(now, sizeof now, "%Y-%m-%d %H:%M:%S", &tm);
    std::cout << now << " " << frontend::printable(text) << std::endl;
  }
};

StationOptions station_options(const Args& a) {
  if (a.public_key.empty())
    fail(ErrorKind::usage, "give the archive's public key: --public-key KEY (the text or a file), or public_key in the settings file");
  if (a.inbox.empty()) fail(ErrorKind::usage, "name the inbox folder: --inbox DIR, or inbox in the settings file");
  StationOptions options;
  options.archive = read_archive_public_key(a.public_key);
  options.inbox = a.inbox;
  options.keep_dir = a.keep;
  options.max_size = a.max_size_mb << 20;
  check_station_folders(options);
  return options;
}

int run_watch(const Args& a) {
  if (a.watch_dir.empty())
    fail(ErrorKind::usage, "name the folder to watch: kaappi-scan watch DIR, or watch in the settings file");
  StationOptions options = station_options(a);
  if (!path_exists(a.watch_dir)) fail(ErrorKind::not_found, "the scan folder " + a.watch_dir + " does not exist");
  if (a.settle < 1 || a.settle > 3600) fail(ErrorKind::usage, "--settle must be 1 to 3600 seconds");
  if (a.grace < a.settle || a.grace > 86400)
    fail(ErrorKind::usage, "--grace must be from the --settle time to 86400 seconds");
  StationKey station = StationKey::load(a.station_key.empty() ? find_station_key(a.station) : a.station_key);
  WatchLog log;
  frontend::StopOnSignal stop;  // Ctrl-C or SIGTERM: the file being sealed is finished, then the watch ends
  watch_scan_folder(station, options, {a.watch_dir, a.settle, a.grace}, log, stop.request());
  return exit_code::k_ok;
}

// How the library's inputs (kaappi::Field) read in kaappi-scan's messages.
const std::map<std::string, std::string> k_flags = {
    {"public_key", "--public-key"}, {"station", "--station"}, {"station_key", "--station-key"}, {"max_size", "--max-size"},
    {"keep", "--keep"}};

// Where the name sealed with a scan is not the file's own (cleaned to fit
// the rule ingest reads names by), says so.
std::string renamed_note(const ScanOutcome& r) {
  return r.sealed_name == base_name(r.file) ? "" : ", named " + frontend::printable(r.sealed_name) + " in the archive";
}

// One scanned file's outcome, as exit_code_for_items counts it.
ItemResult item_result(const ScanOutcome& r) {
  switch (r.status) {
    case ScanOutcome::Status::sealed:
      return ItemResult::done;
    case ScanOutcome::Status::left_in_place:
      return ItemResult::done_in_part;
    case ScanOutcome::Status::not_found:
      return ItemResult::not_found;
    case ScanOutcome::Status::refused:
    case ScanOutcome::Status::changed:
      break;
  }
  return ItemResult::rejected;
}

// Says what became of one file: on stdout what was sealed, on stderr what
// was not (or was sealed but is still there); with --json, its result.
void report(const Args& a, const ScanOutcome& r, nlohmann::json& results) {
  if (a.json) {
    results.push_back({{"file", r.file}, {"sealed", r.sealed()}, {"envelope", r.envelope}, {"pages", r.pages},
                       {"sealed_name", r.sealed_name},
                       {"left_in_place", r.status == ScanOutcome::Status::left_in_place},
                       {"message", r.message.text(k_flags)}});
  } else if (r.sealed()) {
    if (!a.quiet) std::cout << "sealed   " << frontend::printable(r.file) << " (" << r.pages
                            << (r.pages == 1 ? " page" : " pages") << ") -> " << frontend::printable(r.envelope)
                            << renamed_note(r) << "\n";
    if (r.status == ScanOutcome::Status::left_in_place)
      std::cerr << "kaappi-scan: sealed " << frontend::printable(r.file) << ", but it is still there: "
                << frontend::printable(r.message.text(k_flags))
                << " (remove or move it yourself; sealing it again would send it twice)\n";
  } else {
    std::cerr << "kaappi-scan: refused " << frontend::printable(r.file) << ": "
              << frontend::printable(r.message.text(k_flags)) << " (the file was left where it is)\n";
  }
}

// A file that could not be sealed for an error of the system (a full disk,
// an I/O error): nothing of it was written, and it was left where it is.
void report_failed(const Args& a, const std::string& file, const Error& e, nlohmann::json& results) {
  if (a.json)
    results.push_back({{"file", file}, {"sealed", false}, {"failed", true}, {"message", e.message().text(k_flags)}});
  else
    std::cerr << "kaappi-scan: " << frontend::printable(file) << " was not sealed: "
              << frontend::printable(e.message().text(k_flags)) << " (the file was left where it is)\n";
}

// What became of a file whose sealing threw, as import counts it: each file
// stands alone, and the run goes on with the next.
ItemResult failed_result(const Error& e) {
  if (e.kind() == ErrorKind::rejected) return ItemResult::rejected;
  return e.kind() == ErrorKind::not_found ? ItemResult::not_found : ItemResult::failed;
}

int run_seal(const Args& a) {
  StationOptions options = station_options(a);
  std::string key_path = a.station_key.empty() ? find_station_key(a.station) : a.station_key;
  StationKey station = StationKey::load(key_path);
  for (const auto& file : a.files) {  // a missing file is reported as such when its turn comes
    struct stat st {};
    if (::lstat(file.c_str(), &st) == 0) check_keep_folder_for(options, parent_dir(file), "the folder of " + base_name(file));
  }
  // The PDF helper reads the next files while one is sealed (seal_scans).
  constexpr std::size_t k_probes_ahead = 3;
  ProbeService probes(ProbeLimits::from_environment(), k_probes_ahead);
  std::vector<ItemResult> items;
  std::size_t sealed = 0;
  nlohmann::json results = nlohmann::json::array();
  frontend::StopOnSignal stop;  // Ctrl-C or SIGTERM: the files being sealed are finished, no other started
  const std::size_t given = seal_scans(probes, station, options, a.files, stop.request(), [&](const ScanResult& r) {
    const std::string& file = a.files[items.size()];
    if (r.failure) {
      items.push_back(failed_result(*r.failure));
      report_failed(a, file, *r.failure, results);
      return;
    }
    items.push_back(item_result(r.outcome));
    sealed += r.outcome.sealed();
    report(a, r.outcome, results);
  });
  for (std::size_t i = given; i < a.files.size(); ++i) {
    const std::string& file = a.files[i];
    items.push_back(ItemResult::not_started);
    if (a.json) results.push_back({{"file", file}, {"sealed", false}, {"interrupted", true},
                                   {"message", "not sealed: kaappi-scan was stopped before it"}});
    else std::cout << "not sealed (interrupted)  " << frontend::printable(file) << "\n";
  }
  if (a.json)
    std::cout << nlohmann::json{{"station", station.name()}, {"results", results}}.dump(
                     2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  const auto left = static_cast<std::size_t>(std::count(items.begin(), items.end(), ItemResult::not_started));
  if (left > 0)
    std::cerr << "kaappi-scan: interrupted: " << sealed << (sealed == 1 ? " file" : " files") << " sealed, " << left
              << " not sealed (left where they are); run kaappi-scan again on the files not sealed\n";
  return exit_code_for_items(items, stop.signal());
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  CLI::App app{"kaappi-scan — the scanning station: seals scanned PDFs for a kaappi archive with its public key.\n"
               "Nothing this program writes or keeps can be read back here; only the key holder can.",
               "kaappi-scan"};
  app.add_option("FILE", a.files, "scanned PDFs to seal (each is removed once its envelope is safely written)");
  // KAAPPI_PUBLIC_KEY and KAAPPI_INBOX are read by settings(), not by CLI11:
  // it decides each value (option, environment, settings file) and says where it came from.
  app.add_option("--public-key", a.public_key, "the archive's public key: the kaappi-pk1:... text or a file holding it "
                                               "(else KAAPPI_PUBLIC_KEY, else the setting public_key)");
  app.add_option("--inbox", a.inbox, "the archive's inbox folder (envelopes are written here; else KAAPPI_INBOX, "
                                     "else the setting inbox)");
  app.add_option("--station", a.station, "this station's name (chooses its key; else the setting station; "
                                         "default: the only key there is)");
  app.add_option("--station-key", a.station_key, "the station key file (else the setting station_key; "
                                                 "default ~/.config/kaappi-scan/NAME.key)");
  app.add_option("--keep", a.keep, "move each sealed scan here instead of deleting it (same file system)");
  app.add_option("--max-size", a.max_size_mb, "largest PDF accepted, in MiB (default 4096)");
  app.add_flag("--json", a.json, "machine-readable output");
  app.add_flag("-q,--quiet", a.quiet, "print only problems");
  app.footer("Examples:\n"
             "  kaappi-scan init --station NAME\n"
             "  kaappi-scan FILE.pdf... --public-key archive.pub --inbox /srv/kaappi/inbox\n"
             "  kaappi-scan FILE.pdf...      # public_key and inbox set in /etc/kaappi-scan.conf\n"
             "Settings (public_key, inbox, station, station_key, watch): NAME = VALUE lines in /etc/kaappi-scan.conf\n"
             "(or the file KAAPPI_SCAN_CONFIG names), then ~/.config/kaappi-scan/config over it; options and\n"
             "environment variables override them: kaappi-scan config show.\n"
             "Exit codes: 0 all sealed, 2 usage, 4 a file was refused (left in place) or the inbox or keep folder\n"
             "cannot be written into (or the keep folder is a scan's own folder or on another file system),\n"
             "5 a file or folder named to read is not there, 6 some files sealed and some not (or a sealed scan\n"
             "could not be removed or kept: it is still there), 70 error; Ctrl-C (130) or SIGTERM (143) stops\n"
             "once the files being sealed are finished, listing the rest.");
  app.fallthrough();  // --public-key etc. also after a subcommand
  auto* init = app.add_subcommand("init", "make this station's signing key (once per station)");
  init->add_option("--station", a.station, "a name for this station, like office-scanner")->required();
  init->add_option("--station-key", a.station_key, "where to write the key (default ~/.config/kaappi-scan/NAME.key)");
  init->add_flag("--json", a.json, "machine-readable output");
  init->footer("Then register the printed public key on the key holder's machine: kaappi station add NAME KEY");
  auto* watch = app.add_subcommand("watch", "watch a scan-to-folder share and seal each scan once it is complete");
  watch->add_option("DIR", a.watch_dir, "the folder the scanner writes into (else the setting watch)");
  watch->add_option("--settle", a.settle, "seconds a file must stay unchanged (and closed, if it was seen being written) before it is taken "
                                                "(default 3)");
  watch->add_option("--grace", a.grace,
                    "seconds a file that may still become a PDF (cut, zeros not yet written over, no %%EOF end yet) "
                    "is waited for after it last changed, before it is rejected; a file held open that long "
                    "unchanged is checked as if closed (default 600, 10 minutes)");
  watch->footer("Runs until stopped (Ctrl-C, SIGTERM); one log line per file. Files already there are taken too;\n"
                "hidden and temporary names are ignored; a file that is not a readable PDF goes to DIR/rejected/,\n"
                "and so does anything that is not a regular file (a FIFO, a link: never opened nor followed).\n"
                "A scan still being written (held open, cut, zeros) is waited for, up to --grace after its last change,\n"
                "and taken once, whole; a file that can never be a PDF (a JPEG, text) is rejected once it settles.\n"
                "One watcher per folder: a second watch of the same DIR exits with code 4.\n"
                "Examples:\n  kaappi-scan watch DIR --public-key archive.pub --inbox /srv/kaappi/inbox\n"
                "  kaappi-scan watch            # watch, public_key and inbox set in /etc/kaappi-scan.conf");
  auto* config = app.add_subcommand("config", "the settings files: what is in effect and where it came from");
  config->require_subcommand(1);
  config->footer("Settings are NAME = VALUE lines in /etc/kaappi-scan.conf (or the file KAAPPI_SCAN_CONFIG names),\n"
                 "then ~/.config/kaappi-scan/config over it; # starts a comment line.\n"
                 "Example:\n  kaappi-scan config show");
  auto* config_show = config->add_subcommand("show", "every setting, its value in effect and where it came from");
  config_show->add_flag("--json", a.json, "machine-readable output");
  config_show->footer("Each setting's source: option, environment KAAPPI_..., FILE:LINE, default, or not set.\n"
                      "Examples:\n  kaappi-scan config show\n  KAAPPI_SCAN_CONFIG=station.conf kaappi-scan config show --json");
  frontend::FrontEnd front_end{"kaappi-scan", k_flags};
  return frontend::run_main(front_end, app, argc, argv, [&] {
    // A broken settings file stops every command (--help and --version were answered).
    const SettingsFiles files = read_settings_files();
    const auto decided = settings(a, files.settings);
    if (config_show->parsed()) return run_config_show(a, files, decided);
    apply_settings(a, decided);
    if (init->parsed()) return run_init(a);
    if (watch->parsed()) return run_watch(a);
    if (a.files.empty()) fail(ErrorKind::usage, "name the scanned PDFs to seal");
    if (auto mistake = frontend::mistyped_command(app, a.files.front())) fail(ErrorKind::usage, *mistake);
    return run_seal(a);
  });
}
