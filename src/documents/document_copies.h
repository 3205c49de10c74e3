// document_copies.h — the one rule import and ingest decide a duplicate by
// (docs/FORMAT.md, "Index", `twin_of`): content a customer's documents (or
// the unassigned ones) already hold, or an envelope already taken in, is a
// duplicate when ANY document holding it has its blob file in place. Only
// when none has is it stored again, naming as its twin the one verify's
// replay expects (store/document_history.h, twin_for: the lowest id), and
// saying so. Assign refuses every twin and needs no blob check.
//
// Opens (and closes) each holder's blob file; reads nothing else. One thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/blob_file.h"
#include "store/index_rows.h"

namespace kaappi {

class Archive;

class DocumentCopies {
 public:
  // `holders`: the documents holding it, in id order (Index::documents_by_content, documents_by_blob).
  DocumentCopies(const Archive& archive, std::vector<DocumentRow> holders);

  bool any() const { return !m_holders.empty(); }
  // The first holder whose blob file is in place: what it is a duplicate of.
  const DocumentRow* in_place() const;
  // A holder whose blob file is not in place but can be put back, replacing
  // what is there: missing, of the wrong size, or a file that is not a
  // regular one (not a folder). Ingest puts one back from an envelope
  // holding its very blob, with what the problem was.
  struct Repairable {
    const DocumentRow* row;
    std::string problem;  // "is missing", "has 5 bytes, not the 100 ...", "is a symbolic link, ..."
  };
  std::vector<Repairable> repairable() const;
  // When none is in place: the document a new copy names as its twin (0: no holder).
  std::int64_t twin() const;
  // The note said with a copy stored again: "document 1 holds the same scan, but its
  // encrypted file is missing (run kaappi verify), so this one was stored as well".
  // `what`: "content", "scan".
  std::string stored_again(const std::string& what) const;

 private:
  struct Holder {
    DocumentRow row;
    BlobFile::State state;
    std::string problem;  // when not in place: "is missing", ...
    bool folder = false;  // a folder where its blob file belongs
  };
  std::vector<Holder> m_holders;
};

}  // namespace kaappi
