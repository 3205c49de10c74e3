#!/usr/bin/env bash
# Checks that a unit's SystemCallFilter= allows every system call the PDF
# helper's own seccomp allowlists name (src/pdf/helper/sandbox.cpp): the
# helper runs inside the unit's filter, forks and installs its own, narrower
# one; a call the unit forbids would make it fail. Needs systemd-analyze (for
# the groups' members); exits 77 (skipped) without it.
# Usage: check_syscall_filter.sh UNIT_FILE SANDBOX_CPP
set -euo pipefail
unit=$1 sandbox=$2
command -v systemd-analyze >/dev/null || { echo "no systemd-analyze: skipped"; exit 77; }
filter=$(sed -n 's/^SystemCallFilter=//p' "$unit")
[ -n "$filter" ] || { echo "$unit has no SystemCallFilter=: nothing to check"; exit 0; }
[[ $filter != "~"* ]] || { echo "$unit: a deny-list SystemCallFilter= is not checked here" >&2; exit 1; }
groups=$(systemd-analyze syscall-filter --no-pager)
# The calls a filter entry allows: a call itself, or a group's members (recursively).
expand() {
  local entry=$1 member
  if [[ $entry == @* ]]; then
    for member in $(awk -v g="$entry" '/^@/ {f = ($1 == g); next} f && NF && $1 !~ /^#/ {print $1}' <<<"$groups"); do
      expand "$member"
    done
  else
    echo "$entry"
  fi
}
allowed=$(for entry in $filter; do expand "$entry"; done | sort -u)
needed=$(grep -o 'SCMP_SYS([a-z0-9_]*)' "$sandbox" | sed 's/SCMP_SYS(\(.*\))/\1/' | sort -u)
[ -n "$needed" ] || { echo "no SCMP_SYS calls found in $sandbox" >&2; exit 1; }
missing=$(comm -23 <(echo "$needed") <(echo "$allowed"))
if [ -n "$missing" ]; then
  echo "$unit's SystemCallFilter=$filter forbids what the PDF helper calls: $(echo $missing)" >&2
  exit 1
fi
echo "$(basename "$unit"): SystemCallFilter=$filter allows all $(wc -l <<<"$needed") calls of the PDF helper's allowlists"
