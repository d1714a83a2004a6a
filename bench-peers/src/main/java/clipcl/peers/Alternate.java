package clipcl.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * Times two bodies in alternating rounds in one JVM, so that load from other processes falls on
 * both alike; each side's median per-call time over all rounds.
 */
final class Alternate {
    /** Median ms per call of each side, and how many calls each made. */
    record Times(double oursMs, double peerMs, int oursCalls, int peerCalls) {
        /** Speed ratio, ours / peer (> 1: ours faster). */
        double ratio() { return peerMs / oursMs; }
    }

    private Alternate() { }

    /** Two warm-up calls each, then {@code rounds} rounds of about seconds/rounds per side (3 calls at least). */
    static Times run(Runnable ours, Runnable peer, double seconds, int rounds) {
        return run(ours, peer, seconds, rounds, 2, 3);
    }

    /**
     * warmups untimed calls each, then rounds rounds of about seconds/rounds per side, each side at
     * least minCalls calls a round (1 for bodies of seconds, such as a training step).
     */
    static Times run(Runnable ours, Runnable peer, double seconds, int rounds, int warmups, int minCalls) {
        for (int i = 0; i < warmups; i++) {
            ours.run();
            peer.run();
        }
        List<Double> mine = new ArrayList<>(), theirs = new ArrayList<>();
        long slice = (long) (seconds / rounds * 1e9);
        for (int r = 0; r < rounds; r++) {
            burst(ours, mine, slice, minCalls);
            burst(peer, theirs, slice, minCalls);
        }
        return new Times(median(mine), median(theirs), mine.size(), theirs.size());
    }

    private static void burst(Runnable body, List<Double> ms, long nanos, int minCalls) {
        long end = System.nanoTime() + nanos;
        int calls = 0;
        while (calls < minCalls || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            body.run();
            ms.add((System.nanoTime() - t0) / 1e6);
            calls++;
        }
    }

    static double median(List<Double> xs) {
        double[] d = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = d.length;
        return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
    }
}
