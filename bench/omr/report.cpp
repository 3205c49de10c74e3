// omr_report — bench/omr/run.sh's report: compares what kaappi import filed
// and kaappi review read with scan_form's truth files, and prints Markdown
// tables: QR filing per degradation, the per-box confusion (the drawn mark ×
// the reading) overall and per degradation, the unsure rate and the
// confident errors of ticks, X marks and empty boxes, and what became of
// filled, crossed-out, light-pencil and dotted boxes.
//
// usage: omr_report MANIFEST.tsv REVIEW.json IMPORT.json...
//   MANIFEST: one line a scan: index, degradation, customer, scan path,
//   truth path, scan_form's arguments (tab-separated).
//   IMPORT: `kaappi import --json` outputs (results[].file is the scan path).
//   REVIEW: `kaappi review --all --json`.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

json load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "omr_report: cannot read " << path << "\n";
    std::exit(2);
  }
  return json::parse(in);
}

struct Scan {
  int index = 0;
  std::string degradation, customer, scan, truth, args;
};

const std::vector<std::string> kinds = {"tick", "x", "empty", "filled", "crossed", "light", "dot"};
const std::vector<std::string> readings = {"ticked", "empty", "unsure", "not read"};

bool fax(const std::string& d) { return d.rfind("fax", 0) == 0; }
bool photocopy(const std::string& d) { return d.rfind("photocopy", 0) == 0; }
// Ticks, X marks and empty boxes: the goal of ≥ 99.5 % decided correctly.
bool plain(const std::string& kind) { return kind == "tick" || kind == "x" || kind == "empty"; }

std::string pct(long n, long of) {
  if (of == 0) return "–";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f %%", 100.0 * static_cast<double>(n) / static_cast<double>(of));
  return b;
}
std::string pct2(long n, long of) {
  if (of == 0) return "–";
  char b[32];
  std::snprintf(b, sizeof b, "%.2f %%", 100.0 * static_cast<double>(n) / static_cast<double>(of));
  return b;
}

struct Box {
  const Scan* scan = nullptr;
  std::string purpose, kind, meant, read, because;
  double confidence = 0;
};

// The tallies of one degradation (or all).
struct Tally {
  std::map<std::string, std::map<std::string, long>> confusion;  // kind → reading → boxes
  long plain_n = 0, plain_right = 0, plain_unsure = 0, plain_wrong = 0, plain_unread = 0;
  long other_n = 0, other_meant = 0, other_unsure = 0, other_wrong = 0, other_unread = 0;
  long fax_vanished = 0, copy_wiped = 0;
  void add(const Box& b) {
    ++confusion[b.kind][b.read];
    const bool opposite = (b.read == "ticked" || b.read == "empty") && b.read != b.meant;
    if (plain(b.kind)) {
      ++plain_n;
      if (b.read == b.meant) ++plain_right;
      else if (b.read == "unsure") ++plain_unsure;
      else if (opposite) ++plain_wrong;
      else ++plain_unread;
      return;
    }
    // A light pencil mark the 1-bit threshold wiped out: not counted (issue 13).
    if (b.kind == "light" && fax(b.scan->degradation) && b.read == "empty") {
      ++fax_vanished;
      return;
    }
    if (b.kind == "light" && photocopy(b.scan->degradation) && b.read == "empty") ++copy_wiped;  // counted
    ++other_n;
    if (b.read == b.meant) ++other_meant;
    else if (b.read == "unsure") ++other_unsure;
    else if (opposite) ++other_wrong;
    else ++other_unread;
  }
};

struct Filing {
  long scans = 0, right = 0, wrong = 0, unassigned = 0, form_found = 0;
  std::map<std::string, long> because;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: omr_report MANIFEST.tsv REVIEW.json IMPORT.json...\n";
    return 2;
  }
  std::vector<Scan> scans;
  std::vector<std::string> order;  // degradations in manifest order
  {
    std::ifstream in(argv[1]);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      Scan s;
      std::string index;
      std::getline(fields, index, '\t');
      std::getline(fields, s.degradation, '\t');
      std::getline(fields, s.customer, '\t');
      std::getline(fields, s.scan, '\t');
      std::getline(fields, s.truth, '\t');
      std::getline(fields, s.args);
      s.index = std::stoi(index);
      bool seen = false;
      for (const auto& d : order) seen = seen || d == s.degradation;
      if (!seen) order.push_back(s.degradation);
      scans.push_back(s);
    }
  }
  std::map<std::string, json> imported;  // scan path → import result
  for (int i = 3; i < argc; ++i) {
    const json results = load(argv[i])["results"];
    for (const auto& r : results) imported[r["file"].get<std::string>()] = r;
  }
  std::map<long, json> reviewed;  // document → review form
  const json forms = load(argv[2])["forms"];
  for (const auto& f : forms) reviewed[f["document"].get<long>()] = f;

  std::map<std::string, Filing> filing;
  std::map<std::string, Tally> tally;
  Tally all;
  Filing all_filing;
  std::vector<Box> wrong, vanished, wiped;
  std::map<std::string, std::map<std::string, long>> unsure_because;  // kind → reason → boxes
  for (const Scan& s : scans) {
    Filing& f = filing[s.degradation];
    ++f.scans;
    ++all_filing.scans;
    const auto it = imported.find(s.scan);
    json form;
    if (it == imported.end()) {
      ++f.unassigned;
      ++all_filing.unassigned;
      ++f.because["not imported"];
    } else {
      const json& r = it->second;
      const bool by_form = r.value("customer_from_form", false);
      if (r["customer"].is_null()) {
        ++f.unassigned;
        ++all_filing.unassigned;
        ++f.because[r["unassigned_because"].is_string() ? r["unassigned_because"].get<std::string>() : "none given"];
      } else if (r["customer"] == s.customer && by_form) {
        ++f.right;
        ++all_filing.right;
      } else {
        ++f.wrong;
        ++all_filing.wrong;
        std::printf("WRONG CUSTOMER: scan %d (%s) filed to %s, printed for %s: scan_form FORM OUT %s\n", s.index,
                    s.degradation.c_str(), r["customer"].dump().c_str(), s.customer.c_str(), s.args.c_str());
      }
      if (r.contains("document") && r["document"].is_number()) {
        const auto rv = reviewed.find(r["document"].get<long>());
        if (rv != reviewed.end()) {
          form = rv->second;
          ++f.form_found;
          ++all_filing.form_found;
        }
      }
    }
    std::map<std::string, json> read;  // purpose → box reading (form page 1)
    if (!form.is_null())
      for (const auto& page : form["pages"])
        if (page.value("form_page", 0) == 1)
          for (const auto& b : page["boxes"]) read[b["purpose"].get<std::string>()] = b;
    const json truth = load(s.truth);
    for (const auto& t : truth["boxes"]) {
      Box b;
      b.scan = &s;
      b.purpose = t["purpose"];
      b.kind = t["mark"];
      b.meant = t["meant"];
      const auto r = read.find(b.purpose);
      b.read = r == read.end() ? "not read" : r->second["mark"].get<std::string>();
      if (r != read.end()) {
        b.confidence = r->second.value("confidence", 0.0);
        if (r->second["unsure_because"].is_string()) b.because = r->second["unsure_because"];
      }
      tally[s.degradation].add(b);
      all.add(b);
      if (b.read == "unsure") ++unsure_because[b.kind][b.because.empty() ? "(none given)" : b.because];
      const bool opposite = (b.read == "ticked" || b.read == "empty") && b.read != b.meant;
      if (b.kind == "light" && fax(s.degradation) && b.read == "empty") vanished.push_back(b);
      else if (opposite) {
        wrong.push_back(b);
        if (b.kind == "light" && photocopy(s.degradation)) wiped.push_back(b);
      }
    }
  }

  std::printf("\n### QR filing (each scan by its code)\n\n");
  std::printf("| degradation | scans | filed to the right customer | wrong customer | unassigned | form read |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (const auto& d : order) {
    const Filing& f = filing[d];
    std::printf("| %s | %ld | %ld (%s) | %ld | %ld | %ld |\n", d.c_str(), f.scans, f.right, pct(f.right, f.scans).c_str(),
                f.wrong, f.unassigned, f.form_found);
  }
  std::printf("| **all** | %ld | %ld (%s) | %ld | %ld | %ld |\n", all_filing.scans, all_filing.right,
              pct(all_filing.right, all_filing.scans).c_str(), all_filing.wrong, all_filing.unassigned,
              all_filing.form_found);
  for (const auto& d : order)
    for (const auto& [why, n] : filing[d].because) std::printf("\nunassigned (%s): %ld × \"%s\"\n", d.c_str(), n, why.c_str());

  std::printf("\n### Confusion, all scans (drawn mark × reading, boxes)\n\n");
  std::printf("| drawn (meant) | ticked | empty | unsure | not read |\n|---|---:|---:|---:|---:|\n");
  for (const auto& k : kinds) {
    const std::string meant = (k == "tick" || k == "x" || k == "light") ? "ticked" : "empty";
    std::printf("| %s (%s) |", k.c_str(), meant.c_str());
    for (const auto& r : readings) std::printf(" %ld |", all.confusion[k][r]);
    std::printf("\n");
  }

  std::printf("\n### Confusion per degradation (boxes read ticked / empty / unsure; not read if any)\n\n");
  std::printf("| drawn |");
  for (const auto& d : order) std::printf(" %s |", d.c_str());
  std::printf("\n|---|");
  for (size_t i = 0; i < order.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (const auto& k : kinds) {
    std::printf("| %s |", k.c_str());
    for (const auto& d : order) {
      auto& c = tally[d].confusion[k];
      std::printf(" %ld / %ld / %ld", c["ticked"], c["empty"], c["unsure"]);
      if (c["not read"]) std::printf(" / %ld", c["not read"]);
      std::printf(" |");
    }
    std::printf("\n");
  }

  std::printf("\n### Ticks, X marks and empty boxes (goal: ≥ 99.5 %% correct, ≤ 2 %% unsure, 0 confident errors)\n\n");
  std::printf("| degradation | boxes | correct | unsure | confident errors | not read |\n|---|---:|---:|---:|---:|---:|\n");
  auto plain_row = [](const std::string& name, const Tally& t) {
    std::printf("| %s | %ld | %ld (%s) | %ld (%s) | %ld | %ld |\n", name.c_str(), t.plain_n, t.plain_right,
                pct2(t.plain_right, t.plain_n).c_str(), t.plain_unsure, pct2(t.plain_unsure, t.plain_n).c_str(),
                t.plain_wrong, t.plain_unread);
  };
  for (const auto& d : order) plain_row(d, tally[d]);
  plain_row("**all**", all);

  std::printf(
      "\n### Filled, crossed-out, light-pencil boxes and stray dots (goal: unsure or as meant, never a confident "
      "opposite)\n\n");
  std::printf(
      "| degradation | boxes counted | as meant | unsure | confident opposite | not read | light vanished in fax (not "
      "counted) | light wiped by photocopies (counted) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
  auto other_row = [](const std::string& name, const Tally& t) {
    std::printf("| %s | %ld | %ld (%s) | %ld (%s) | %ld | %ld | %ld | %ld |\n", name.c_str(), t.other_n, t.other_meant,
                pct(t.other_meant, t.other_n).c_str(), t.other_unsure, pct(t.other_unsure, t.other_n).c_str(),
                t.other_wrong, t.other_unread, t.fax_vanished, t.copy_wiped);
  };
  for (const auto& d : order) other_row(d, tally[d]);
  other_row("**all**", all);

  std::printf("\n### Why boxes were unsure (drawn mark: reason × boxes)\n\n");
  for (const auto& k : kinds) {
    if (unsure_because[k].empty()) continue;
    std::printf("- %s:", k.c_str());
    bool first = true;
    for (const auto& [why, n] : unsure_because[k]) {
      std::printf("%s %s × %ld", first ? "" : ";", why.c_str(), n);
      first = false;
    }
    std::printf("\n");
  }

  auto list = [](const char* title, const std::vector<Box>& boxes) {
    std::printf("\n### %s: %zu\n\n", title, boxes.size());
    size_t shown = 0;
    for (const Box& b : boxes) {
      if (++shown > 60) {
        std::printf("- … and %zu more\n", boxes.size() - 60);
        break;
      }
      std::printf("- scan %d (%s), %s: drawn %s (meant %s), read %s at confidence %.2f — scan_form FORM OUT %s\n",
                  b.scan->index, b.scan->degradation.c_str(), b.purpose.c_str(), b.kind.c_str(), b.meant.c_str(),
                  b.read.c_str(), b.confidence, b.scan->args.c_str());
    }
  };
  list("Confident errors (a confident reading opposite to what the person meant)", wrong);
  list("Of them, light pencil wiped out by photocopies", wiped);
  list("Light pencil marks that vanished in 1-bit fax (not counted)", vanished);
  return 0;
}
