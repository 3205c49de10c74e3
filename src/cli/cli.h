// cli.h — what the kaappi command-line front end shares between commands.
//
// The CLI is thin: it parses arguments (CLI11), calls the library, prints.
// Each subcommand lives in its own cmd_*.cpp and registers itself with
// register_*(). Errors travel as kaappi::Error to main.cpp, which turns them
// into one sentence on stderr and the exit code (frontend/run_main.cpp).
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <memory>
#include <string>

#include "agent/agent_client.h"
#include "store/session.h"
#include "base/error.h"
#include "base/exit_codes.h"
#include "frontend/printable.h"
#include "frontend/settings.h"
#include "frontend/table.h"
#include "frontend/terminal_observer.h"

namespace kaappi {
struct Customer;
struct ConsentState;
struct ConsentEvent;
struct FiledAs;
}  // namespace kaappi

namespace kaappi::cli {

struct Globals {
  std::string archive;          // --archive as given (archive_path() decides: setting "archive")
  std::string key;              // --key as given (key_path() decides: setting "key")
  std::string passphrase_file;  // --passphrase-file / KAAPPI_PASSPHRASE_FILE
  bool json = false;
  bool quiet = false;
  bool no_agent = false;        // --no-agent / KAAPPI_NO_AGENT: ask for the passphrase even when unlocked
  int exit_code = kaappi::exit_code::k_ok;  // set by commands that report rather than fail (verify)
  // The library's notices ("kaappi: ..." on stderr) and progress bars (on a
  // terminal; -q is passed to the library as each command's `quiet`).
  std::unique_ptr<Observer> observer = std::make_unique<frontend::TerminalObserver>("kaappi");

  // The unlock agent, asked for the key before the passphrase (agent/agent_client.h).
  mutable agent::AgentKeySource agent;
  // -v: say how a command went about its work (the observer's details).
  void show_details();

  // The settings file (~/.config/kaappi/config, or the file KAAPPI_CONFIG
  // names), read once the command line is parsed, before any command runs.
  ConfigSettings config;
  std::string config_file;  // the file read (whether it exists or not), or empty
  void read_config();
  // The value in effect of the setting `name` (one of setting_names()) and
  // where it came from, by frontend/settings.h's rule: `option` is the
  // command's own option for it (ingest's --inbox, verify's --public-key),
  // --archive and --key are Globals' own. The one place each is decided.
  frontend::Setting setting(const std::string& name, const std::string& option = "") const;
  static const std::vector<std::string>& setting_names();

  std::string archive_path() const;  // with the default applied
  std::string key_path() const;
  // Where ingest takes envelopes from: --inbox, KAAPPI_INBOX, "inbox", else `archive`'s inbox/.
  std::string inbox_path(const std::string& option, const Archive& archive) const;
  // The archive's public key (text or a file) verify checks with, empty when
  // none is set (then the key file's public part).
  std::string public_key(const std::string& option) const;
  // Where `kaappi backup` writes: `option` (its DEST, empty when not given),
  // else the setting "backup"; empty when neither is there.
  std::string backup_destination(const std::string& option = "") const;
  UnlockOptions unlock_options() const;
};

// The public key a command that needs no passphrase checks with: the text
// or file --public-key (`option`) or the setting public_key names, or the key
// file's public part (no passphrase) for the archive `archive_id`.
ArchivePublicKey trusted_public_key(const Globals& g, const std::string& option, const Bytes& archive_id);

// How kaappi's options name the library's inputs (kaappi::Field), and a
// library message with its inputs named so.
const std::map<std::string, std::string>& flag_names();
std::string text_of(const Message& message);

// Text safe to print on a terminal (frontend/printable.h).
using frontend::printable;
// A value of several lines (an address) printed as lines, each after the
// first starting with `indent`; other control characters escaped.
std::string printable_lines(const std::string& text, const std::string& indent);
// One row of a tab-separated table (frontend/table.h).
using frontend::print_row;
// A table's header on stdout, always (a script reading it finds its columns
// even when no row follows); with no rows, "kaappi: `when_empty`" on stderr.
void print_table_header(const std::vector<std::string>& header, bool empty, const std::string& when_empty);
// --reason TEXT of a command that shows personal data (rights/personal_reads.h
// records the read; `default_reason` is the action's default).
CLI::Option* add_read_reason(CLI::App* cmd, std::string& reason, const std::string& default_reason);
// --public-key KEY of a command that checks signatures without the key file
// (verify, verify-backup, backup, restore).
CLI::Option* add_public_key_option(CLI::App* cmd, std::string& public_key);
// On stderr: that `count` restricted customers were left out of a list
// (register/customer_restriction.h), nothing when none.
void note_restricted_left_out(std::size_t count);
// One JSON document on stdout.
void print_json(const nlohmann::json& value);
// Where an imported or ingested scan went (forms/scan_filing.h): its JSON
// fields (customer, kind, customer_from_form, customer_from_scan, forms,
// form_customers, filing_notes, unassigned_because, customers_named,
// unknown_numbers) added to `row`; why it is unassigned, in words; how it
// found its customer (" (by its printed form's QR code, as consent-form)"),
// or "".
void add_filing_json(nlohmann::json& row, const FiledAs& filed);
std::string why_unassigned(const FiledAs& filed);
std::string filed_by_words(const FiledAs& filed);
std::string human_size(std::int64_t bytes);

// What `consent show` prints of a customer's states on `as_of`, and what
// `consent history` prints of their events (`purpose`: the one asked for, or
// ""); `customer show --all` prints them too (cmd_consent.cpp).
void print_consent_states(const Customer& customer, const std::string& as_of, const std::vector<ConsentState>& states);
void print_consent_events(const Customer& customer, const std::vector<ConsentEvent>& events, const std::string& purpose);

// Where the register's texts' template is installed (inspect and form print
// name it when the key holder's texts are missing).
#ifndef KAAPPI_REGISTER_TEXTS_TEMPLATE
#define KAAPPI_REGISTER_TEXTS_TEMPLATE "/usr/share/kaappi/register-texts.example"
#endif

void register_init(CLI::App& app, Globals& g);
void register_key(CLI::App& app, Globals& g);
void register_customer(CLI::App& app, Globals& g);
void register_customer_csv(CLI::App& customer, Globals& g);
void register_import(CLI::App& app, Globals& g);
void register_documents(CLI::App& app, Globals& g);
void register_access_log(CLI::App& app, Globals& g);
void register_get(CLI::App& app, Globals& g);
void register_consent(CLI::App& app, Globals& g);
void register_consent_csv(CLI::App& consent, Globals& g);
void register_verify(CLI::App& app, Globals& g);
void register_recover(CLI::App& app, Globals& g);
void register_station(CLI::App& app, Globals& g);
void register_ingest(CLI::App& app, Globals& g);
void register_assign(CLI::App& app, Globals& g);
void register_document(CLI::App& app, Globals& g);
void register_upgrade(CLI::App& app, Globals& g);
void register_accept_restore(CLI::App& app, Globals& g);
void register_agent(CLI::App& app, Globals& g);
void register_backup(CLI::App& app, Globals& g);
void register_config(CLI::App& app, Globals& g);
void register_request(CLI::App& app, Globals& g);
void register_hold(CLI::App& app, Globals& g);
void register_retention(CLI::App& app, Globals& g);
void register_erase(CLI::App& app, Globals& g);
void register_inspect(CLI::App& app, Globals& g);
void register_form(CLI::App& app, Globals& g);
void register_review(CLI::App& app, Globals& g);

}  // namespace kaappi::cli
