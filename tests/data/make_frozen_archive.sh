#!/usr/bin/env bash
# make_frozen_archive.sh — HOW tests/data/archive-v3.tar.gz WAS MADE.
#
# DO NOT RE-RUN THIS TO REPLACE THE CHECKED-IN ARCHIVE. The archive is frozen:
# it is an archive written by the kaappi of one commit (index schema version
# 3, the format of 2026-11), kept so that every later kaappi is tested against
# it (tests/e2e/test_frozen_archive.cpp: keyless verify, verify --full, and
# every customer, consent state, document, station and the assignment read
# back as archive-v3.expected.json says). A later format gets an archive of
# its own, next to this one, made by that format's code; this one is never
# regenerated, or the test would only check a kaappi against itself.
#
# It was made once, on 2026-11-26, by the binaries of commit 017d8db
# ("Layout by concern (mechanical move)") built with the default preset:
#   tests/data/make_frozen_archive.sh build/bin /tmp/frozen
#   cp /tmp/frozen/archive-v3.tar.gz /tmp/frozen/archive-v3.expected.json tests/data/
# It is kept as the record of what is in the archive and how it got there.
#
# The archive uses the published example key (keys.example, passphrase
# kaappi-example-passphrase), so tests can open it. It holds: three customers
# (special characters ä ö å, one rectified into two versions, one with a
# feedback entry), three small documents (two imported, one sealed by a
# scanning station, ingested unassigned, then assigned), the station, consent
# events with a correction (--corrects) and a retraction, and one access-log
# entry (a get). The SQLite WAL is checkpointed into index.sqlite, so the
# folder has no -wal or -shm file. The tar keeps the empty folders and modes.
set -euo pipefail
bin=$(cd "${1:?usage: make_frozen_archive.sh BIN_DIR OUT_DIR}" && pwd)
out=${2:?usage: make_frozen_archive.sh BIN_DIR OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
[ ! -e "$out" ] || { echo "$out exists; this script writes only a new folder" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d /tmp/kaappi-frozen-XXXXXX)
trap 'rm -rf "$work"' EXIT

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_STATE_HOME="$work/home/state"
export XDG_DATA_HOME="$work/home/data" LANG=C.UTF-8 TERM=dumb
mkdir -p "$HOME"
export KAAPPI_ARCHIVE="$work/archive" KAAPPI_KEY="$work/example.key"
cp "$root/keys.example" "$KAAPPI_KEY"; chmod 600 "$KAAPPI_KEY"
printf 'kaappi-example-passphrase\n' > "$work/pass"; chmod 600 "$work/pass"
export KAAPPI_PASSPHRASE_FILE="$work/pass"
as_of=2026-11-26  # the consent states below are recorded as of this day

kaappi() { "$bin/kaappi" "$@" 2> >(grep -v 'published example key' >&2); }
event_id() { jq -r .event; }

# The archive and its customers.
kaappi init --reuse-key
kaappi customer add --number 1001 --name "Oy Esimerkki Ab" --business-id 2468114-6 \
  --email asiakas@esimerkki.fi --phone "+358 40 123 4567" --address "Ebban tie 24, 06400 Porvoo"
kaappi customer edit 1001 --email uusi@esimerkki.fi --billing-email laskut@esimerkki.fi --source customer \
  --reason "asiakas pyysi puhelimessa"
kaappi customer add --number 1002 --name "Äänekosken Öljy Oy" --email info@aanekoski.fi \
  --address "Kauppakatu 1, 44100 Äänekoski"
kaappi customer add --number 1003 --name "Åbo Ägg Ab" --email post@aboagg.ax --phone "+358 18 12 345"
kaappi customer feedback 1003 --text "Nöjd kund, vill få offerter per e-post" --date 2026-03-02

# Two imported documents (small: a text layer on a blank page).
"$bin/make_scan_pdf" "$work/suostumus-1001.pdf" --form blank --seed 11 \
  --text "Suostumuslomake. Asiakasnumero 1001. Allekirjoitus"
"$bin/make_scan_pdf" "$work/sopimus-1002.pdf" --form blank --seed 12 --text "Sopimus - Äänekosken Öljy Oy"
kaappi import "$work/suostumus-1001.pdf" --customer 1001 --kind consent-form
kaappi import "$work/sopimus-1002.pdf" --customer 1002 --kind contract

# A scanning station; its scan names no customer, so ingest stores it
# unassigned, and it is then assigned to 1003.
station_pk=$("$bin/kaappi-scan" init --station desk --json | jq -r .public_key)
kaappi station add desk "$station_pk"
kaappi key public > "$work/archive.pub"
"$bin/make_scan_pdf" "$work/palaute.pdf" --form blank --seed 13 --text "Palautelomake. Kiitos!"
palaute_sha=$(sha256sum "$work/palaute.pdf" | cut -d' ' -f1)  # kaappi-scan removes the scan once sealed
"$bin/kaappi-scan" "$work/palaute.pdf" --public-key "$work/archive.pub" --inbox "$KAAPPI_ARCHIVE/inbox" --station desk
kaappi ingest --kind consent-form
kaappi documents --unassigned
kaappi assign 3 --customer 1003

# Consent events: a grant, a wrong grant and its correction, a ban, a grant
# later withdrawn, a grant retracted as recorded for the wrong customer.
kaappi consent set --customer 1001 --purpose email-marketing --state granted --document 1 --effective 2026-01-15
wrong=$(kaappi consent set --customer 1001 --purpose sms-marketing --state granted --document 1 \
  --effective 2026-01-15 --json | event_id)
kaappi consent set --customer 1001 --purpose sms-marketing --state refused --document 1 --effective 2026-01-15 \
  --corrects "$wrong" --note "rasti oli kieltäytymisruudussa"
kaappi consent set --customer 1001 --purpose ban-distance-selling --state granted --source phone --effective 2026-02-01
kaappi consent set --customer 1002 --purpose email-marketing --state granted --source web-form --effective 2026-02-01
kaappi consent set --customer 1002 --purpose email-marketing --state withdrawn --source phone --effective 2026-04-01 \
  --note "soitti ja perui"
misplaced=$(kaappi consent set --customer 1002 --purpose research --state granted --source email \
  --effective 2026-02-01 --json | event_id)
kaappi consent retract "$misplaced" --customer 1002 --note "kirjattu väärälle asiakkaalle"
kaappi consent set --customer 1003 --purpose personal-data --state granted --document 3 --effective 2026-03-01

# One read, so the access log has an entry.
kaappi get 1 -o "$work/retrieved.pdf" --reason "jäädytetty arkisto: yksi lokimerkintä"
cmp "$work/suostumus-1001.pdf" "$work/retrieved.pdf"

# Both verifications, then the WAL folded into index.sqlite.
kaappi verify --full
sqlite3 "$KAAPPI_ARCHIVE/index.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
rm -f "$KAAPPI_ARCHIVE/index.sqlite-wal" "$KAAPPI_ARCHIVE/index.sqlite-shm"
kaappi verify --public-key "$work/archive.pub"
kaappi verify --full
if ls "$KAAPPI_ARCHIVE" | grep -q -e '-wal$' -e '-shm$'; then echo "a -wal or -shm file is left" >&2; exit 1; fi

# The expected facts, read back from the archive just made.
sha() { sha256sum "$1" | cut -d' ' -f1; }
customers=$(for n in 1001 1002 1003; do kaappi customer show "$n" --json; done | jq -s \
  '[.[] | {number, name, email, billing_email, business_id, phone, address, version, feedback}]')
consents=$(for n in 1001 1002 1003; do kaappi consent show "$n" --as-of "$as_of" --json; done | jq -s \
  '[.[] | {customer, consents: [.consents[] | select(.state != "none") | {purpose, state, since, document}]}]')
events=$(for n in 1001 1002 1003; do kaappi consent history "$n" --json; done | jq -s \
  '[.[] | .customer as $c | .events[] | {customer: $c, event, purpose, state, effective, corrects, corrected_by}]')
documents=$(kaappi documents --json | jq --arg s1 "$(sha "$work/suostumus-1001.pdf")" \
  --arg s2 "$(sha "$work/sopimus-1002.pdf")" --arg s3 "$palaute_sha" \
  '[.documents[] | {id, customer, kind, pages, station, file_name} + {sha256: ({"1": $s1, "2": $s2, "3": $s3}[.id | tostring])}] | sort_by(.id)')
stations=$(kaappi station list --json | jq "[.stations[] | {name, public_key}]")
jq -n --arg pk "$(tr -d '\n' < "$work/archive.pub")" --arg as_of "$as_of" --argjson customers "$customers" \
  --argjson consents "$consents" --argjson events "$events" --argjson documents "$documents" \
  --argjson stations "$stations" --argjson access "$(kaappi access-log --json | jq '.access_log | length')" \
  '{note: "facts of tests/data/archive-v3.tar.gz, written when it was made (tests/data/make_frozen_archive.sh); never edit",
    made_by_commit: "017d8db", key: "keys.example", public_key: $pk, consents_as_of: $as_of,
    customers: $customers, consents: $consents, consent_events: $events, documents: $documents,
    assignment: {document: 3, customer: "1003"}, stations: $stations, access_log_entries: $access}' \
  > "$out/archive-v3.expected.json"

tar --sort=name --owner=0 --group=0 --numeric-owner -C "$work" -czf "$out/archive-v3.tar.gz" archive
echo "made $out/archive-v3.tar.gz and $out/archive-v3.expected.json"
