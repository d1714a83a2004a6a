/**
 * The CUDA backend of {@link clipcl.tensor.Backend}, through JavaCPP's CUDA presets: device memory
 * from a caching allocator ({@link clipcl.cuda.CachingAllocator}, released by the same scopes as
 * host memory), pinned staging buffers, one stream per device, cuBLAS for matmul
 * ({@link clipcl.cuda.Cublas}) and our own kernels ({@code src/main/cuda}, loaded by
 * {@link clipcl.cuda.KernelModule}). Found through {@link java.util.ServiceLoader} by
 * {@link clipcl.cuda.CudaBackendProvider} when the JavaCPP natives load and a GPU answers.
 */
package clipcl.cuda;
