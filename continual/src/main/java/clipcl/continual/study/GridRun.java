package clipcl.continual.study;

import java.nio.file.Path;

/** One run of the grid: a cell with one seed, in {@code runs/<cell>/seed-<s>/} of the study folder. */
public record GridRun(GridCell cell, long seed) {
    public String id() { return cell.id() + "/seed-" + seed; }

    public Path dir(Path studyDir) { return studyDir.resolve("runs").resolve(cell.id()).resolve("seed-" + seed); }
}
