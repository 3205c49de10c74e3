# bench/register_csv.sh — the generated register and consent ledger that the
# benchmarks load with `customer import` and `consent import`; sourced.
#   customers_csv N FILE         N customers C100000..: number, name (place,
#                                trade, form: searchable), email, phone, address
#   consents_csv N CUSTOMERS FILE  N events over those customers: every purpose
#                                and ban, the three recordable states, dates over
#                                2019-2026, sources web-form/email/phone, a note
#                                on every third row
customers_csv() {
  awk -v n="$1" 'BEGIN { srand(7)
    split("Äänekosken Hämeenlinnan Jyväskylän Porvoon Åbo Vaasan Mäntän Oulun Kuopion Närpes Pietarsaaren Ylöjärven Säkylän Östersundom", place, " ")
    split("Kone Puu Rakennus Kahvila Sähkö Öljy Tilitoimisto Kukka Leipomo Maalaamo Båtvarv Trädgård Kuljetus Lääkäriasema", trade, " ")
    split("Oy|Ab|Ky|Tmi|Oy Ab|Kb", form, "|")
    print "number,name,email,phone,address"
    for (i = 0; i < n; i++)
      printf "C%d,%s %s %d %s,asiakas%d@example.fi,+358 40 %d,\"Kauppakatu %d, 00100 Helsinki\"\n", 100000 + i,
        place[1 + int(rand() * 14)], trade[1 + int(rand() * 14)], i, form[1 + int(rand() * 6)], i, 1000000 + i, i % 90 + 1 }' \
    > "$2"
}

consents_csv() {
  awk -v n="$1" -v c="$2" 'BEGIN { srand(42)
    split("email-marketing sms-marketing electronic-marketing personal-data research development-contact ban-direct-advertising ban-distance-selling ban-direct-marketing", p, " ")
    split("granted granted refused withdrawn", s, " "); split("web-form email phone", src, " ")
    print "customer,purpose,state,effective,source,document,note"
    for (i = 0; i < n; i++)
      printf "C%d,%s,%s,%04d-%02d-%02d,%s,,%s\n", 100000 + int(rand() * c), p[1 + int(rand() * 9)], s[1 + int(rand() * 4)],
        2019 + int(rand() * 8), 1 + int(rand() * 12), 1 + int(rand() * 28), src[1 + int(rand() * 3)],
        (i % 3 == 0 ? "Asiakas soitti ja vahvisti" : "") }' > "$3"
}
