// dates.cpp — see dates.h.
#include "base/dates.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "base/error.h"

namespace kaappi {

std::string parse_date(std::string_view text, const Message& what) {
  auto bad = [&] {
    fail(ErrorKind::usage, what + " must be a date like 2026-01-31, not '" + std::string(text) + "'");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') bad();
  int y = std::stoi(std::string(text.substr(0, 4)));
  int m = std::stoi(std::string(text.substr(5, 2)));
  int d = std::stoi(std::string(text.substr(8, 2)));
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap ? 1 : 0)) bad();
  return std::string(text);
}

namespace {

std::chrono::year_month_day ymd_of(std::string_view date) {
  const std::string text(parse_date(date, Message("a date")));
  return std::chrono::year_month_day{std::chrono::year{std::stoi(text.substr(0, 4))},
                                     std::chrono::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                                     std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
}

}  // namespace

std::string add_months(std::string_view date, int months) {
  using namespace std::chrono;
  year_month_day d = ymd_of(date);
  year_month ym = year_month{d.year(), d.month()} + std::chrono::months{months};
  const day last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  const year_month_day out{ym.year(), ym.month(), std::min(d.day(), last)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(out.year()), static_cast<unsigned>(out.month()),
                static_cast<unsigned>(out.day()));
  return buf;
}

std::int64_t days_between(std::string_view from, std::string_view to) {
  using namespace std::chrono;
  return (sys_days{ymd_of(to)} - sys_days{ymd_of(from)}).count();
}

std::string today() { return date_of(std::time(nullptr)); }

std::string date_of(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm {};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string format_time(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm {};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

}  // namespace kaappi
