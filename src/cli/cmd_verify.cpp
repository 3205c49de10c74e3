// cmd_verify.cpp — kaappi verify [--full] [--public-key KEY].
#include <iostream>

#include "base/error.h"
#include "format/key_text.h"
#include "store/machine_records.h"
#include "verify/verifier.h"
#include "cli/cli.h"

namespace kaappi::cli {
namespace {

struct VerifyArgs {
  bool full = false;
  std::string public_key;
};

ArchivePublicKey public_key_from(const std::string& arg) {
  return ArchivePublicKey::from_text(key_text_or_file(arg, "kaappi-pk1:", Field{"public_key"}));
}

void report(Globals& g, const VerifyReport& r, bool full) {
  if (g.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : r.problems)
      problems.push_back({{"document", p.document ? nlohmann::json(*p.document) : nlohmann::json(nullptr)},
                          {"problem", p.problem},
                          {"detail", p.detail}});
    print_json({{"ok", r.ok()}, {"full", full}, {"documents_checked", r.documents_checked},
                {"bytes_checked", r.bytes_checked}, {"problems", problems}, {"notes", r.notes}});
  } else {
    for (const auto& note : r.notes) std::cout << "note: " << printable(note) << "\n";
    for (const auto& p : r.problems) {
      std::cout << (p.document ? "document " + std::to_string(*p.document) : std::string("archive")) << ": "
                << p.problem << " — " << printable(p.detail) << "\n";
    }
    std::cout << (r.ok() ? "OK: " : "PROBLEMS FOUND: ") << r.documents_checked << " documents, "
              << human_size(static_cast<std::int64_t>(r.bytes_checked)) << " checked"
              << (full ? " (full: every byte decrypted and authenticated)" : " (keyless)");
    if (!r.ok()) std::cout << ", " << r.problems.size() << " problem(s)";
    std::cout << "\n";
  }
  g.exit_code = r.ok() ? exit_code::k_ok : exit_code::k_problems;
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

void run(Globals& g, const VerifyArgs& a) {
  VerifyOptions options;
  options.quiet = g.quiet;
  if (a.full) {
    Session s(g.archive_path(), Access::read, g.unlock_options(), SchemaPolicy::report);
    ArchivePublicKey key{s.archive().archive_id(), s.key().box_pk, s.key().sign_pk};
    VerifyReport r = verify_archive(s.archive(), key, &s, options);
    remember_head(s.archive(), key, r);
    report(g, r, true);
    return;
  }
  ArchivePublicKey key;
  Archive archive(g.archive_path(), Access::read, SchemaPolicy::report, *g.observer);
  if (!a.public_key.empty()) {
    key = public_key_from(a.public_key);
  } else {
    KeyFile file = KeyFile::load(g.key_path());  // public part only; no passphrase
    key = ArchivePublicKey{archive.archive_id(), file.box_pk(), file.sign_pk()};
  }
  VerifyReport r = verify_archive(archive, key, nullptr, options);
  remember_head(archive, key, r);
  report(g, r, false);
}

}  // namespace

void register_verify(CLI::App& app, Globals& g) {
  auto a = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify", "check the archive (no passphrase needed; --full decrypts every byte)");
  cmd->add_flag("--full", a->full, "also decrypt and authenticate every byte (needs the passphrase)");
  cmd->add_option("--public-key", a->public_key,
                  "the archive's public key (text from 'kaappi key public', or a file holding it) instead of the key file");
  cmd->footer(
      "Examples:\n"
      "  kaappi verify --public-key archive.pub        # nightly, no secrets needed\n"
      "  kaappi verify --full --json\n"
      "Exit 0 when everything checks out, 1 when problems were found (each names its document).\n"
      "A restore from a backup that was accepted with 'kaappi accept-restore' is shown as a note, not a problem.");
  cmd->callback([&g, a] { run(g, *a); });
}

}  // namespace kaappi::cli
