// pdf_probe.h — asking the PDF helper (kaappi-pdf-probe) about a file.
//
// probe_pdf() runs the helper as a child process with the file on its
// standard input, under limits: address space, CPU seconds, wall-clock
// seconds, no files written, few descriptors. It returns the summary or throws
// ErrorKind::rejected with one sentence naming the file and the reason (not a
// PDF, malformed or truncated, password-protected, no pages, or the reader
// crashed or ran out of its limits: hostile or a decompression bomb).
// Linked into both kaappi and kaappi-scan; holds no key.
#pragma once

#include <cstdint>
#include <string>

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

// One run of the helper. The constructor starts it (so several files can be
// read at once while kaappi encrypts another); wait() collects the summary.
// Destroying a job that was not waited for kills the helper.
class ProbeJob {
 public:
  ProbeJob(int fd, std::string display_name, const ProbeLimits& limits);
  ~ProbeJob();
  ProbeJob(const ProbeJob&) = delete;
  ProbeJob& operator=(const ProbeJob&) = delete;
  PdfSummary wait();

 private:
  int m_pid = -1;
  int m_out = -1, m_err = -1;
  std::string m_name;
  ProbeLimits m_limits;
  std::int64_t m_deadline_ms = 0;
};

PdfSummary probe_pdf(int fd, const std::string& display_name, const ProbeLimits& limits);

// Where the helper program is: $KAAPPI_PDF_PROBE, else next to this program.
std::string pdf_probe_path();

}  // namespace kaappi
