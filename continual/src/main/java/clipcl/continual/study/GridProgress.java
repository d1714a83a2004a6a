package clipcl.continual.study;

import java.util.List;
import java.util.Map;

/**
 * The whole grid's progress as one listener shows it: runs done (and failed) of the total, the time
 * elapsed in this invocation, and the time left estimated from the runs this invocation finished.
 *
 * @param done      runs finished (including those finished before a resume)
 * @param failed    runs that ended with an error
 * @param total     runs in the grid
 * @param elapsedS  seconds since this invocation started
 * @param leftS     estimated seconds left, NaN until a run has finished in this invocation
 */
public record GridProgress(int done, int failed, int total, double elapsedS, double leftS) {

    /**
     * Seconds left for the remaining runs: each is expected to take the mean wall time of the runs of its
     * protocol finished so far (protocols differ in sessions and evaluations), or the mean of all finished
     * runs when none of its protocol has finished; NaN when nothing has finished yet.
     *
     * @param finished  protocol id to the wall times of runs finished in this invocation
     * @param remaining protocol id of every run still to do
     */
    public static double estimateLeft(Map<String, List<Double>> finished, List<String> remaining) {
        double all = 0;
        int n = 0;
        for (List<Double> l : finished.values()) for (double v : l) { all += v; n++; }
        if (n == 0) return remaining.isEmpty() ? 0 : Double.NaN;
        double overall = all / n, left = 0;
        for (String p : remaining) {
            List<Double> l = finished.get(p);
            if (l == null || l.isEmpty()) left += overall;
            else left += l.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }
        return left;
    }

    /** "12/39 done (1 failed), 1:02 elapsed, ~3:10 left". */
    public String line() {
        return done + "/" + total + " done" + (failed > 0 ? " (" + failed + " failed)" : "") + ", " + clock(elapsedS) + " elapsed, "
                + (Double.isNaN(leftS) ? "time left not known yet" : "~" + clock(leftS) + " left");
    }

    static String clock(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }
}
