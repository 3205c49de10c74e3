#!/usr/bin/env bash
# Checks that a program's man page and bash completion stay in step with the
# program: every subcommand its --help lists (nested ones too) is named in the
# man page (a line `.B SUBCOMMAND PATH`) and offered by the completion, and
# every option each --help lists is named in the man page (`\-\-option`) and
# offered by the completion after that subcommand. The man page must also
# render without warnings (groff -ww).
# Usage: check_cli_docs.sh PROGRAM MAN_PAGE COMPLETION_FILE COMPLETION_FUNCTION
set -euo pipefail
program=$1 man_page=$2 completion=$3 function=$4
name=$(basename "$program")
failures=0
fail() { echo "check_cli_docs: $name: $*" >&2; failures=$((failures + 1)); }

# The subcommands and options of one --help text (CLI11's layout).
subcommands_of() { awk '/^Subcommands:/{f=1; next} f && /^$/{f=0} f && /^  [a-z]/{print $1}' <<<"$1"; }
options_of() {
  awk '/^[A-Z][a-z]*:$/{f=($1=="Options:"); next} f && /^  -/{print $1}' <<<"$1" | tr ',' '\n'
}

# Offered by the completion for `NAME WORDS... CUR`: the words, one a line.
# shellcheck disable=SC1090
source "$completion"
complete_words() {
  local cur=$1; shift
  COMP_WORDS=("$name" "$@" "$cur")
  COMP_CWORD=$(($# + 1))
  COMPREPLY=()
  "$function"
  printf '%s\n' "${COMPREPLY[@]}"
}

if warnings=$(groff -man -Tutf8 -ww -z "$man_page" 2>&1) && [ -z "$warnings" ]; then :; else
  fail "groff warns about $man_page: $warnings"
fi

paths=("")
checked=0
while [ "${#paths[@]}" -gt 0 ]; do
  path=${paths[0]}
  paths=("${paths[@]:1}")
  read -r -a words <<<"$path"
  help=$("$program" "${words[@]}" --help)
  offered_subs=$(complete_words "" "${words[@]}")
  for sub in $(subcommands_of "$help"); do
    full=${path:+$path }$sub
    paths+=("$full")
    grep -qxF ".B $full" "$man_page" || fail "the man page does not describe '$full' (a line '.B $full')"
    grep -qxF -- "$sub" <<<"$offered_subs" || fail "the completion does not offer '$sub' after '$name${path:+ $path}'"
  done
  offered_opts=$(complete_words "-" "${words[@]}")
  for option in $(options_of "$help"); do
    case "$option" in -h | --help) continue ;; esac
    roff=${option//-/\\-}
    grep -qF -- "$roff" "$man_page" || fail "the man page does not name $option (of '$name${path:+ $path}')"
    grep -qxF -- "$option" <<<"$offered_opts" || fail "the completion does not offer $option after '$name${path:+ $path}'"
  done
  checked=$((checked + 1))
done
if [ "$failures" -gt 0 ]; then
  echo "check_cli_docs: $name: $failures problems" >&2
  exit 1
fi
echo "check_cli_docs: $name: $checked commands: man page and completion name every subcommand and option"
