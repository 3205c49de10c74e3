// common.cpp — see cli.h.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/terminal_passphrase.h"
#include "format/key_text.h"

namespace kaappi::cli {

std::string Globals::archive_path() const {
  if (!archive.empty()) return archive;
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/kaappi/archive";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') fail(ErrorKind::usage, "no archive given: pass --archive DIR or set KAAPPI_ARCHIVE");
  return std::string(home) + "/.local/share/kaappi/archive";
}

std::string Globals::key_path() const { return key.empty() ? default_key_path() : key; }

UnlockOptions Globals::unlock_options() const {
  UnlockOptions options;
  options.key_path = key_path();
  options.passphrase = passphrase_source(passphrase_file);
  options.observer = observer.get();
  if (!no_agent) options.unlocked_elsewhere = &agent;
  return options;
}

ArchivePublicKey trusted_public_key(const Globals& g, const std::string& public_key, const Bytes& archive_id) {
  if (!public_key.empty())
    return ArchivePublicKey::from_text(key_text_or_file(public_key, "kaappi-pk1:", Field{"public_key"}));
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

void print_row(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string cell = cells[i];
    for (std::size_t at; (at = cell.find('\n')) != std::string::npos;) cell.replace(at, 1, ", ");
    line += (i ? "\t" : "") + printable(cell);
  }
  std::cout << line << "\n";
}

void print_table_header(const std::vector<std::string>& header, bool empty, const std::string& when_empty) {
  print_row(header);
  std::cout.flush();
  if (empty) std::cerr << "kaappi: " << when_empty << "\n";
}

void print_json(const nlohmann::json& value) {
  std::string s = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
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
