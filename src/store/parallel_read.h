// parallel_read.h — large read-only scans of the index on both cores.
//
// read_in_two_parts() runs work(index, 0) on this thread with the archive's
// own connection and work(index, 1) on a second thread with a connection of
// its own (SQLite connections are not shared between threads). The open
// Archive holds its lock, so no other writer can commit in between and both
// parts see the same rows. Only for reading: the second connection does not
// refuse an altered schema (verify reads such an index to report on it). An exception in either part is rethrown
// here after both have finished.
#pragma once

#include <functional>

#include "store/archive.h"

namespace kaappi {

void read_in_two_parts(Archive& archive, const std::function<void(const Index& index, int part)>& work);

// The half [first, last] of a range of ids that part 0 or 1 takes.
std::pair<std::int64_t, std::int64_t> half_of(std::int64_t first, std::int64_t last, int part);

}  // namespace kaappi
