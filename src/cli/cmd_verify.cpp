// cmd_verify.cpp — kaappi verify [--full] [--public-key KEY].
#include <iostream>

#include "base/error.h"
#include "format/key_text.h"
#include "backup/backup_destination.h"
#include "backup/backup_witness.h"
#include "store/machine_records.h"
#include "verify/format1_verify.h"
#include "verify/verifier.h"
#include "cli/cli.h"

namespace kaappi::cli {
namespace {

struct VerifyArgs {
  bool full = false;
  std::string public_key;
  std::string against_backup;
};

// --against-backup: the backup's signed head as a witness (backup/backup_witness.h).
void witness(const VerifyArgs& a, Archive& archive, const ArchivePublicKey& key, VerifyReport& r) {
  if (a.against_backup.empty()) return;
  std::unique_ptr<BackupDestination> dest = open_backup_destination(a.against_backup, false);
  check_against_backup(archive, key, *dest, r);
}

// `format1`: the keyless check of a format-1 archive, which needs kaappi
// upgrade however sound it is (exit 7 when it is).
void report(Globals& g, const VerifyReport& r, bool full, bool format1 = false) {
  if (g.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : r.problems)
      problems.push_back({{"document", p.document ? nlohmann::json(*p.document) : nlohmann::json(nullptr)},
                          {"problem", p.problem},
                          {"detail", p.detail}});
    nlohmann::json out = {{"ok", r.ok()}, {"full", full}, {"documents_checked", r.documents_checked},
                          {"bytes_checked", r.bytes_checked}, {"problems", problems}, {"notes", r.notes}};
    if (format1) out.update({{"format", 1}, {"needs_upgrade", true}});
    print_json(out);
  } else {
    for (const auto& note : r.notes) std::cout << "note: " << printable(note) << "\n";
    for (const auto& p : r.problems) {
      std::cout << (p.document ? "document " + std::to_string(*p.document) : std::string("archive")) << ": "
                << p.problem << " — " << printable(p.detail) << "\n";
    }
    std::cout << (r.ok() ? "OK" : "PROBLEMS FOUND") << (format1 ? " in format 1: " : ": ") << r.documents_checked
              << " documents, " << human_size(static_cast<std::int64_t>(r.bytes_checked)) << " checked"
              << (full ? " (full: every byte decrypted and authenticated)" : " (keyless)");
    if (!r.ok()) std::cout << ", " << r.problems.size() << " problem(s)";
    std::cout << "\n";
    if (format1 && r.ok())
      std::cout << "The archive is sound in format 1, and an upgrade to format 2 is due: run kaappi upgrade (it "
                   "needs the key). Nothing was changed.\n";
  }
  g.exit_code = !r.ok() ? exit_code::k_problems : format1 ? exit_code::k_needs_upgrade : exit_code::k_ok;
}

// After a verify that found no problem, so that a later rollback is caught
// here too; a head that cannot be remembered is a problem.
void remember_head(Archive& archive, const ArchivePublicKey& key, VerifyReport& r) {
  if (!r.ok()) return;
  try {
    HeadHistory(archive, key).advance();
  } catch (const StateUnusable& e) {
    r.problems.push_back({std::nullopt, "head record unusable", e.what()});
  }
}

ArchivePublicKey keyless_key(Globals& g, const VerifyArgs& a, const Bytes& archive_id) {
  return trusted_public_key(g, a.public_key, archive_id);
}

void run(Globals& g, const VerifyArgs& a) {
  VerifyOptions options;
  options.quiet = g.quiet;
  if (a.full) {
    Session s(g.archive_path(), Access::read, g.unlock_options(), SchemaPolicy::report);
    ArchivePublicKey key{s.archive().archive_id(), s.secrets().box_pk(), s.secrets().sign_pk()};
    VerifyReport r = verify_archive(s.archive(), key, &s, options);
    witness(a, s.archive(), key, r);
    remember_head(s.archive(), key, r);
    report(g, r, true);
    return;
  }
  std::unique_ptr<Archive> archive;
  try {
    archive = std::make_unique<Archive>(g.archive_path(), Access::read, SchemaPolicy::report, *g.observer);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::needs_upgrade) throw;
    // Read as it is, and no head remembered: nothing is written.
    VerifyReport r = verify_format1_archive(g.archive_path(), keyless_key(g, a, {}), options, *g.observer);
    report(g, r, false, true);
    return;
  }
  ArchivePublicKey key = keyless_key(g, a, archive->archive_id());
  VerifyReport r = verify_archive(*archive, key, nullptr, options);
  witness(a, *archive, key, r);
  remember_head(*archive, key, r);
  report(g, r, false);
}

}  // namespace

void register_verify(CLI::App& app, Globals& g) {
  auto a = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify", "check the archive (no passphrase needed; --full decrypts every byte)");
  cmd->add_flag("--full", a->full, "also decrypt and authenticate every byte (needs the passphrase)");
  add_public_key_option(cmd, a->public_key);
  cmd->add_option("--against-backup", a->against_backup,
                  "also check the archive's history against a backup's signed head (a folder or rclone:REMOTE:PATH)");
  cmd->footer(
      "Examples:\n"
      "  kaappi verify --public-key archive.pub        # nightly, no secrets needed\n"
      "  kaappi verify --against-backup /media/usb/kaappi-backup   # a rollback caught on a new machine too\n"
      "  kaappi verify --full --json\n"
      "Exit 0 when everything checks out, 1 when problems were found (each names its document).\n"
      "An archive still in format 1 is checked as format 1 signed it, and changed in no way; sound, it exits 7:\n"
      "run kaappi upgrade. (--full needs the upgrade first.)\n"
      "A restore from a backup that was accepted with 'kaappi accept-restore' is shown as a note, not a problem.");
  cmd->callback([&g, a] { run(g, *a); });
}

}  // namespace kaappi::cli
