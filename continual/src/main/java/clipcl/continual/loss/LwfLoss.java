package clipcl.continual.loss;

import clipcl.autograd.Var;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.train.Batch;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TeacherContext;
import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * LwF on CLIP (paper A, Eq. 4-5): the batch's images against the class prompts of the distilled
 * classes, through the frozen previous model and the model being trained, each with its own towers and
 * logit scale; the two class distributions are tied by {@link Distillation}. CLIP has no head of
 * "old classes", so the distilled classes are those being learnt: {@link Classes#SEEN} (OST: the
 * updated classes; MST: every class seen so far, this session's included, as the authors' code does)
 * or {@link Classes#PREVIOUS} (only earlier sessions' classes: VR-LwF's MST extension, L_Pre).
 */
public record LwfLoss(String name, double weight, List<String> classNames, CaptionTemplates templates, Classes classes,
                      double temperature, Distillation.Form form) implements LossTerm {

    public enum Classes { SEEN, PREVIOUS }

    @Override
    public Var compute(Batch batch, StudentOutputs s, TeacherContext ctx) {
        int[] cls = distilled(ctx);
        if (cls.length == 0) return Var.constant(Tensor.scalar(0, DType.F32, s.model().device())); // session 1 has no previous classes
        List<String> prompts = new ArrayList<>();
        for (int c : cls) prompts.add(templates.prompt(classNames.get(c)));
        Tensor ids = ctx.text().ids(prompts);
        Tensor old = PairLogits.teacher(ctx.teacher(), batch, ids);               // [B, K]
        return Distillation.loss(PairLogits.student(s, ids), old, temperature, form);
    }

    int[] distilled(TeacherContext ctx) {
        if (classes == Classes.SEEN) return ctx.seenClasses();
        boolean[] now = new boolean[classNames.size()];
        for (int c : ctx.session().classes()) now[c] = true;
        return java.util.Arrays.stream(ctx.seenClasses()).filter(c -> !now[c]).toArray();
    }
}
