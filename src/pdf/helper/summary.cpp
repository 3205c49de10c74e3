// summary.cpp — see summary.h.
#include "pdf/helper/summary.h"

#include <iconv.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <string>
#include <vector>

#include "pdf/helper/bomb_guard.h"
#include "pdf/helper/form_reader.h"
#include "pdf/helper/image_page.h"
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

// A one-page PDF with one line of text, made here (trusted, never read from
// outside), to load what Poppler sets up on first use.
std::string warm_up_pdf() {
  const char* objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length 36 >>\nstream\nBT /F1 12 Tf 10 50 Td (kaappi) Tj ET\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < std::size(objects); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace

void warm_up() {
  // Poppler keeps its global parameters (font and Unicode tables, read from
  // its data folders) while a document lives; glibc keeps a gconv module
  // loaded while a conversion of it is open, and the time zone once read.
  static const std::string pdf = warm_up_pdf();
  static std::unique_ptr<poppler::document> keep(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (keep && keep->pages() > 0) {
    std::unique_ptr<poppler::page> page(keep->create_page(0));
    if (page) (void)utf8(page->text());
    (void)keep->info_date_t("CreationDate");
    warm_up_form_reader(*keep);
  }
  static const iconv_t utf16 = ::iconv_open("UTF-8", "UTF-16");
  (void)utf16;
  ::tzset();
}

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
  {
    // The same file seen by Poppler's core a second time: the warnings of
    // reading it again were counted once already.
    const long warnings = g_poppler_errors;
    ImagePages images("/proc/self/fd/0");
    g_poppler_errors = warnings;
    read_forms(*doc, images, out);
  }
  out[field::parser_warnings] = g_poppler_errors;
  std::string s = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
  return static_cast<int>(std::fflush(stdout) == 0 ? Status::ok : Status::output_failed);
}

}  // namespace kaappi::pdf_helper
