// usage_error.cpp — see usage_error.h.
#include "frontend/usage_error.h"

#include <algorithm>
#include <cctype>

#include "base/closest_name.h"
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
