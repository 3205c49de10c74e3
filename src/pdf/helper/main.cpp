// kaappi-pdf-probe — reads one untrusted PDF and prints a bounded summary.
//
// This program links Poppler and no key code. Every document is read by its
// own process, under CPU, wall-clock, memory and file-size limits, so a crash
// or hang in the parser cannot touch the archive, nor another document.
//
//   kaappi-pdf-probe < FILE.pdf   reads one PDF from standard input.
//   kaappi-pdf-probe --server     (kaappi's way) standard input is a Unix
//       socket. Each request carries three descriptors: the PDF, and where
//       its stdout and stderr go. The server forks one child per request,
//       replies with the child's pid (so kaappi can kill it at its deadline),
//       waits for it and replies with its wait status. Loading Poppler's
//       libraries once instead of once per document makes bulk imports fast.
//
// A seccomp filter forbids networking, starting programs and changing files;
// a document's process also may not fork. Output (stdout): one JSON object,
// see docs/FORMAT.md ("PDF summary"). Exit codes: 0 ok; 10 not a readable PDF;
// 11 password-protected; 12 no pages; 13 pages cannot be read; 14 decompression
// bomb; 2 usage.
#include <seccomp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <zlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <string>
#include <vector>
#include <algorithm>

namespace {

constexpr size_t k_max_text = 1 << 20;        // text layer kept, in bytes
constexpr size_t k_max_field = 4096;          // one metadata field
constexpr int k_max_text_pages = 2000;        // pages whose text we read

long g_poppler_errors = 0;

void count_errors(const std::string&, void*) { ++g_poppler_errors; }  // never printed

void install_seccomp() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return;
  const int denied[] = {
      SCMP_SYS(socket),   SCMP_SYS(connect),    SCMP_SYS(bind),     SCMP_SYS(listen),   SCMP_SYS(accept),
      SCMP_SYS(accept4),  SCMP_SYS(sendto),     SCMP_SYS(execve),   SCMP_SYS(execveat), SCMP_SYS(fork),
      SCMP_SYS(vfork),    SCMP_SYS(ptrace),     SCMP_SYS(unlink),   SCMP_SYS(unlinkat), SCMP_SYS(rename),
      SCMP_SYS(renameat), SCMP_SYS(renameat2),  SCMP_SYS(mkdir),    SCMP_SYS(mkdirat),  SCMP_SYS(rmdir),
      SCMP_SYS(chmod),    SCMP_SYS(fchmod),     SCMP_SYS(fchmodat), SCMP_SYS(chown),    SCMP_SYS(fchown),
      SCMP_SYS(truncate), SCMP_SYS(ftruncate),  SCMP_SYS(link),     SCMP_SYS(linkat),   SCMP_SYS(symlink),
      SCMP_SYS(symlinkat), SCMP_SYS(kill),      SCMP_SYS(tkill),    SCMP_SYS(setuid),   SCMP_SYS(setgid),
  };
  for (int sys : denied) seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), sys, 0);
  seccomp_load(ctx);
  seccomp_release(ctx);
}

std::string bounded(std::string s, size_t limit) {
  if (s.size() > limit) s.resize(limit);
  return s;
}

std::string utf8(const poppler::ustring& u) {
  poppler::byte_array bytes = u.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

bool looks_encrypted(FILE* f) {
  // Poppler reports a document it cannot open for lack of a password as a
  // load failure; look for the /Encrypt key to say so precisely.
  std::rewind(f);
  std::string window;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    window.append(buf, n);
    if (window.find("/Encrypt") != std::string::npos) return true;
    window.erase(0, window.size() > 16 ? window.size() - 16 : 0);
  }
  return false;
}

// Inflates every Flate-looking stream in the raw file (without trusting its
// /Length) and counts the output, so a decompression bomb is refused before
// Poppler ever expands it. Limits: one stream 256 MiB; all streams together
// the larger of 2 GiB and 100 times the file size.
bool inflation_ok(int fd, std::string& why) {
  constexpr unsigned long long k_stream_limit = 256ull << 20;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return true;
  unsigned long long total_limit = std::max<unsigned long long>(2ull << 30, 100ull * static_cast<unsigned long long>(st.st_size));
  enum { search, after_keyword, after_cr, inflating } state = search;
  const char* keyword = "stream";
  int matched = 0;
  z_stream zs {};
  if (inflateInit(&zs) != Z_OK) return true;
  unsigned long long stream_out = 0, total_out = 0;
  std::vector<unsigned char> buf(1 << 20), scratch(1 << 16);
  ssize_t n;
  ::lseek(fd, 0, SEEK_SET);
  bool ok = true;
  while (ok && (n = ::read(fd, buf.data(), buf.size())) > 0) {
    size_t pos = 0, len = static_cast<size_t>(n);
    while (ok && pos < len) {
      if (state == search) {
        char c = static_cast<char>(buf[pos++]);
        matched = c == keyword[matched] ? matched + 1 : (c == keyword[0] ? 1 : 0);
        if (matched == 6) {
          state = after_keyword;
          matched = 0;
        }
      } else if (state == after_keyword || state == after_cr) {
        unsigned char c = buf[pos];
        if (c == '\n') {
          ++pos;
          state = inflating;
        } else if (c == '\r' && state == after_keyword) {
          ++pos;
          state = after_cr;
        } else {
          state = state == after_cr ? inflating : search;
        }
        if (state == inflating) {
          inflateReset(&zs);
          stream_out = 0;
        }
      } else {
        zs.next_in = buf.data() + pos;
        zs.avail_in = static_cast<uInt>(len - pos);
        for (;;) {
          zs.next_out = scratch.data();
          zs.avail_out = static_cast<uInt>(scratch.size());
          int rc = inflate(&zs, Z_NO_FLUSH);
          unsigned long long produced = scratch.size() - zs.avail_out;
          stream_out += produced;
          total_out += produced;
          if (stream_out > k_stream_limit || total_out > total_limit) {
            why = stream_out > k_stream_limit ? "a single stream inflates to more than 256 MiB"
                                              : "its streams inflate to more than " + std::to_string(total_limit >> 20) + " MiB";
            ok = false;
            break;
          }
          if (rc == Z_STREAM_END || (rc != Z_OK && rc != Z_BUF_ERROR)) {
            state = search;
            pos = len - zs.avail_in;
            if (rc != Z_STREAM_END && pos < len) ++pos;
            break;
          }
          if (zs.avail_in == 0 && zs.avail_out != 0) {
            pos = len;
            break;
          }
          if (rc == Z_BUF_ERROR && zs.avail_out != 0) {
            pos = len;
            break;
          }
        }
      }
    }
  }
  inflateEnd(&zs);
  ::lseek(fd, 0, SEEK_SET);
  return ok;
}

int die(int code, const char* message) {
  std::fprintf(stderr, "%s\n", message);
  return code;
}

}  // namespace

// One document, on standard input; the summary on standard output.
int probe_document() {
  std::string why;
  if (!inflation_ok(0, why)) {
    std::fprintf(stderr, "the PDF is a decompression bomb: %s\n", why.c_str());
    return 14;
  }

  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file("/proc/self/fd/0"));
  if (!doc) {
    FILE* f = fdopen(dup(0), "rb");
    bool encrypted = f != nullptr && looks_encrypted(f);
    if (f) std::fclose(f);
    if (encrypted) return die(11, "the PDF is password-protected");
    return die(10, "the file is not a readable PDF (malformed or truncated)");
  }
  if (doc->is_locked()) return die(11, "the PDF is password-protected");
  int pages = doc->pages();
  if (pages <= 0) return die(12, "the PDF has no pages");

  nlohmann::json out;
  out["pages"] = pages;
  int major = 0, minor = 0;
  doc->get_pdf_version(&major, &minor);
  out["pdf_version"] = std::to_string(major) + "." + std::to_string(minor);
  nlohmann::json meta = nlohmann::json::object();
  for (const char* key : {"Title", "Author", "Subject", "Keywords", "Creator", "Producer"}) {
    std::string v = bounded(utf8(doc->info_key(key)), k_max_field);
    if (!v.empty()) meta[key] = v;
  }
  if (auto t = doc->info_date_t("CreationDate"); t > 0) meta["CreationDate"] = static_cast<long long>(t);
  if (auto t = doc->info_date_t("ModDate"); t > 0) meta["ModDate"] = static_cast<long long>(t);
  out["metadata"] = meta;

  std::string text;
  bool truncated = false;
  int unreadable = 0;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      ++unreadable;
      continue;
    }
    if (i >= k_max_text_pages || text.size() >= k_max_text) {
      truncated = truncated || i >= k_max_text_pages || text.size() >= k_max_text;
      continue;
    }
    std::string page_text = utf8(page->text());
    bool blank = true;
    for (unsigned char c : page_text) blank = blank && (c <= ' ');
    if (blank) continue;  // image-only pages give a byte or two of whitespace
    if (!text.empty()) text += "\f";
    text += page_text;
    if (text.size() > k_max_text) {
      text.resize(k_max_text);
      truncated = true;
    }
  }
  if (unreadable == pages) return die(13, "none of the PDF's pages can be read");
  out["unreadable_pages"] = unreadable;
  out["text"] = text;
  out["text_truncated"] = truncated;
  out["parser_warnings"] = g_poppler_errors;
  std::string s = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
  return std::fflush(stdout) == 0 ? 0 : 70;
}

// A document's process may not create processes or threads either.
void forbid_fork() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return;
  for (int sys : {SCMP_SYS(clone), SCMP_SYS(clone3), SCMP_SYS(fork), SCMP_SYS(vfork)})
    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), sys, 0);
  seccomp_load(ctx);
  seccomp_release(ctx);
}

struct Reply {
  std::int32_t kind;    // 1 started (value = pid), 2 finished (value = wait status)
  std::int32_t value;
};

bool send_reply(int sock, std::int32_t kind, std::int32_t value) {
  Reply r{kind, value};
  // write(), not send(): the seccomp filter refuses sendto. If kaappi is
  // gone, SIGPIPE ends the server, as it should.
  return ::write(sock, &r, sizeof r) == static_cast<ssize_t>(sizeof r);
}

// Receives one request: exactly three descriptors. False at end of input.
bool receive_request(int sock, int fds[3]) {
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  if (n <= 0) return false;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(3 * sizeof(int))) return false;
  std::memcpy(fds, CMSG_DATA(c), 3 * sizeof(int));
  return true;
}

int serve(int sock) {
  for (;;) {
    int fds[3];
    if (!receive_request(sock, fds)) return 0;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(sock);
      for (int i = 0; i < 3; ++i) ::dup2(fds[i], i);
      for (int i = 0; i < 3; ++i)
        if (fds[i] > 2) ::close(fds[i]);
      // Each document gets the full CPU budget of its own.
      forbid_fork();
      std::_Exit(probe_document());
    }
    for (int fd : fds) ::close(fd);
    if (pid < 0) {
      if (!send_reply(sock, 2, 127 << 8)) return 1;
      continue;
    }
    if (!send_reply(sock, 1, pid)) return 1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!send_reply(sock, 2, status)) return 1;
  }
}

int main(int argc, char** argv) {
  bool server = argc == 2 && std::strcmp(argv[1], "--server") == 0;
  if (argc != 1 && !server) return die(2, "usage: kaappi-pdf-probe < FILE.pdf | kaappi-pdf-probe --server");
  poppler::set_debug_error_function(count_errors, nullptr);
  install_seccomp();
  if (server) return serve(STDIN_FILENO);
  return probe_document();
}
