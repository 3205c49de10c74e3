// pdf_probe.h — asking the PDF helper (kaappi-pdf-probe) about a file.
//
// probe_pdf() runs the helper as a child process with the file on its
// standard input, under limits: address space, CPU seconds, wall-clock
// seconds, no files written, few descriptors. It returns the summary or throws
// ErrorKind::rejected with one sentence naming the file and the reason (not a
// PDF, malformed or truncated, password-protected, no pages, or the reader
// crashed or ran out of its limits: hostile or a decompression bomb). If the
// helper cannot install its seccomp filter it reads nothing, and every job
// throws ErrorKind::io: the operating system refused the sandbox, which is
// neither the input's fault nor a bug. What the two programs say to each
// other is in pdf/probe_protocol.h. Linked into both kaappi and kaappi-scan;
// holds no key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_io.h"

namespace kaappi {

struct ProbeLimits {
  std::uint64_t memory_bytes = 1024ull << 20;
  int cpu_seconds = 60;
  int wall_seconds = 120;
  static ProbeLimits from_environment();  // KAAPPI_PROBE_MEMORY_MB, _CPU_SECONDS, _WALL_SECONDS
};

struct PdfSummary {
  std::int64_t pages = 0;
  std::string json;  // the helper's summary object, validated UTF-8 JSON
};

// The helper, started once as a fork server ("kaappi-pdf-probe --server")
// under the limits, so Poppler's libraries are loaded once per command, not
// once per document; every document is still read by a process of its own.
// Up to `servers` documents are read at the same time. Not thread-safe.
class ProbeService {
 public:
  explicit ProbeService(const ProbeLimits& limits, size_t servers = 2);
  ~ProbeService();
  ProbeService(const ProbeService&) = delete;
  ProbeService& operator=(const ProbeService&) = delete;
  const ProbeLimits& limits() const { return m_limits; }
  size_t servers() const { return m_servers.size(); }  // how many documents can be read at once

 private:
  friend class ProbeJob;
  struct Server {
    int pid = -1;
    int sock = -1;
    bool busy = false;
  };
  Server& acquire();
  void start(Server& server);
  void release(Server& server, bool healthy);
  void stop(Server& server);
  [[noreturn]] void refuse_without_sandbox(const std::string& reason);
  ProbeLimits m_limits;
  std::vector<Server> m_servers;
  std::string m_sandbox_refused;  // set once a helper could not install its filter
};

// One document being read. The constructor hands it to a free server (so
// several files can be read while kaappi encrypts another); wait() collects
// the summary or throws ErrorKind::rejected. Destroying a job that was not
// waited for kills its process.
class ProbeJob {
 public:
  ProbeJob(ProbeService& service, int fd, std::string display_name);
  ~ProbeJob();
  ProbeJob(const ProbeJob&) = delete;
  ProbeJob& operator=(const ProbeJob&) = delete;
  PdfSummary wait();

 private:
  ProbeService& m_service;
  ProbeService::Server* m_server = nullptr;
  int m_child = -1;  // the document's process, once the server said so
  Fd m_out, m_err;
  std::string m_name;
  std::int64_t m_deadline_ms = 0;
};

// The helper's summary (its standard output) as kaappi reads it: one JSON
// object with a positive page count, else ErrorKind::rejected naming `name`.
PdfSummary read_pdf_summary(std::string_view out_text, const std::string& name);

// The summary without what the form reader added (form_pages with its box
// crops, form_search): what a station seals in an envelope's metadata. The
// key holder's ingest reads the scan itself, and a scan of many forms would
// not fit the metadata's limit with their crops.
std::string summary_without_forms(const std::string& json);

// A single document with a service of its own.
PdfSummary probe_pdf(int fd, const std::string& display_name, const ProbeLimits& limits);

// Where the helper program is: $KAAPPI_PDF_PROBE, else found relative to this
// program: next to it (a build tree), or where the install puts it (bin/../lib/kaappi/).
std::string pdf_probe_path();

}  // namespace kaappi
