package clipcl.continual.method;

import clipcl.continual.data.Benchmark;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.Session;
import clipcl.continual.data.SessionPlan;
import java.util.List;

/**
 * CLIP_jt, paper B's upper bound: "a CLIP_jt ... using all data D_jt = D0 u D" (paper B, Sec. 5), in
 * one session. Option d0 (default true, the paper's definition): D0, CLIP_0's training data (every
 * Fashion-MNIST training image with its captions), is trained together with all of D; d0=false trains
 * on D alone (what this method did before the option existed). Unlike the paper, it starts from CLIP_0
 * rather than from scratch, as every method of the engine does.
 *
 * <p>D0's captions are drawn from the digits' caption templates around the Fashion class names, which
 * are the very templates CLIP_0 was trained with (checked, refused otherwise); under paper A's class-
 * prompt objective D0's items are scored against the 20 class prompts of both data sets. The tasks
 * (the accuracy matrix's columns) stay the digits', so the rows line up with the other methods'.
 */
public final class ClipJt implements Method {
    private final boolean d0;
    private int digits = -1, fashion;
    private String d0Name;

    public ClipJt(MethodOptions o) {
        o.allow("d0");
        d0 = Boolean.parseBoolean(o.choice("d0", "true", "false"));
    }

    public boolean withD0() { return d0; }

    @Override
    public String name() { return "clip-jt"; }

    @Override
    public LabeledImages trainingData(Benchmark bench) {
        digits = bench.digitsTrain().count();
        if (bench.fashionTrain() == null) {
            if (d0) throw new IllegalArgumentException("clip-jt d0=true needs D0, the old data's training split, which this data set does not have (use d0=false)");
            return bench.digitsTrain();
        }
        fashion = bench.fashionTrain().count();
        d0Name = bench.fashionTrain().name();
        if (!d0) return bench.digitsTrain();
        if (!bench.fashionCaptions().templates().equals(bench.digitCaptions().templates())) {
            throw new IllegalStateException("clip-jt d0=true: the Fashion and digit caption templates differ, so D0's captions would not be CLIP_0's");
        }
        return bench.digitsTrain().append(bench.fashionTrain(), bench.digitsTrain().name() + "+" + bench.fashionTrain().name());
    }

    @Override
    public SessionPlan plan(SessionPlan plan) {
        SessionPlan joint = plan.joint();
        if (!d0) return joint;
        if (digits < 0) throw new IllegalStateException("clip-jt: plan asked before trainingData");
        Session s = joint.sessions().get(0);
        int[] items = java.util.Arrays.copyOf(s.items(), s.items().length + fashion);
        for (int i = 0; i < fashion; i++) items[s.items().length + i] = digits + i;
        return new SessionPlan(joint.kind(), List.of(new Session(0, s.name() + " + D0 (" + fashion + " items of " + d0Name + ")", s.classes(), items)), joint.tasks());
    }
}
