// closest_name.h — the nearest of some valid names to a mistyped one: the
// one rule for "did you mean ...?", for a command-line word
// (frontend/usage_error.h) and a settings file's name (config_file.h) alike.
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kaappi {

// Edits (insert, delete, replace, swap two neighbours) between a and b,
// ignoring case.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word`, if one is near enough to be what was
// meant (at most a third of the word's letters differ, and at most 3).
std::optional<std::string> closest_name(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace kaappi
