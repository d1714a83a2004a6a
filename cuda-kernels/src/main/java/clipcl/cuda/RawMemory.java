package clipcl.cuda;

/** Uncached device memory: cudaMalloc and cudaFree, or a fake in tests of the allocator's logic. */
interface RawMemory {
    /** Address of a new block, or 0 when the device is out of memory; other failures throw. */
    long malloc(long bytes);

    void free(long address);
}
