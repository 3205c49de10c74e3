// probe_protocol.h — what kaappi and its PDF helper (kaappi-pdf-probe) say to
// each other: the one description of it, used by the helper (pdf/helper/) and
// by its client (pdf/pdf_probe.cpp) alike, so the two cannot disagree. Plain
// C++ and POSIX only: the helper links no kaappi library.
//
// Start: the client runs `kaappi-pdf-probe --server` under rlimits, with only
//   PATH, LANG and (for tests) KAAPPI_FAULT in its environment, and standard
//   input a SOCK_SEQPACKET Unix socket.
// Hello: the server's first message is a Reply. `ready` (value =
//   k_protocol_version) once its seccomp filter is in place; `sandbox_refused`
//   (value = the errno) if the filter could not be installed; the server then
//   exits with Status::sandbox_refused and reads nothing.
// Request: one byte carrying exactly k_request_fds descriptors (SCM_RIGHTS),
//   in RequestFd order: the PDF, and where the document's stdout and stderr go.
// Replies: `started` (value = the document's process id, so the client can
//   kill it at its deadline), then `finished` (value = its wait status).
// A document's process exits with a Status; on Status::ok its stdout is one
//   JSON object with the fields in `field` (docs/FORMAT.md, "PDF summary").
//
// Thread-safety: the functions below only read and write the given socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

#include "pdf/form_scan.h"

namespace kaappi::probe {

inline constexpr const char* k_program = "kaappi-pdf-probe";
inline constexpr const char* k_server_flag = "--server";
inline constexpr std::int32_t k_protocol_version = 1;

enum class ReplyKind : std::int32_t {
  started = 1,          // value: the document's process id
  finished = 2,         // value: its wait status
  ready = 3,            // hello; value: k_protocol_version
  sandbox_refused = 4,  // hello; value: why the seccomp filter failed (errno)
};

struct Reply {
  ReplyKind kind;
  std::int32_t value;
};

enum RequestFd { k_pdf_fd = 0, k_out_fd = 1, k_err_fd = 2, k_request_fds = 3 };

// How a document's process (or `kaappi-pdf-probe < FILE.pdf`) exits.
enum class Status : int {
  ok = 0,
  usage = 2,
  not_pdf = 10,            // malformed or truncated
  encrypted = 11,          // password-protected
  no_pages = 12,
  pages_unreadable = 13,   // none of its pages can be read
  bomb = 14,               // stderr: k_bomb_message followed by why
  sandbox_refused = 15,    // stderr: k_sandbox_message followed by why; nothing was read
  escaped = 16,            // test-only: a forbidden call got through (pdf/helper/escape_attempts.h)
  output_failed = 70,      // the summary could not be written
  no_process = 127,        // the server could not fork the document's process
};

// The start of the stderr line of a bomb and of a refusal to run without the
// seccomp filter; what follows is the reason the client shows the user.
inline constexpr const char* k_bomb_message = "the PDF is a decompression bomb: ";
inline constexpr const char* k_sandbox_message = "the PDF helper could not install its seccomp filter: ";

// The summary's fields (docs/FORMAT.md, "PDF summary").
namespace field {
inline constexpr const char* pages = "pages";
inline constexpr const char* pdf_version = "pdf_version";
inline constexpr const char* metadata = "metadata";
inline constexpr const char* text = "text";
inline constexpr const char* text_truncated = "text_truncated";
inline constexpr const char* unreadable_pages = "unreadable_pages";
inline constexpr const char* parser_warnings = "parser_warnings";
// Forms (pdf/helper/form_reader.h; limits in pdf/form_scan.h): form_pages is
// a list of {page, codes, form?}, form the read of a kaappi form's page
// {code, images, turn, marks, boxes}; form_search is {pages_searched, image_pages,
// over_budget, stopped_at}.
inline constexpr const char* form_pages = "form_pages";
inline constexpr const char* form_page = "page";
inline constexpr const char* form_codes = "codes";
inline constexpr const char* form = "form";
inline constexpr const char* form_code = "code";
inline constexpr const char* form_images = "images";
inline constexpr const char* form_turn = "turn";
inline constexpr const char* form_marks = "marks";
inline constexpr const char* form_boxes = "boxes";
inline constexpr const char* form_search = "form_search";
inline constexpr const char* form_pages_searched = "pages_searched";
inline constexpr const char* form_image_pages = "image_pages";
inline constexpr const char* form_over_budget = "over_budget";
inline constexpr const char* form_stopped_at = "stopped_at";
}  // namespace field
// The metadata's text fields; besides them, CreationDate and ModDate (Unix seconds).
inline constexpr const char* k_metadata_text_keys[] = {"Title", "Author", "Subject", "Keywords", "Creator", "Producer"};

// What the summary may hold, and what the client reads of it.
inline constexpr std::size_t k_max_text = 1 << 20;     // text layer kept, in bytes
inline constexpr std::size_t k_max_field = 4096;       // one metadata field, in bytes
inline constexpr int k_max_text_pages = 2000;          // pages whose text is read
inline constexpr std::size_t k_max_summary = 32u << 20; // stdout the client reads; more is hostile
inline constexpr std::size_t k_max_message = 4096;     // stderr the client reads
inline constexpr int k_max_summary_depth = 8;          // levels nested in the summary the client reads (it has 5)
// One form_pages entry at most: its codes (and the form's) escaped, its
// crops in base64, 4 KiB of names and numbers.
inline constexpr std::size_t k_max_form_page_json =
    6 * (form::k_max_codes_per_page + 1) * form::k_max_code_bytes +
    form::k_max_boxes_per_page * (4 * ((form::k_max_crop_side_px * form::k_max_crop_side_px + 2) / 3) + 4) + 4096;
// A JSON escape is at most 6 bytes per byte of text, so a summary within the
// limits above always fits what the client reads (form_search lists at most
// k_max_form_pages pages over budget).
static_assert(6 * (k_max_text + std::size(k_metadata_text_keys) * k_max_field) + 4096 +
                  form::k_max_form_pages * (k_max_form_page_json + 16) < k_max_summary);

// Client side: send one request; read one reply (false at end of input or on
// a malformed reply).
bool send_request(int sock, const int fds[k_request_fds]);
bool receive_reply(int sock, Reply& reply);

// Server side: read one request (false at end of input or on a malformed
// request; the descriptors arrive close-on-exec); send one reply. Replies are
// written with write(), not send(): the helper's seccomp filter refuses sendto.
bool receive_request(int sock, int fds[k_request_fds]);
bool send_reply(int sock, ReplyKind kind, std::int32_t value);

}  // namespace kaappi::probe
