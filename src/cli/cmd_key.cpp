// cmd_key.cpp — kaappi key public | key passwd.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/terminal_passphrase.h"
#include "keys/key_file_cost.h"
#include "keys/passphrase_tries.h"

namespace kaappi::cli {
namespace {

void run_public(const Globals& g) {
  // Whatever the archive's format: it reads only the key its index names.
  const ArchivePublicKey archive_key = Archive::public_key_of(g.archive_path(), *g.observer);
  KeyFile key = KeyFile::load(g.key_path());
  Archive::check_public_key(archive_key, key.box_pk(), key.sign_pk(), g.archive_path());
  std::string pk = archive_key.to_text();
  if (g.json) print_json({{"public_key", pk}, {"archive", g.archive_path()}});
  else std::cout << pk << "\n";
}

struct PasswdOptions {
  std::string kdf;
  std::string new_passphrase_file;
};

// The file a key path names: a symlinked key path is followed, so that the
// new passphrase replaces the real file's (next to it, atomically) and the
// link stays as it was.
std::string real_key_file(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (real == nullptr) fail_errno("cannot find the key file " + path);
  return real.get();
}

void run_passwd(const Globals& g, const PasswdOptions& o) {
  std::string path = g.key_path();
  KeyFile file = KeyFile::load(path);
  std::string real = real_key_file(path);
  UnlockedKey key = unlock_with_passphrase(file, passphrase_source(g.passphrase_file), "Current passphrase for " + path);
  PassphraseSource fresh;
  fresh.file = o.new_passphrase_file;
  fresh.ask = ask_on_terminal;
  SecretBuffer pass;
  try {
    pass = read_passphrase(fresh, "New passphrase", Confirm::yes);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::auth || !o.new_passphrase_file.empty()) throw;
    fail(ErrorKind::auth, "the new passphrase is needed but there is no terminal: pass --new-passphrase-file FILE");
  }
  if (pass.empty()) fail(ErrorKind::usage, "the new passphrase is empty; nothing was changed");
  warn_if_weak(pass, *g.observer);
  std::optional<KdfCost> kept = named_kdf_cost(file);
  if (o.kdf.empty() && !kept)
    fail(ErrorKind::usage, "the key file's passphrase hashing (" + file.kdf_description() +
                               ") is not one kaappi names; choose one with --kdf");
  KdfCost cost = o.kdf.empty() ? *kept : KdfCost::named(o.kdf);
  KeyFile rewrapped = KeyFile::wrap(key, pass, cost);
  std::string text = rewrapped.serialize();
  write_file_atomic(real, as_bytes(text), 0600, Overwrite::yes, "keyfile");
  // The key unlocked under the old passphrase is not kept in the agent.
  bool agent_locked = false;
  try {
    agent_locked = agent::lock_agent(file.key_id());
  } catch (const Error& e) {
    g.observer->notice(std::string("the unlock agent could not be asked to lock: ") + e.what() + "; run kaappi lock");
  }
  if (g.json) print_json({{"key_file", real}, {"kdf", cost.name}, {"agent_locked", agent_locked}});
  else std::cout << "Changed the passphrase of " << printable(real) << " (" << cost.name << " cost)\n"
                 << (agent_locked ? "The unlock agent's key was wiped; kaappi unlock asks for the new passphrase.\n" : "");
}

}  // namespace

void register_key(CLI::App& app, Globals& g) {
  auto* key = app.add_subcommand("key", "the archive's keys");
  key->require_subcommand(1);
  auto* pub = key->add_subcommand("public", "print the archive's public key (for scanning stations and verify)");
  pub->footer("Example:\n  kaappi key public > archive.pub\nNeeds the key file's public part only, no passphrase.");
  pub->callback([&g] { run_public(g); });

  auto o = std::make_shared<PasswdOptions>();
  auto* passwd = key->add_subcommand("passwd", "change the key file's passphrase");
  passwd->add_option("--kdf", o->kdf,
                     "cost of the new passphrase hashing: interactive, moderate, sensitive (default: the key file's)")
      ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
  passwd->add_option("--new-passphrase-file", o->new_passphrase_file,
                     "read the new passphrase from FILE (default: ask on the terminal)");
  passwd->footer(
      "Example:\n  kaappi key passwd\nThe current passphrase comes from the usual sources. A key path that is a "
      "symlink is followed: the file it points to gets the new passphrase and the link stays.");
  passwd->callback([&g, o] { run_passwd(g, *o); });
}

}  // namespace kaappi::cli
