// cmd_backup.cpp — kaappi backup DEST, kaappi verify-backup DEST and kaappi
// restore DEST --to DIR (backup/).
#include <iostream>

#include "backup/backup_check.h"
#include "backup/backup_destination.h"
#include "backup/backup_restore.h"
#include "backup/backup_writer.h"
#include "base/dates.h"
#include "store/head_history.h"
#include "cli/cli.h"
#include "export/json_fields.h"

namespace kaappi::cli {
namespace {

// Where a re-applied erasure or restriction was read, in words.
std::string kept_in(const ReapplySource& from) {
  return from.generation.empty() ? "this machine's archive " + printable(from.archive) : "generation " + from.generation;
}

struct BackupArgs {
  std::string destination;
  std::string public_key;
  int generations = 7;
  int sample = 100;
  std::string generation;
  std::string to;
  std::string reason;
  bool start_over = false;
};

// DEST, or the setting backup.
std::string destination_of(const Globals& g, const BackupArgs& a) {
  if (std::string dest = g.backup_destination(a.destination); !dest.empty()) return dest;
  fail(ErrorKind::usage, "no backup destination: give DEST, a folder or rclone:REMOTE:PATH (or set backup = DEST in "
                         "the settings file, see kaappi config show)");
}

void print_problems(const VerifyReport& r) {
  for (const auto& note : r.notes) std::cout << "note: " << printable(note) << "\n";
  for (const auto& p : r.problems)
    std::cout << (p.document ? "document " + std::to_string(*p.document) : std::string("backup")) << ": " << p.problem
              << " — " << printable(p.detail) << "\n";
}

nlohmann::json problems_json(const VerifyReport& r) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : r.problems)
    problems.push_back({{"document", p.document ? nlohmann::json(*p.document) : nlohmann::json(nullptr)},
                        {"problem", p.problem},
                        {"detail", p.detail}});
  return problems;
}

void run_backup(Globals& g, const BackupArgs& a) {
  const std::string name = destination_of(g, a);
  Archive archive(g.archive_path(), Access::read, SchemaPolicy::enforce, *g.observer);
  ArchivePublicKey key = trusted_public_key(g, a.public_key, archive.archive_id());
  check_destination_apart(name, archive.root());
  if (!a.start_over) check_destination_expected(name, archive.archive_id());
  std::unique_ptr<BackupDestination> dest = open_backup_destination(name, true);
  BackupOptions options;
  options.generations = a.generations;
  options.quiet = g.quiet;
  BackupResult r = make_backup(archive, key, *dest, options);
  if (g.json) {
    print_json({{"destination", name},
                {"generation", r.generation},
                {"change", r.head_tx},
                {"blobs", r.blobs},
                {"blobs_copied", r.blobs_copied},
                {"bytes_copied", r.bytes_copied},
                {"removed_generations", r.removed_generations},
                {"blobs_removed", r.blobs_removed},
                {"notes", r.notes}});
    return;
  }
  for (const auto& note : r.notes) std::cout << "note: " << printable(note) << "\n";
  std::cout << "Backed up archive " << to_hex(archive.archive_id()).substr(0, 8) << "… at change " << r.head_tx
            << " to " << printable(name) << " as generation " << r.generation << ": " << r.blobs << " blob(s), "
            << r.blobs_copied << " of them new (" << human_size(static_cast<std::int64_t>(r.bytes_copied))
            << " copied with the index).\n";
  if (!r.removed_generations.empty() || r.blobs_removed > 0)
    std::cout << "Removed " << r.removed_generations.size() << " old generation(s) (keeping " << a.generations
              << ") and " << r.blobs_removed << " blob(s) no kept generation needs.\n";
}

void run_verify_backup(Globals& g, const BackupArgs& a) {
  const std::string name = destination_of(g, a);
  if (a.sample < 0 || a.sample > 100) fail(ErrorKind::usage, "--sample is a percentage from 0 to 100");
  std::unique_ptr<BackupDestination> dest = open_backup_destination(name, false);
  std::optional<Bytes> id = backup_archive_id(*dest);
  if (!id) fail(ErrorKind::not_found, name + " is not a kaappi backup (it has no KAAPPI-BACKUP file)");
  ArchivePublicKey key = trusted_public_key(g, a.public_key, *id);
  BackupCheckOptions options;
  options.generation = a.generation;
  options.sample_percent = a.sample;
  options.quiet = g.quiet;
  options.archive_root = g.archive_path();
  BackupCheck c = check_backup(*dest, key, options, *g.observer);
  g.exit_code = c.report.ok() ? exit_code::k_ok : exit_code::k_problems;
  if (g.json) {
    print_json({{"ok", c.report.ok()},
                {"destination", name},
                {"generation", c.generation},
                {"generations", c.generations},
                {"change", c.head_tx},
                {"blobs", c.blobs},
                {"blobs_read", c.blobs_read},
                {"problems", problems_json(c.report)},
                {"notes", c.report.notes}});
    return;
  }
  print_problems(c.report);
  std::cout << (c.report.ok() ? "OK" : "PROBLEMS FOUND") << ": backup " << printable(name);
  if (!c.generation.empty())
    std::cout << ", generation " << c.generation << " (change " << c.head_tx << ", " << c.generations
              << " generation(s) kept), " << c.blobs << " blob(s) present, " << c.blobs_read << " read and hashed";
  if (!c.report.ok()) std::cout << ", " << c.report.problems.size() << " problem(s)";
  std::cout << "\n";
}

void run_restore(Globals& g, const BackupArgs& a, bool reason_given) {
  if (reason_given && a.reason.find_first_not_of(" \t\n") == std::string::npos)
    fail(ErrorKind::usage, "--reason is recorded in the restore row: say why in words (nothing was restored)");
  const std::string name = destination_of(g, a);
  std::unique_ptr<BackupDestination> dest = open_backup_destination(name, false);
  std::optional<Bytes> id = backup_archive_id(*dest);
  if (!id) fail(ErrorKind::not_found, name + " is not a kaappi backup (it has no KAAPPI-BACKUP file)");
  ArchivePublicKey key = trusted_public_key(g, a.public_key, *id);
  RestoreOptions options;
  options.generation = a.generation;
  options.quiet = g.quiet;
  const UnlockOptions unlock = g.unlock_options();
  options.unlock = &unlock;
  if (reason_given) options.accept_reason = a.reason;
  options.local_archive = g.archive_path();
  RestoreResult r = restore_backup(*dest, key, a.to, options, *g.observer);
  // What this machine saw of the archive decides what is recorded.
  std::string recorded;
  bool gave_up = false;
  std::vector<Problem> other;
  for (const auto& p : r.report.problems)
    if (p.problem == "archive rolled back" || p.problem == "archive forked") gave_up = true;
    else other.push_back(p);
  if (!other.empty()) {
    VerifyReport rest = r.report;
    rest.problems = other;
    print_problems(rest);
    fail(ErrorKind::corrupt, "the archive restored to " + a.to + " does not check out; it was left there for "
                             "inspection. Run kaappi verify --archive on it");
  }
  nlohmann::json row = nullptr;
  bool needs_accept = false;
  auto record = [&](const Session::AcceptedRestore& accepted) {
    recorded = "Recorded restore row " + std::to_string(accepted.row.id) + " (change " +
               std::to_string(accepted.head_tx) + "): change " + std::to_string(accepted.row.lost_tx) +
               " that this machine saw, and the changes before it that the backup does not hold, are given up. "
               "This machine now follows the restored archive.";
    row = {{"restore", accepted.row.id}, {"lost_change", accepted.row.lost_tx}, {"head", accepted.head_tx}};
  };
  if (r.accepted) {
    record(*r.accepted);
  } else if (gave_up && reason_given) {
    Session::AcceptedRestore accepted;
    try {
      accepted = Session::accept_restore(a.to, g.unlock_options(), a.reason);
    } catch (const Error& e) {
      fail(ErrorKind::partial, "the backup was restored to " + a.to + " and verifies, but the restore row could "
                               "not be recorded (" + e.what() + "); record it with: kaappi --archive " + a.to +
                               " accept-restore --reason TEXT");
    }
    record(accepted);
  } else if (gave_up) {
    needs_accept = true;
    recorded = "This machine saw later changes of this archive than the backup holds, so the restored copy is not "
               "taken for the archive: writes to it are refused, and the archive you have goes on as before. To "
               "make the restored copy the archive and give those changes up, run: kaappi --archive " +
               printable(a.to) + " accept-restore --reason TEXT";
  } else {
    Archive restored(a.to, Access::read, SchemaPolicy::enforce, *g.observer);
    HistoryCheck taken = HeadHistory(restored, key).take_folder();
    if (!taken.continues()) refuse_write(taken, a.to);
    recorded = r.reapplied.empty() && r.reapplied_restrictions.empty() ? "This machine knew no change after the backup's, so nothing was given up and "
                                     "no restore row was needed."
                                   : "This machine knew no change after the backup's, so nothing was given up.";
  }
  nlohmann::json reapplied = nlohmann::json::array();
  for (const ReappliedErasure& e : r.reapplied)
    reapplied.push_back({{"erasure_of", date_of(e.original_at)},
                         {"generation", text_or_null(e.from.generation)},
                         {"archive", text_or_null(e.from.archive)},
                         {"erasure_row", e.row_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(e.row_id)},
                         {"values_erased", e.values},
                         {"documents_removed", e.documents},
                         {"not_in_copy", e.not_in_copy},
                         {"already_erased", e.already_erased},
                         {"differing", e.differing}});
  nlohmann::json restrictions = nlohmann::json::array();
  for (const ReappliedRestriction& e : r.reapplied_restrictions)
    restrictions.push_back(
        {{"restricted_on", date_of(e.original_at)},
         {"generation", text_or_null(e.from.generation)},
         {"archive", text_or_null(e.from.archive)},
         {"customer", e.customer_number.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.customer_number)},
         {"document", e.document_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(e.document_id)},
         {"until", e.until},
         {"restriction_row", e.row_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(e.row_id)},
         {"skipped", e.skipped.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.skipped)}});
  if (g.json) {
    print_json({{"destination", name},
                {"generation", r.generation},
                {"to", a.to},
                {"change", r.head_tx},
                {"blobs", r.blobs},
                {"bytes", r.bytes},
                {"restore_row", row},
                {"needs_accept_restore", needs_accept},
                {"erasure_log", r.erasure_log.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.erasure_log)},
                {"reapplied_erasures", reapplied},
                {"reapplied_restrictions", restrictions},
                {"notes", r.report.notes}});
    return;
  }
  for (const auto& note : r.report.notes) std::cout << "note: " << printable(note) << "\n";
  std::cout << "Restored generation " << r.generation << " of " << printable(name) << " (change " << r.head_tx
            << ", " << r.blobs << " blob(s), " << human_size(static_cast<std::int64_t>(r.bytes)) << ") to "
            << printable(a.to) << "; it verifies.\n";
  for (const ReappliedErasure& e : r.reapplied) {
    std::cout << "Re-applied the erasure of " << date_of(e.original_at) << " (kept in " << kept_in(e.from) << "): ";
    if (e.row_id != 0)
      std::cout << e.values << " value(s) erased again under erasure row " << e.row_id << ", "
                << e.documents.size() << " document file(s) removed";
    else
      std::cout << "nothing of it was left to erase in this generation";
    if (e.not_in_copy > 0) std::cout << "; " << e.not_in_copy << " value(s) not in this generation";
    if (e.already_erased > 0) std::cout << "; " << e.already_erased << " already erased";
    std::cout << ".\n";
    for (const std::string& d : e.differing)
      std::cout << "  not erased: " << printable(d) << " (check it; erase it with kaappi erase if it should go)\n";
  }
  for (const ReappliedRestriction& e : r.reapplied_restrictions) {
    const std::string what = e.document_id != 0 ? "document " + std::to_string(e.document_id)
                             : e.customer_number.empty() ? "customer record " + std::to_string(e.customer_id)
                                                         : "customer " + printable(e.customer_number);
    std::cout << "Re-applied the restriction of " << date_of(e.original_at) << " (kept in " << kept_in(e.from)
              << "): ";
    if (e.row_id != 0)
      std::cout << what << " restricted again until " << e.until << " under restriction row " << e.row_id << ".\n";
    else
      std::cout << what << " not restricted again: " << e.skipped << ".\n";
  }
  std::cout << recorded << "\n"
            << "Use it with --archive " << printable(a.to) << " (or move it where the old archive was).\n";
}

}  // namespace

void register_backup(CLI::App& app, Globals& g) {
  auto a = std::make_shared<BackupArgs>();
  auto* backup = app.add_subcommand("backup", "copy the archive to a backup folder or rclone remote (no passphrase)");
  backup->add_option("DEST", a->destination, "a folder (a USB disk, a mounted share) or rclone:REMOTE:PATH (default: the setting backup)");
  backup->add_option("--generations", a->generations, "how many dated generations to keep (default 7)")
      ->check(CLI::Range(1, 10000));
  backup->add_flag("--start-over", a->start_over,
                   "start a new backup at DEST although this machine's backup there is gone (not a disk left "
                   "unmounted)");
  add_public_key_option(backup, a->public_key);
  backup->footer(
      "Examples:\n"
      "  kaappi backup DEST                      # DEST: a folder, e.g. on a USB disk\n"
      "  kaappi backup DEST --generations N      # DEST: rclone:REMOTE:PATH for an rclone remote\n"
      "Copies what the destination does not have yet: the index (a consistent copy, checked), new blobs,\n"
      "and last a manifest, which makes the new generation whole. Older generations beyond --generations are\n"
      "removed, with the blobs none of the kept ones needs. Everything copied is encrypted as in the archive.\n"
      "Exit 0 when the backup was made; nothing is reported as backed up otherwise.");
  backup->callback([&g, a] { run_backup(g, *a); });

  auto b = std::make_shared<BackupArgs>();
  auto* check = app.add_subcommand("verify-backup", "check a backup: signatures, manifest, blobs, history (no passphrase)");
  check->add_option("DEST", b->destination, "the backup: a folder or rclone:REMOTE:PATH (default: the setting backup)");
  add_public_key_option(check, b->public_key);
  check->add_option("--sample", b->sample, "read and hash this percentage of the blobs, chosen at random (default 100)")
      ->check(CLI::Range(0, 100));
  check->add_option("--generation", b->generation, "check this generation instead of the newest");
  check->footer(
      "Examples:\n"
      "  kaappi verify-backup /media/usb/kaappi-backup\n"
      "  kaappi verify-backup rclone:offsite:kaappi --sample 5 --public-key archive.pub\n"
      "Checks the index's signatures and chain, the manifest against them, that every blob is there and (all,\n"
      "or --sample percent of them) matches its signed hash, that the backup is part of the history this\n"
      "machine knows, and that it is not older than the last backup this machine made or checked there.\n"
      "Exit 0 when it checks out, 1 when problems were found.");
  check->callback([&g, b] { run_verify_backup(g, *b); });

  auto c = std::make_shared<BackupArgs>();
  auto* restore = app.add_subcommand("restore", "restore a backup into a new archive folder");
  restore->add_option("DEST", c->destination, "the backup: a folder or rclone:REMOTE:PATH (default: the setting backup)");
  restore->add_option("--to", c->to, "the new archive folder (must not exist, or be empty)")->required();
  restore->add_option("--generation", c->generation, "restore this generation instead of the newest");
  auto* reason = restore->add_option("--reason", c->reason,
                      "when this machine saw later changes: give them up and record why in a signed restore row "
                      "(needs the key); without it the restored copy is left for inspection");
  add_public_key_option(restore, c->public_key);
  restore->footer(
      "Examples:\n"
      "  kaappi restore DEST --to DIR\n"
      "  kaappi restore DEST --to DIR --generation NAME --reason \"WHY\"\n"
      "The backup is checked, every blob checked as it is copied, and the folder appears only when whole; the\n"
      "restored archive is then verified. When this machine saw later changes than the backup holds, the copy\n"
      "is left for inspection (your archive goes on as before) unless --reason is given: then a signed restore\n"
      "row records what was given up (this needs the passphrase or the unlock agent), this machine follows the\n"
      "restored archive, and verify explains the rollback instead of flagging it. A generation older than the\n"
      "newest at DEST is restored with what the newest erased or restricted since erased or restricted again\n"
      "(this needs the key, and --reason when this machine saw later changes); when that cannot be done nothing\n"
      "is restored. A backup older than what this machine recorded there (verify-backup: rolled back) is not\n"
      "restored: restore from where the newer generation is, or back the archive up again first.");
  restore->callback([&g, c, reason] { run_restore(g, *c, reason->count() > 0); });
}

}  // namespace kaappi::cli
