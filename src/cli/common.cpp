// common.cpp — see cli.h.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "base/config_file.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/word_list.h"
#include "rights/inspection.h"
#include "intake/inbox.h"
#include "keys/key_file.h"
#include "cli/cli.h"
#include "cli/terminal_passphrase.h"
#include "format/key_text.h"
#include "forms/scan_filing.h"

namespace kaappi::cli {

namespace {

// The built-in default archive folder: $XDG_DATA_HOME/kaappi/archive or
// ~/.local/share/kaappi/archive; empty when neither is set.
std::string default_archive_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/kaappi/archive";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return {};
  return std::string(home) + "/.local/share/kaappi/archive";
}

// default_key_path(), or empty when there is none (no HOME).
std::string default_key_path_or_none() {
  try {
    return default_key_path();
  } catch (const Error&) {
    return {};
  }
}

// The register's texts beside the settings file: ~/.config/kaappi/register-texts.
std::string default_register_texts_path() {
  const std::string config = user_config_path("kaappi");
  return config.empty() ? std::string() : parent_dir(config) + "/register-texts";
}

}  // namespace

const std::vector<std::string>& Globals::setting_names() {
  static const std::vector<std::string> names = {"archive",        "key",           "inbox",
                                                 "public_key",     "backup",        "register_texts",
                                                 "inspection_free_per_year"};
  return names;
}

void Globals::read_config() {
  const char* named = std::getenv("KAAPPI_CONFIG");
  if (named != nullptr && *named != '\0') {
    config_file = named;
    config = read_config_file(config_file, setting_names(), IfMissing::fail);
    return;
  }
  config_file = user_config_path("kaappi");
  if (!config_file.empty()) config = read_config_file(config_file, setting_names(), IfMissing::no_settings);
}

frontend::Setting Globals::setting(const std::string& name, const std::string& option) const {
  if (name == "archive") return frontend::decide_setting(name, archive, "KAAPPI_ARCHIVE", config, default_archive_path());
  if (name == "key") return frontend::decide_setting(name, key, "KAAPPI_KEY", config, default_key_path_or_none());
  if (name == "inbox") {
    auto in_archive = setting("archive");
    return frontend::decide_setting(name, option, "KAAPPI_INBOX", config,
                                    in_archive.is_set() ? in_archive.value + "/inbox" : "");
  }
  if (name == "public_key" || name == "backup") return frontend::decide_setting(name, option, "", config, "");
  if (name == "register_texts")
    return frontend::decide_setting(name, option, "KAAPPI_REGISTER_TEXTS", config, default_register_texts_path());
  if (name == "inspection_free_per_year")
    return frontend::decide_setting(name, option, "", config, std::to_string(k_inspections_free_per_year));
  fail(ErrorKind::internal, "no setting " + name);
}

std::string Globals::archive_path() const {
  auto s = setting("archive");
  if (!s.is_set())
    fail(ErrorKind::usage, "no archive given: pass " + Field{"archive"} +
                               " DIR, set KAAPPI_ARCHIVE or set archive in the settings file");
  return s.value;
}

std::string Globals::key_path() const {
  auto s = setting("key");
  return s.is_set() ? s.value : default_key_path();  // default_key_path says why there is none
}

std::string Globals::inbox_path(const std::string& option, const Archive& archive) const {
  auto s = setting("inbox", option);
  return s.source == "default" ? default_inbox(archive) : s.value;
}

std::string Globals::public_key(const std::string& option) const { return setting("public_key", option).value; }

std::string Globals::backup_destination(const std::string& option) const { return setting("backup", option).value; }

UnlockOptions Globals::unlock_options() const {
  UnlockOptions options;
  options.key_path = key_path();
  options.passphrase = passphrase_source(passphrase_file);
  options.observer = observer.get();
  if (!no_agent) options.unlocked_elsewhere = &agent;
  return options;
}

ArchivePublicKey trusted_public_key(const Globals& g, const std::string& option, const Bytes& archive_id) {
  if (std::string given = g.public_key(option); !given.empty())
    return ArchivePublicKey::from_text(key_text_or_file(given, "kaappi-pk1:", Field{"public_key"}));
  KeyFile file = KeyFile::load(g.key_path());
  return ArchivePublicKey{archive_id, file.box_pk(), file.sign_pk()};
}

void Globals::show_details() {
  if (auto* terminal = dynamic_cast<frontend::TerminalObserver*>(observer.get())) terminal->show_details();
}

std::string printable_lines(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out += printable(text.substr(start, end - start)) + "\n" + indent;
  return out + printable(text.substr(start));
}

void print_table_header(const std::vector<std::string>& header, bool empty, const std::string& when_empty) {
  frontend::print_table_header("kaappi", header, empty, when_empty);
}

CLI::Option* add_read_reason(CLI::App* cmd, std::string& reason, const std::string& default_reason) {
  return cmd->add_option("--reason", reason,
                         "why you read it, recorded in the access log (default \"" + default_reason + "\")");
}

CLI::Option* add_public_key_option(CLI::App* cmd, std::string& public_key) {
  return cmd->add_option("--public-key", public_key,
                         "the archive's public key (text from 'kaappi key public', or a file holding it) instead of "
                         "the key file's public part (else the setting 'public_key')");
}

void note_restricted_left_out(std::size_t count) {
  if (count == 0) return;
  std::cerr << "kaappi: " << count << (count == 1 ? " restricted customer is" : " restricted customers are")
            << " left out (kept under a retention hold after their erasure was asked; kaappi retention due --all "
               "names them)\n";
}

void print_json(const nlohmann::json& value) {
  std::string s = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
}

void add_filing_json(nlohmann::json& row, const FiledAs& f) {
  const auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  row["customer"] = f.customer;
  row["kind"] = f.kind;
  row["customer_from_form"] = f.by_form;
  row["customer_from_scan"] = f.by_text;
  row["forms"] = f.forms;
  row["form_customers"] = f.form_customers;
  row["filing_notes"] = f.notes;
  row["unassigned_because"] = or_null(f.unassigned_because);
  row["customers_named"] = f.customers_named;
  row["unknown_numbers"] = f.unknown_numbers;
}

std::string why_unassigned(const FiledAs& f) {
  auto numbers = [](const std::vector<std::string>& list) {
    std::vector<std::string> shown;
    for (const std::string& n : list) shown.push_back(printable(n));
    return comma_list(shown);
  };
  if (!f.unassigned_because.empty()) return printable(f.unassigned_because);
  if (f.customers_named.size() > 1)
    return "the scan names several customers (" + numbers(f.customers_named) +
           "), so it was not filed to any of them automatically";
  if (!f.customers_named.empty() && !f.unknown_numbers.empty())
    return "the scan names several customer numbers (customer " + numbers(f.customers_named) + ", and " +
           numbers(f.unknown_numbers) + ", which no customer has), so it was not filed to any of them automatically";
  if (!f.unknown_numbers.empty())
    return std::string(f.unknown_numbers.size() == 1 ? "the scan names customer number " : "the scan names numbers ") +
           numbers(f.unknown_numbers) + ", which no customer has";
  return "no customer number found in the scan";
}

std::string filed_by_words(const FiledAs& f) {
  if (f.by_form) return " (by its printed form's QR code, as " + f.kind + ")";
  if (f.by_text) return " (the scan names this customer number)";
  return "";
}

std::string human_size(std::int64_t bytes) {
  char buf[32];
  if (bytes < 1024) std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  else if (bytes < (1 << 20)) std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  else if (bytes < (1LL << 30)) std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  else std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1LL << 30));
  return buf;
}

}  // namespace kaappi::cli
