#!/usr/bin/env bash
# The demo: installs the Debian packages, builds kaappi, makes sample scans
# (image-only PDFs like an office scanner's), and runs kaappi's main job end to
# end in a throwaway archive with the published example key.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh default >/dev/null
root=$(pwd)
bin="$root/build/bin"
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

step "6. Retrieve the signed consent form (the read is logged with its reason)"
kaappi get "$form_id" -o "$work/retrieved-consent.pdf" --reason "demo: proof of consent for customer 1001"
if cmp -s "$work/scan-0001.pdf" "$work/retrieved-consent.pdf"; then
  echo "   retrieved file is byte-identical to the scan ($(stat -c %a "$work/retrieved-consent.pdf") permissions, $(pdfinfo "$work/retrieved-consent.pdf" | awk '/^Pages/{print $2}') page)"
else
  echo "   ERROR: retrieved file differs"; exit 1
fi

kaappi access-log

step "7. What a thief who copies the archive folder sees"
if grep -rqa -e "Esimerkki" -e "asiakas@" -e "scan-0001" "$KAAPPI_ARCHIVE"; then
  echo "   ERROR: personal data found in the archive folder"; exit 1
fi
echo "   no name, e-mail or file name anywhere in $(find "$KAAPPI_ARCHIVE" -type f | wc -l) files"

step "8. Verify: keyless (no passphrase), then --full (decrypts every byte)"
unset KAAPPI_PASSPHRASE_FILE
kaappi verify
export KAAPPI_PASSPHRASE_FILE="$work/passphrase"
kaappi verify --full

step "9. Tamper with the contract's blob and verify again"
blob=$(find "$KAAPPI_ARCHIVE/blobs" -name '*.blob' -size +20k | head -1)
printf 'X' | dd of="$blob" bs=1 seek=1000 conv=notrunc status=none
kaappi verify --full || echo "   verify exit code $? — the damage was found and named"
echo
echo "Demo finished; the throwaway archive in $work is removed."
