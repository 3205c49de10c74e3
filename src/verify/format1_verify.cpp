// format1_verify.cpp — see format1_verify.h.
#include "verify/format1_verify.h"

#include <algorithm>

#include "base/error.h"
#include "store/archive.h"
#include "store/format1_read.h"
#include "store/head_history.h"
#include "store/machine_records.h"
#include "verify/blob_check.h"

namespace kaappi {
namespace {

// "change 57 (digest abcd1234…)"
std::string change(std::int64_t seq, const Bytes& digest) {
  return "change " + std::to_string(seq) + " (digest " + to_hex(digest).substr(0, 8) + "…)";
}

void check_blobs(const std::string& root, const Format1Check& check, VerifyReport& report,
                 const VerifyOptions& options, Observer& observer) {
  if (std::optional<Problem> replaced = blobs_folder_replaced(root)) {
    report.problems.push_back(std::move(*replaced));
    return;
  }
  std::uint64_t total = 0;
  for (const auto& d : check.documents) total += static_cast<std::uint64_t>(std::max<std::int64_t>(d.blob_size, 0));
  Progress progress(observer, "verifying", total, options.quiet);
  std::uint64_t before = 0;
  for (const auto& d : check.documents) {
    ++report.documents_checked;
    auto on_progress = [&](std::uint64_t done) { progress.update(before + done); };
    if (std::optional<BlobFile> blob =
            open_checked_blob(Archive::blob_path_in(root, d.uid), d, check.archive_id, report.problems))
      check_blob_hash(*blob, d, BlobHashFormat::format1, report, on_progress);
    before += static_cast<std::uint64_t>(std::max<std::int64_t>(d.blob_size, 0));
  }
  progress.finish();
}

}  // namespace

VerifyReport verify_format1_archive(const std::string& root, const ArchivePublicKey& key,
                                    const VerifyOptions& options, Observer& observer) {
  VerifyReport report;
  const std::string index = root + "/index.sqlite";
  std::optional<SeenHead> seen;
  try {
    seen = remembered_head(Index::stored_public_key(index).archive_id);
  } catch (const StateUnusable& e) {
    report.problems.push_back({std::nullopt, "head record unusable", e.what()});
  }
  std::optional<Format1Head> remembered;
  if (seen && seen->format1) remembered = Format1Head{seen->tx, seen->digest};
  Format1Check check = read_format1_index(index, remembered);
  if (check.sign_pk != key.sign_pk) fail(ErrorKind::auth, "this public key does not belong to archive " + root);
  if (!key.archive_id.empty() && key.archive_id != check.archive_id) {
    report.problems.push_back({std::nullopt, "archive replaced",
                               "archive folder " + root + " holds archive " + to_hex(check.archive_id) +
                                   ", not archive " + to_hex(key.archive_id) +
                                   " that the public key names. Nothing else was checked"});
    return report;
  }
  for (const std::string& problem : check.problems)
    report.problems.push_back({std::nullopt, "index fails format 1's checks", problem});
  if (seen && !seen->format1)
    report.problems.push_back({std::nullopt, "archive rolled back",
                               "this machine last saw change " + std::to_string(seen->tx) +
                                   " of it upgraded to format 2, and it now holds a format-1 index"});
  else if (remembered && !check.remembered_in_chain)
    report.problems.push_back({std::nullopt, "archive rolled back or forked",
                               "the archive does not continue " + change(remembered->seq, remembered->digest) +
                                   " that this machine saw (its head is change " + std::to_string(check.head.seq) +
                                   ")"});
  check_blobs(root, check, report, options, observer);
  return report;
}

}  // namespace kaappi
