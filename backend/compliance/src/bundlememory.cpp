#include "bundlememory.h"

#include <cstdlib>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace upcoach::compliance {

namespace {

constexpr size_t kHugePage = size_t(2) << 20;

} // namespace

void *allocateLarge(size_t bytes)
{
    if (bytes < kHugePage)
        return std::malloc(bytes == 0 ? 1 : bytes);
    // Whole, aligned huge pages: the kernel can back them with 2 MiB pages.
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void *memory = std::aligned_alloc(kHugePage, rounded);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (memory)
        madvise(memory, rounded, MADV_HUGEPAGE); // advice only: failure changes nothing
#endif
    return memory;
}

void freeLarge(void *memory) noexcept
{
    std::free(memory);
}

} // namespace upcoach::compliance
