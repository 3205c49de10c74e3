// parallel_read.cpp — see parallel_read.h.
#include "store/parallel_read.h"

#include <exception>
#include <thread>

namespace kaappi {

void read_in_two_parts(Archive& archive, const std::function<void(const Index& index, int part)>& work) {
  std::exception_ptr errors[2];
  std::thread second([&] {
    try {
      Index index(archive.index_path(), SchemaPolicy::report);
      work(index, 1);
    } catch (...) {
      errors[1] = std::current_exception();
    }
  });
  try {
    work(archive.index(), 0);
  } catch (...) {
    errors[0] = std::current_exception();
  }
  second.join();
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
}

std::pair<std::int64_t, std::int64_t> half_of(std::int64_t first, std::int64_t last, int part) {
  const std::int64_t middle = first + (last - first) / 2;
  return part == 0 ? std::make_pair(first, middle) : std::make_pair(middle + 1, last);
}

}  // namespace kaappi
