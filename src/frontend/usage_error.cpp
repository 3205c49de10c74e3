// usage_error.cpp — see usage_error.h.
#include "frontend/usage_error.h"

#include <algorithm>
#include <cctype>

#include "base/file_io.h"

namespace kaappi::frontend {
namespace {

// The deepest subcommand `app` parsed (app itself if none).
const CLI::App& failing_app(const CLI::App& app) {
  const CLI::App* at = &app;
  for (;;) {
    auto parsed = at->get_subcommands();
    if (parsed.empty()) return *at;
    at = parsed.back();
  }
}

std::vector<std::string> option_names(const CLI::App& failing) {
  std::vector<std::string> names;
  for (const CLI::App* at = &failing; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* option : at->get_options()) {
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
      for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
  }
  return names;
}

std::vector<std::string> command_names(const CLI::App& failing) {
  std::vector<std::string> names;
  for (const CLI::App* sub : failing.get_subcommands([](const CLI::App*) { return true; }))
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  return names;
}

std::string with_suggestion(const std::string& what, const std::string& word, const std::vector<std::string>& names) {
  std::string text = what + " '" + word + "'";
  if (auto near = closest_name(word, names)) text += "; did you mean '" + *near + "'?";
  return text;
}

// An unknown command, option or argument among what `app` could not place,
// worded for the user; empty if there is none.
std::string unknown_argument(const CLI::App& app) {
  std::vector<std::string> left = app.remaining(true);
  if (left.empty()) return {};
  const CLI::App& failing = failing_app(app);
  const std::string& first = left.front();
  if (first.size() > 1 && first[0] == '-') {
    std::string option = first.substr(0, first.find('='));
    return with_suggestion("unknown option", option, option_names(failing));
  }
  std::vector<std::string> commands = command_names(failing);
  if (!commands.empty()) return with_suggestion("unknown command", first, commands);
  return "unexpected argument '" + first + "'";
}

}  // namespace

std::size_t edit_distance(const std::string& a, const std::string& b) {
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  // Optimal string alignment: Levenshtein plus the swap of two neighbours.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> closest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::size_t letters = word.size() - std::min(word.find_first_not_of('-'), word.size());
  std::size_t allowed = std::min<std::size_t>(3, std::max<std::size_t>(1, letters / 3));
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<std::string> mistyped_command(const CLI::App& app, const std::string& word) {
  if (word.find('/') != std::string::npos || path_exists(word)) return std::nullopt;
  auto near = closest_name(word, command_names(app));
  if (!near) return std::nullopt;
  return "unknown command '" + word + "'; did you mean '" + *near + "'?";
}

std::string failing_command(const CLI::App& app) {
  std::string command = app.get_name();
  const CLI::App* at = &app;
  for (auto parsed = at->get_subcommands(); !parsed.empty(); parsed = at->get_subcommands()) {
    at = parsed.back();
    command += " " + at->get_name();
  }
  return command;
}

std::string usage_error_text(const CLI::App& app, const CLI::ParseError& error) {
  std::string what = unknown_argument(app);
  if (what.empty()) what = error.what();
  return what + " (see " + failing_command(app) + " --help)";
}

}  // namespace kaappi::frontend
