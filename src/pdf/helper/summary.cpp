// summary.cpp — see summary.h.
#include "pdf/helper/summary.h"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <string>

#include "pdf/helper/bomb_guard.h"
#include "pdf/probe_protocol.h"

namespace kaappi::pdf_helper {
namespace {

using probe::Status;

long g_poppler_errors = 0;

void count_errors(const std::string&, void*) { ++g_poppler_errors; }  // never printed

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

int refuse(Status status, const char* message) {
  std::fprintf(stderr, "%s\n", message);
  return static_cast<int>(status);
}

}  // namespace

int probe_document() {
  poppler::set_debug_error_function(count_errors, nullptr);
  std::string why;
  if (!inflates_within_limits(STDIN_FILENO, why)) {
    std::fprintf(stderr, "%s%s\n", probe::k_bomb_message, why.c_str());
    return static_cast<int>(Status::bomb);
  }

  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file("/proc/self/fd/0"));
  if (!doc) {
    FILE* f = fdopen(dup(STDIN_FILENO), "rb");
    bool encrypted = f != nullptr && looks_encrypted(f);
    if (f) std::fclose(f);
    if (encrypted) return refuse(Status::encrypted, "the PDF is password-protected");
    return refuse(Status::not_pdf, "the file is not a readable PDF (malformed or truncated)");
  }
  if (doc->is_locked()) return refuse(Status::encrypted, "the PDF is password-protected");
  int pages = doc->pages();
  if (pages <= 0) return refuse(Status::no_pages, "the PDF has no pages");

  namespace field = probe::field;
  nlohmann::json out;
  out[field::pages] = pages;
  int major = 0, minor = 0;
  doc->get_pdf_version(&major, &minor);
  out[field::pdf_version] = std::to_string(major) + "." + std::to_string(minor);
  nlohmann::json meta = nlohmann::json::object();
  for (const char* key : probe::k_metadata_text_keys) {
    std::string v = bounded(utf8(doc->info_key(key)), probe::k_max_field);
    if (!v.empty()) meta[key] = v;
  }
  if (auto t = doc->info_date_t("CreationDate"); t > 0) meta["CreationDate"] = static_cast<long long>(t);
  if (auto t = doc->info_date_t("ModDate"); t > 0) meta["ModDate"] = static_cast<long long>(t);
  out[field::metadata] = meta;

  std::string text;
  bool truncated = false;
  int unreadable = 0;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      ++unreadable;
      continue;
    }
    if (i >= probe::k_max_text_pages || text.size() >= probe::k_max_text) {
      truncated = truncated || i >= probe::k_max_text_pages || text.size() >= probe::k_max_text;
      continue;
    }
    std::string page_text = utf8(page->text());
    bool blank = true;
    for (unsigned char c : page_text) blank = blank && (c <= ' ');
    if (blank) continue;  // image-only pages give a byte or two of whitespace
    if (!text.empty()) text += "\f";
    text += page_text;
    if (text.size() > probe::k_max_text) {
      text.resize(probe::k_max_text);
      truncated = true;
    }
  }
  if (unreadable == pages) return refuse(Status::pages_unreadable, "none of the PDF's pages can be read");
  out[field::unreadable_pages] = unreadable;
  out[field::text] = text;
  out[field::text_truncated] = truncated;
  out[field::parser_warnings] = g_poppler_errors;
  std::string s = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
  return static_cast<int>(std::fflush(stdout) == 0 ? Status::ok : Status::output_failed);
}

}  // namespace kaappi::pdf_helper
