// customer_recognition.cpp — see customer_recognition.h.
#include "forms/customer_recognition.h"

#include <algorithm>
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

NamedCustomers customers_named_in(Session& session, const std::string& pdf_json) {
  NamedCustomers named;
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
    return named;
  }
  std::string lower = text;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The labelled tokens, each once, in the order the text has them.
  std::vector<std::pair<size_t, std::string>> tokens;
  std::set<std::string> seen;
  for (const char* label : k_labels) {
    const std::string l = label;
    for (size_t at = lower.find(l); at != std::string::npos; at = lower.find(l, at + 1)) {
      size_t i = at + l.size();
      while (i < text.size() && (text[i] == ' ' || text[i] == ':' || text[i] == '#' || text[i] == '\t' ||
                                 text[i] == '.' || text[i] == '='))
        ++i;
      size_t start = i;
      while (i < text.size() && token_char(text[i]) && i - start < 64) ++i;
      std::string token = text.substr(start, i - start);
      while (!token.empty() && (token.back() == '.' || token.back() == '-' || token.back() == '/')) token.pop_back();
      if (token.empty() || !seen.insert(token).second) continue;
      tokens.emplace_back(at, token);
      if (seen.size() == k_max_named_numbers) break;
    }
    if (seen.size() == k_max_named_numbers) break;
  }
  std::sort(tokens.begin(), tokens.end());
  std::set<std::string> found;
  for (const auto& [at, token] : tokens) {
    if (auto c = find_customer(session, token)) {
      if (found.insert(c->number()).second) named.customers.push_back(c->number());
    } else {
      named.unknown.push_back(token);
    }
  }
  return named;
}

}  // namespace kaappi
