import clipcl.clip.data.FashionMnist;
import clipcl.clip.demo.DemoConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.MnistDigits;
import clipcl.continual.protocol.Clip0;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import clipcl.continual.tuning.Grid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hyper-parameter grid on the validation split at `clipcl continual --quick` settings (the quick
 * CLIP_0, batch 256, AdamW, cosine with 10% warm-up) until the command has a --grid flag. Launched as
 * a single-file program on the tools' class path (see continual/RESULTS.md):
 * {@code java -cp <tools class path> continual/studies/ValidationGrid.java OUT METHOD PROTOCOL EPOCHS LR SEEDS AXIS [AXIS]}
 * e.g. {@code ... grid-lwf-ost lwf ost 1 1e-3 1 beta=0.5,1,2}; criterion A-Acc on validation.
 */
public class ValidationGrid {
    public static void main(String[] a) throws Exception {
        if (a.length < 7) throw new IllegalArgumentException("usage: OUT METHOD PROTOCOL EPOCHS LR SEEDS AXIS [AXIS]");
        Path out = Path.of(a[0]);
        Protocol p = Protocol.parse(a[2]);
        List<Long> seeds = new ArrayList<>();
        for (String s : a[5].split(",")) seeds.add(Long.parseLong(s.trim()));
        List<Grid.Axis> axes = new ArrayList<>();
        for (int i = 6; i < a.length; i++) axes.add(Grid.Axis.parse(a[i]));
        boolean replays = a[1].startsWith("der") || a[1].contains("buffer=");
        TrainConfig tc = new TrainConfig(256, Double.parseDouble(a[3]), Double.parseDouble(a[4]), 0.1, "adamw", "cosine", 0.1, 1.0,
                p.defaultObjective(), false, true, true, 0, 20, replays ? 0.25 : 0);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "clipcl");
        Benchmark bench = Benchmark.load(FashionMnist.DEFAULT_DIR, cache);
        DemoConfig d = DemoConfig.quick();
        ImageTensors images = new ImageTensors(d.imageSize(), false);
        SessionListener log = new SessionListener() {
            @Override
            public void info(String line) { System.out.println(line); }
        };
        Clip clip0 = Clip0.obtain(d, bench, images, cache, log);
        StudyConfig base = new StudyConfig(a[1], p, UpdateOption.WM, seeds.get(0), tc, 2000, 2, 5, null);
        Grid.Outcome o = Grid.run(base, axes, Grid.A_ACC, seeds, bench, clip0, images, out, java.nio.file.Files.isDirectory(out), log);
        for (Grid.Cell c : o.cells()) System.out.printf("%s a_acc %.4f ut %.4f zs %.4f%n", c.method(), c.metrics().get("a_acc"), c.metrics().get("ut_acc"), c.metrics().get("zs_acc"));
        System.out.println("chosen: " + o.chosen().method());
    }
}
