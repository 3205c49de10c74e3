// envelope_removal.cpp — see envelope_removal.h.
#include "intake/envelope_removal.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "base/error.h"

namespace kaappi {
namespace {

constexpr const char* k_replaced =
    "another file was put under its envelope's name after it was read; that file is left in the inbox for the "
    "next ingest";

std::vector<size_t> slots_of(const std::vector<ReadEnvelope>& envelopes) {
  std::vector<size_t> slots;
  for (const ReadEnvelope& e : envelopes) slots.push_back(e.slot);
  return slots;
}

}  // namespace

void EnvelopeRemoval::start(const Dir& inbox, std::vector<ReadEnvelope> stored, std::vector<ReadEnvelope> duplicates) {
  finish();
  Running r;
  r.stored = slots_of(stored);
  r.duplicates = slots_of(duplicates);
  std::vector<ReadEnvelope> all = std::move(stored);
  all.insert(all.end(), std::make_move_iterator(duplicates.begin()), std::make_move_iterator(duplicates.end()));
  r.failed = std::async(std::launch::async, [inbox = &inbox, all = std::move(all)] {
    std::map<size_t, std::string> failed;
    for (const ReadEnvelope& e : all) {
      // Only the file that was read: another one put under its name since
      // (a share client replacing it) is the next ingest's.
      struct stat st {};
      if (::fstatat(inbox->fd(), e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !(version_of(st) == e.version)) {
        failed[e.slot] = k_replaced;
        continue;
      }
      try {
        inbox->remove(e.name);
      } catch (const Error& error) {
        failed[e.slot] = error.what();
      }
    }
    try {
      if (!all.empty()) inbox->sync();
    } catch (const Error& error) {
      for (const ReadEnvelope& e : all) failed.emplace(e.slot, error.what());
    }
    return failed;
  });
  m_running = std::move(r);
}

void EnvelopeRemoval::not_started(const std::vector<ReadEnvelope>& stored, const std::vector<ReadEnvelope>& duplicates,
                                  const std::string& why) {
  std::map<size_t, std::string> all;
  for (const ReadEnvelope& e : stored) all.emplace(e.slot, why);
  for (const ReadEnvelope& e : duplicates) all.emplace(e.slot, why);
  say_removed(slots_of(stored), slots_of(duplicates), all);
}

void EnvelopeRemoval::finish() {
  if (!m_running) return;
  Running r = std::move(*m_running);
  m_running.reset();
  say_removed(r.stored, r.duplicates, r.failed.get());
}

void EnvelopeRemoval::say_removed(const std::vector<size_t>& stored, const std::vector<size_t>& duplicates,
                                  const std::map<size_t, std::string>& failed) {
  for (size_t slot : stored)
    if (auto f = failed.find(slot); f != failed.end()) {
      IngestOutcome& o = m_outcomes[slot];
      o.message += (o.message.empty() ? "" : "; ") +
                   (f->second == k_replaced ? std::string(k_replaced)
                                            : "its envelope was not removed (" + f->second +
                                                  "); the next ingest finds it already taken in and removes it");
      o.done_in_part = f->second != k_replaced;
    }
  for (size_t slot : duplicates) {
    IngestOutcome& o = m_outcomes[slot];
    auto f = failed.find(slot);
    if (f == failed.end()) {
      o.message += "; envelope removed";
    } else if (f->second == k_replaced) {
      o.message += std::string("; ") + k_replaced;
    } else {
      o.message += "; its envelope was not removed (" + f->second + "); the next ingest removes it";
      o.done_in_part = true;
    }
  }
}

}  // namespace kaappi
