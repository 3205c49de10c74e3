// document_copies.cpp — see document_copies.h.
#include "documents/document_copies.h"

#include "base/word_list.h"
#include "store/document_history.h"

namespace kaappi {

DocumentCopies::DocumentCopies(const Archive& archive, std::vector<DocumentRow> holders) {
  for (DocumentRow& row : holders) {
    const BlobFile there = open_blob(archive, row.uid, row.blob_size);
    std::string problem = there.state == BlobFile::State::ok ? std::string() : there.problem(row.blob_size);
    // Not put back: a folder in the blob's place, or a blob folder that is a link (a writer refuses it anyway).
    const bool folder = (there.state == BlobFile::State::not_regular && there.what == "a folder") ||
                        there.state == BlobFile::State::linked_folder;
    m_holders.push_back({std::move(row), there.state, std::move(problem), folder});
  }
}

const DocumentRow* DocumentCopies::in_place() const {
  for (const Holder& h : m_holders)
    if (h.state == BlobFile::State::ok) return &h.row;
  return nullptr;
}

std::vector<DocumentCopies::Repairable> DocumentCopies::repairable() const {
  std::vector<Repairable> out;
  for (const Holder& h : m_holders)
    if (h.state != BlobFile::State::ok && !h.folder) out.push_back({&h.row, h.problem});
  return out;
}

std::int64_t DocumentCopies::twin() const {
  if (m_holders.empty() || in_place()) return 0;
  std::vector<std::int64_t> ids;
  for (const Holder& h : m_holders) ids.push_back(h.row.id);
  return twin_for(ids);
}

std::string DocumentCopies::stored_again(const std::string& what) const {
  const std::string end = "run kaappi verify), so this one was stored as well";
  if (m_holders.size() == 1)
    return "document " + std::to_string(m_holders[0].row.id) + " holds the same " + what +
           ", but its encrypted file " + m_holders[0].problem + " (" + end;
  std::vector<std::int64_t> ids;
  std::string problems;
  for (const Holder& h : m_holders) {
    ids.push_back(h.row.id);
    problems += "document " + std::to_string(h.row.id) + "'s " + h.problem + "; ";
  }
  return "documents " + and_list(ids) + " hold the same " + what + ", but none has its encrypted file in place (" +
         problems + end;
}

}  // namespace kaappi
