// cmd_init.cpp — kaappi init: a new archive and (usually) a new key file.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "base/error.h"
#include "cli/cli.h"
#include "store/machine_records.h"
#include "cli/terminal_passphrase.h"
#include "keys/passphrase_tries.h"

namespace kaappi::cli {
namespace {

struct InitOptions {
  std::string kdf = "moderate";
  bool reuse_key = false;
};

void write_new_key(const std::string& path, const KeyFile& key) {
  std::string dir = parent_dir(path);
  make_dirs(dir, 0700, PathRole::user_output);  // a link where the key folder belongs is refused
  std::string text = key.serialize();
  write_file_atomic(Dir::open(dir), base_name(path), as_bytes(text), 0600, Overwrite::no, "keyfile");
}

void run(const Globals& g, const InitOptions& o) {
  std::string archive = g.archive_path();
  std::string key_path = g.key_path();
  // Whoever copies the archive folder must not get the key file with it.
  auto absolute = [](const std::string& p) {
    char* real = ::realpath(parent_dir(p).c_str(), nullptr);
    std::string dir = real ? real : parent_dir(p);
    std::free(real);
    return dir + "/" + base_name(p);
  };
  std::string archive_abs = absolute(archive) + "/";
  if (absolute(key_path).rfind(archive_abs, 0) == 0)
    fail(ErrorKind::usage, "the key file must live apart from the archive, not inside " + archive +
                               "; choose another --key (for example on a USB stick kept offline)");
  if (path_exists(archive + "/index.sqlite"))
    fail(ErrorKind::rejected, "there is already an archive at " + archive + "; nothing was changed");
  try {
    machine_records::check_writable();  // the new archive's head is remembered there
  } catch (const StateUnusable& e) {
    fail(ErrorKind::rejected, std::string(e.what()) + "; nothing was changed");
  }
  PassphraseSource source = passphrase_source(g.passphrase_file);
  UnlockedKey key;
  bool new_key = false;
  if (path_exists(key_path)) {
    if (!o.reuse_key)
      fail(ErrorKind::rejected, "key file " + key_path +
                                    " already exists and is never overwritten; pass --reuse-key to create an archive "
                                    "for that key, or --key FILE for a new one");
    KeyFile file = KeyFile::load(key_path);
    key = unlock_with_passphrase(file, source, "Passphrase for " + key_path);
    warn_if_example_key(file, archive, *g.observer);
  } else {
    if (o.reuse_key) fail(ErrorKind::auth, "no key file at " + key_path + " to reuse");
    KdfCost cost = KdfCost::named(o.kdf);
    SecretBuffer pass = read_passphrase(source, "New passphrase for " + key_path, Confirm::yes);
    if (pass.empty()) fail(ErrorKind::usage, "the passphrase is empty; choose a long one");
    warn_if_weak(pass, *g.observer);
    KeyFile file = KeyFile::generate(pass, cost, key);
    // Check the archive folder before writing the key, so a refused init leaves nothing.
    if (path_exists(archive)) {
      if (::access(archive.c_str(), W_OK) != 0) fail_errno("cannot write to archive folder " + archive);
    }
    write_new_key(key_path, file);
    new_key = true;
  }
  try {
    Archive::create(archive, key);
  } catch (...) {
    if (new_key) ::unlink(key_path.c_str());
    throw;
  }
  Archive opened(archive, Access::read, SchemaPolicy::enforce, *g.observer);
  HeadHistory(opened, opened.public_key()).take_folder();  // whatever this folder held before
  std::string pk = opened.public_key().to_text();
  if (g.json) {
    print_json({{"archive", archive}, {"key_file", key_path}, {"new_key", new_key}, {"public_key", pk}});
    return;
  }
  std::cout << "Created archive " << printable(archive) << "\n";
  if (new_key)
    std::cout << "Created key file " << printable(key_path)
              << " (" << o.kdf << " cost). Keep it and its passphrase offline; without both nothing can be read.\n";
  else
    std::cout << "Using existing key file " << printable(key_path) << "\n";
  std::cout << "Public key for scanning stations and verify:\n" << pk << "\n";
}

}  // namespace

void register_init(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("init", "create a new archive and a new key file");
  auto o = std::make_shared<InitOptions>();
  cmd->add_option("--kdf", o->kdf, "passphrase hashing cost: interactive, moderate (default) or sensitive")
      ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
  cmd->add_flag("--reuse-key", o->reuse_key, "create the archive for an existing key file instead of a new one");
  cmd->footer(
      "Examples:\n"
      "  kaappi --archive /srv/kaappi init\n"
      "  kaappi --archive /srv/kaappi --key /media/usb/kaappi.key init --kdf sensitive\n"
      "The key file is created 0600 and never overwritten; it lives apart from the archive.");
  cmd->callback([&g, o] { run(g, *o); });
}

}  // namespace kaappi::cli
