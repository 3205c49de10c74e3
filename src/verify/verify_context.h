// verify_context.h — what the parts of one verify run share: the archive
// and its index, the public key, the session (null for a keyless check), the
// options, the report the parts add to, and the documents (read with their
// table's rows, used by the link, blob, folder and field checks). One run,
// one thread: the parts that read on both cores (verify/table_stream.h)
// gather their problems per core and add them here afterwards.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "store/document_history.h"
#include "store/session.h"
#include "verify/verifier.h"

namespace kaappi {

struct VerifyContext {
  Archive& archive;
  Index& index;
  const ArchivePublicKey& key;
  Session* session;  // null: keyless
  VerifyOptions options;
  VerifyReport report;
  std::vector<DocumentRow> documents;  // in id order (Index::documents): find_document
  bool blobs_folder_replaced = false;  // the blob check found no folder of the archive at blobs/

  // Where document blobs are read: the archive's folder, or a backup's.
  std::string blob_root() const { return options.blob_root.empty() ? archive.root() : options.blob_root; }
  std::string blob_path(const Bytes& uid) const { return Archive::blob_path_in(blob_root(), uid); }

  void add(std::optional<std::int64_t> document, std::string problem, std::string detail) {
    report.problems.push_back({document, std::move(problem), std::move(detail)});
  }
  void note(std::string text) { report.notes.push_back(std::move(text)); }

  // Runs f(); an archive problem it throws becomes "cannot check <what>" (a
  // wrong key is not an archive problem: it is rethrown).
  template <typename F>
  void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::auth) throw;
      add({}, std::string("cannot check ") + what, e.what());
    }
  }
};

}  // namespace kaappi
