// pdf_writer.h — the few lines of PDF syntax the test tools write their
// image-only PDFs with (make_scan_pdf, scan_form): numbered objects, with
// streams, then the catalog (object 1) and page tree (object 2) written last
// with the pages' ids, an info dictionary, the cross-reference table and the
// trailer. Trusted input only; one writer per file, not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace kaappi::testing {

struct PdfWriter {
  std::string out = "%PDF-1.5\n%\xe2\xe3\xcf\xd3\n";
  std::vector<size_t> offsets{0, 0};  // objects 1 (catalog) and 2 (pages) are written last

  // Object `head` (a dictionary), with `stream` after it when given; returns its id.
  int add(const std::string& head, const std::vector<std::uint8_t>* stream = nullptr) {
    offsets.push_back(out.size());
    const int id = static_cast<int>(offsets.size());
    out += std::to_string(id) + " 0 obj\n" + head;
    if (stream) {
      out += "\nstream\n";
      out.append(reinterpret_cast<const char*>(stream->data()), stream->size());
      out += "\nendstream";
    }
    out += "\nendobj\n";
    return id;
  }

  // The catalog, the page tree of `pages`, `info` (a dictionary), the xref
  // and the trailer; returns the whole file.
  const std::string& finish(const std::vector<int>& pages, const std::string& info) {
    offsets[0] = out.size();
    out += "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
    offsets[1] = out.size();
    std::string kids;
    for (int id : pages) kids += std::to_string(id) + " 0 R ";
    out += "2 0 obj\n<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>\nendobj\n";
    const int info_id = add(info);
    const size_t xref = out.size();
    out += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    char line[32];
    for (size_t off : offsets) {
      std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
      out += line;
    }
    out += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R /Info " +
           std::to_string(info_id) + " 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
  }
};

}  // namespace kaappi::testing
