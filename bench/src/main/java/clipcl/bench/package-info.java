/**
 * Benchmarks: JMH suites ({@link clipcl.bench.SgemmJmh}, {@link clipcl.bench.OpsJmh}, run through
 * {@link clipcl.bench.JmhMain}), and the timing loops behind {@code clipcl bench}
 * ({@link clipcl.bench.SgemmBench}, {@link clipcl.bench.OpsBench}) with OpenBLAS as an in-process peer.
 */
package clipcl.bench;
