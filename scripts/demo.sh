#!/usr/bin/env bash
# The demo: installs the Debian packages, builds kaappi, makes sample scans
# (image-only PDFs like an office scanner's), and runs kaappi's main job end to
# end in a throwaway archive with the published example key.
# Usage: scripts/demo.sh [--build-dir DIR]
#   --build-dir DIR   run the binaries already built in DIR (kaappi, kaappi-scan,
#                     the PDF helper, make_scan_pdf, scan_form) instead of building the
#                     default preset; scripts/test.sh runs the demo this way on
#                     the packager's build
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=""
case "${1:-}" in
  --build-dir) build_dir="${2:?--build-dir needs a folder}" ;;
  "") ;;
  *) echo "demo.sh: unknown option $1 (usage: scripts/demo.sh [--build-dir DIR])" >&2; exit 2 ;;
esac
if [ -z "$build_dir" ]; then
  bash scripts/install-deps.sh
  bash scripts/build.sh default >/dev/null
  build_dir=build
fi
bin="$(cd "$build_dir" && pwd)/bin"
work=$(mktemp -d /tmp/kaappi-demo-XXXXXX)
trap 'rm -rf "$work"' EXIT
export KAAPPI_ARCHIVE="$work/archive" KAAPPI_KEY="$work/demo.key"
export XDG_STATE_HOME="$work/state"
cp keys.example "$KAAPPI_KEY"; chmod 600 "$KAAPPI_KEY"
printf 'kaappi-example-passphrase\n' > "$work/passphrase"; chmod 600 "$work/passphrase"
export KAAPPI_PASSPHRASE_FILE="$work/passphrase"
kaappi() { echo "\$ kaappi $*" >&2; "$bin/kaappi" "$@" 2> >(grep -v 'published example key' >&2); }
step() { printf '\n== %s\n' "$*"; }

step "1. Sample scans: a signed consent form (boxes 1, 2, 4 and 7 ticked) and a 3-page contract"
"$bin/make_scan_pdf" "$work/scan-0001.pdf" --form consent --pages 1 --ticks 0x4b --seed 7
"$bin/make_scan_pdf" "$work/scan-0002.pdf" --form contract --pages 3 --seed 8
ls -l "$work"/scan-*.pdf | awk '{print "   " $9 "  " $5 " bytes"}'

step "2. A new archive for the example key (a real one: kaappi init makes a fresh key)"
kaappi --version
kaappi init --reuse-key
echo "   (kaappi warns on every command that the example key is public; the demo hides that line)"

step "3. A customer"
kaappi customer add --number 1001 --name "Oy Esimerkki Ab" --business-id 2468114-6 \
  --email asiakas@esimerkki.fi --phone "+358 40 123 4567" --address "Ebban tie 24, 06400 Porvoo"
kaappi customer show 1001

step "4. Import the scans (each checked by the PDF helper in its own limited process)"
form_id=$(kaappi import "$work/scan-0001.pdf" --customer 1001 --kind consent-form --json | sed -n 's/.*"document": \([0-9]*\).*/\1/p')
contract_id=$(kaappi import "$work/scan-0002.pdf" --customer 1001 --kind contract --json | sed -n 's/.*"document": \([0-9]*\).*/\1/p')
echo "   consent form is document $form_id, contract is document $contract_id"
kaappi documents

step "5. Record the consents the signed form shows"
for purpose in email-marketing sms-marketing personal-data; do
  kaappi consent set --customer 1001 --purpose "$purpose" --state granted --document "$form_id" --effective 2026-01-15
done
kaappi consent set --customer 1001 --purpose research --state refused --document "$form_id" --effective 2026-01-15
kaappi consent set --customer 1001 --purpose ban-distance-selling --state granted --document "$form_id" --effective 2026-01-15
kaappi consent show 1001

step "5a. The paper loop: a printed form files itself by its QR code, its ticks become proposals"
# The register's texts (the notice on the form's second page), written once from the shipped template.
export KAAPPI_REGISTER_TEXTS="$work/register-texts"
cp docs/register-texts.example "$KAAPPI_REGISTER_TEXTS"
kaappi customer add --number 1005 --name "Paperi ja Kynä Oy"
kaappi form print --customer 1005 --lang fi -o "$work/form-1005.pdf"
echo "   the customer ticks e-mail marketing, crosses personal data, fills the research box in (a correction)"
echo "   and bans distance selling; the form is scanned at 200 dpi, 2 degrees askew, as JPEG (a simulation):"
"$bin/scan_form" "$work/form-1005.pdf" "$work/scan-0003.pdf" --seed 3 --dpi 200 --skew 2 --jpeg 75 \
  --marks email-marketing=tick,personal-data=x,research=filled,ban-distance-selling=tick
kaappi import "$work/scan-0003.pdf"
paper_id=$(kaappi documents --customer 1005 --json | sed -n 's/.*"id": \([0-9]*\).*/\1/p' | head -1)
kaappi review --document "$paper_id"
kaappi review accept "$paper_id" --signed "$(date +%F)" || echo "   refused (exit $?): the filled box is unsure, so it is asked about"
kaappi review set "$paper_id" research refused --signed "$(date +%F)" --note "filled in: a correction"
kaappi review accept "$paper_id" --signed "$(date +%F)"
kaappi consent show 1005

step "5b. The register: a rectification, more customers from a Finnish Excel CSV, search"
kaappi customer edit 1001 --email uusi@esimerkki.fi --billing-email laskut@esimerkki.fi --source customer \
  --reason "customer asked by phone"
kaappi customer history 1001
printf '\xEF\xBB\xBFnumber;name;email;address\r\n1002;Äänekosken Öljy Oy;info@aanekoski.fi;"Kauppakatu 1\r\n44100 Äänekoski"\r\n1003;Åbo Ägg Ab;post@aboagg.ax;\r\n1004;Väärä Tunnus Oy;ei-osoite;\r\n' > "$work/asiakkaat.csv"
kaappi customer import "$work/asiakkaat.csv" || echo "   refused whole (exit $?): every bad row is named, nothing was stored"
sed -i '/^1004/d' "$work/asiakkaat.csv"
kaappi customer import "$work/asiakkaat.csv"
kaappi customer list --search "aanekosken"
kaappi consent set --customer 1002 --purpose email-marketing --state granted --source web-form --effective 2026-02-01
kaappi consent set --customer 1003 --purpose email-marketing --state granted --source email --effective 2026-02-01
kaappi consent set --customer 1003 --purpose ban-direct-marketing --state granted --source phone --effective 2026-03-01
echo "   The e-mail marketing list: 1001 and 1003 have bans in force, so only 1002 may be contacted"
kaappi consent list --purpose email-marketing --state granted --format csv

step "6. Retrieve the signed consent form (the read is logged with its reason)"
kaappi get "$form_id" -o "$work/retrieved-consent.pdf" --reason "demo: proof of consent for customer 1001"
if cmp -s "$work/scan-0001.pdf" "$work/retrieved-consent.pdf"; then
  echo "   retrieved file is byte-identical to the scan ($(stat -c %a "$work/retrieved-consent.pdf") permissions, $(pdfinfo "$work/retrieved-consent.pdf" | awk '/^Pages/{print $2}') page)"
else
  echo "   ERROR: retrieved file differs"; exit 1
fi

step "6b. A proof of consent for an auditor: the events and the signed form, in a private folder"
kaappi consent proof 1001 --purpose personal-data -o "$work/proof-1001" --reason "demo: auditor request"
ls -l "$work/proof-1001" | awk 'NR > 1 {print "   " $1 "  " $9}'

kaappi access-log

step "6c. The customer asks to see their data: the request, its deadline, the in-person handover"
kaappi request add 1001 --kind inspection --received "$(date +%F)" --channel letter --note "asked by letter"
kaappi request list --open
kaappi inspect 1001 -o "$work/inspection-1001" --request 1 --lang fi
ls -l "$work/inspection-1001" | awk 'NR > 1 {print "   " $1 "  " $9}'
if command -v pdftotext >/dev/null; then pdftotext "$work/inspection-1001/report.pdf" - | sed -n '1,6s/^/   /p'; fi
kaappi request close 1 --handed-over-in-person --identity-checked-with id-card --by "Demo Employee"

step "6d. Another customer asks to be forgotten: what a hold would keep, then the erasure"
kaappi hold rule list
kaappi erase customer 1003 --dry-run
kaappi erase customer 1003 --reason "demo: the customer asked to be forgotten"
kaappi customer show 1003 2>&1 | sed 's/^/   /' || true

step "7. What a thief who copies the archive folder sees"
if grep -rqa -e "Esimerkki" -e "asiakas@" -e "scan-0001" -e "nekosken" -e "aboagg" "$KAAPPI_ARCHIVE"; then
  echo "   ERROR: personal data found in the archive folder"; exit 1
fi
echo "   no name, e-mail or file name anywhere in $(find "$KAAPPI_ARCHIVE" -type f | wc -l) files"

step "8. Verify: keyless (no passphrase), then --full (decrypts every byte)"
unset KAAPPI_PASSPHRASE_FILE
kaappi verify
export KAAPPI_PASSPHRASE_FILE="$work/passphrase"
kaappi verify --full

step "9. Back up (no passphrase: a nightly timer runs it), and check the backup"
unset KAAPPI_PASSPHRASE_FILE
kaappi backup "$work/usb-disk"
kaappi verify-backup "$work/usb-disk"
export KAAPPI_PASSPHRASE_FILE="$work/passphrase"

step "10. Tamper with the contract's blob and verify again"
blob=$(find "$KAAPPI_ARCHIVE/blobs" -name '*.blob' -size +20k | head -1)
printf 'X' | dd of="$blob" bs=1 seek=1000 conv=notrunc status=none
if kaappi verify --full; then
  echo "   ERROR: verify did not catch the damaged blob"; exit 1
else
  echo "   verify exit code $? — the damage was found and named"
fi

step "11. Restore the backup into a new folder: whole, verified, the contract readable again"
kaappi restore "$work/usb-disk" --to "$work/restored"
kaappi --archive "$work/restored" verify --full
kaappi --archive "$work/restored" get "$contract_id" -o "$work/contract-restored.pdf" --reason "demo: restored from the backup"
cmp "$work/scan-0002.pdf" "$work/contract-restored.pdf" && echo "   the restored contract is byte for byte the scan imported"
echo
echo "Demo finished; the throwaway archive in $work is removed."
