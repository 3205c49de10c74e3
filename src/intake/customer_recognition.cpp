// customer_recognition.cpp — see customer_recognition.h.
#include "intake/customer_recognition.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "register/customers.h"

namespace kaappi {
namespace {

const char* const k_labels[] = {"asiakasnumero", "asiakasnro", "asiakas nro", "asiakas-nro", "customer number",
                                "customer no", "customer id", "customer #", "kundnummer", "kundnr", "kund nr"};

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '/' || c == '.';
}

}  // namespace

std::string customer_named_in(Session& session, const std::string& pdf_json) {
  std::string text;
  try {
    auto j = nlohmann::json::parse(pdf_json);
    if (j.contains("text") && j["text"].is_string()) text = j["text"].get<std::string>();
    if (j.contains("metadata") && j["metadata"].is_object())
      for (const auto& [k, v] : j["metadata"].items())
        if (v.is_string()) {
          text += '\n';  // not "\n" + value: g++ 12 -O3 warns falsely (-Wrestrict) on that
          text += v.get<std::string>();
        }
  } catch (const nlohmann::json::exception&) {
    return "";
  }
  std::string lower = text;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::set<std::string> found;
  for (const char* label : k_labels) {
    const std::string l = label;
    for (size_t at = lower.find(l); at != std::string::npos && found.size() < 20; at = lower.find(l, at + 1)) {
      size_t i = at + l.size();
      while (i < text.size() && (text[i] == ' ' || text[i] == ':' || text[i] == '#' || text[i] == '\t' ||
                                 text[i] == '.' || text[i] == '='))
        ++i;
      size_t start = i;
      while (i < text.size() && token_char(text[i]) && i - start < 64) ++i;
      std::string token = text.substr(start, i - start);
      while (!token.empty() && (token.back() == '.' || token.back() == '-' || token.back() == '/')) token.pop_back();
      if (token.empty()) continue;
      if (auto c = find_customer(session, token)) found.insert(c->number());
    }
  }
  return found.size() == 1 ? *found.begin() : "";
}

}  // namespace kaappi
