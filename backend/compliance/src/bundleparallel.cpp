#include "bundleparallel.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <vector>

namespace upcoach::compliance {

int parallelWorkers()
{
    static const int workers = std::clamp(int(std::thread::hardware_concurrency()), 1, 8);
    return workers;
}

void parallelFor(size_t count, const std::function<void(size_t index, int worker)> &task)
{
    std::atomic<size_t> next{0};
    const auto run = [&](int worker) {
        for (size_t index = next.fetch_add(1); index < count; index = next.fetch_add(1))
            task(index, worker);
    };
    const int helpers = int(std::min<size_t>(size_t(parallelWorkers()), count)) - 1;
    std::vector<std::thread> threads;
    threads.reserve(size_t(std::max(helpers, 0)));
    for (int worker = 1; worker <= helpers; ++worker) {
        try {
            threads.emplace_back(run, worker);
        } catch (const std::system_error &) {
            break; // no more threads: the ones running (and this one) finish the work
        }
    }
    run(0);
    for (std::thread &thread : threads)
        thread.join();
}

} // namespace upcoach::compliance
