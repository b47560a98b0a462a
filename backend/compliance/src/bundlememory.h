// Private to upcoach_compliance: memory for the verifier's large arrays (read buffers, leaves,
// tree levels; tens of MiB at 10^6 events). Such memory is new to the process, and touching it
// the first time costs a page fault per 4 KiB page; on Linux it is asked for in transparent huge
// pages (MADV_HUGEPAGE), which turns ~16,000 faults per 64 MiB into ~32. Elsewhere, or when the
// kernel says no, it is ordinary memory.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace upcoach::compliance {

// At least `bytes` bytes, never zero-filled by us; nullptr only if the system has no memory.
void *allocateLarge(size_t bytes);
void freeLarge(void *memory) noexcept;

struct LargeDeleter
{
    void operator()(char *memory) const noexcept { freeLarge(memory); }
};
using LargeBuffer = std::unique_ptr<char[], LargeDeleter>;

// For std::vector of trivially constructible elements that are written before they are read:
// resize() does not zero-fill, and big blocks come from allocateLarge().
template<typename T> struct LargeAllocator
{
    using value_type = T;
    LargeAllocator() = default;
    template<typename U> LargeAllocator(const LargeAllocator<U> &) noexcept {}

    T *allocate(size_t count)
    {
        if (count > size_t(-1) / sizeof(T))
            throw std::bad_array_new_length();
        void *memory = allocateLarge(count * sizeof(T));
        if (!memory)
            throw std::bad_alloc();
        return static_cast<T *>(memory);
    }
    void deallocate(T *memory, size_t) noexcept { freeLarge(memory); }
    template<typename U> void construct(U *p) noexcept { ::new (static_cast<void *>(p)) U; }
    template<typename U, typename... Args> void construct(U *p, Args &&...args)
    {
        ::new (static_cast<void *>(p)) U(std::forward<Args>(args)...);
    }
    template<typename U> bool operator==(const LargeAllocator<U> &) const noexcept { return true; }
};

} // namespace upcoach::compliance
