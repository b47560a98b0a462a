// Private to upcoach_compliance: the bundle writer's and verifier's only concurrency. Work is cut
// into numbered tasks; each task writes only its own slot of a result array, so results never
// depend on which thread ran what, and the caller reports the first failure in file order.
#pragma once

#include <cstddef>
#include <functional>

namespace upcoach::compliance {

// Threads parallelFor uses, the caller's included: the hardware's, at least 1, at most 8.
int parallelWorkers();

// Runs task(index, worker) once for every index in [0, count), on the calling thread and up to
// parallelWorkers() - 1 helper threads, and returns when all have finished. `worker` is in
// [0, parallelWorkers()) and no two tasks run with the same worker at once, so per-worker scratch
// state needs no lock. If no thread can be started, everything runs on the calling thread.
// Tasks must not throw.
void parallelFor(size_t count, const std::function<void(size_t index, int worker)> &task);

} // namespace upcoach::compliance
