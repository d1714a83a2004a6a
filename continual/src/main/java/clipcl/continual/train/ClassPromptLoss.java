package clipcl.continual.train;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.continual.data.CaptionTemplates;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Paper A's base objective: the zero-shot logits of each image over the class prompts,
 * {@code scale * cos(image, prompt(c))} [B, C], trained with cross-entropy towards the image's label.
 * The prompts are encoded with gradients every step, so the text tower learns too where it is not
 * frozen. With {@code maskToSession} (MST, as the authors' code does) the logits of classes outside
 * the current session are masked out, so training on a session never pushes its images away from
 * classes it cannot see; evaluation stays unmasked.
 */
public record ClassPromptLoss(List<String> classNames, CaptionTemplates templates, boolean maskToSession) implements LossTerm {
    /** Stands for minus infinity: exp underflows to 0 and no NaN can come back through the mask. */
    static final double MASKED = -1e9;

    @Override
    public String name() { return "class_ce"; }

    @Override
    public double weight() { return 1; }

    @Override
    public Var compute(Batch batch, StudentOutputs s, TeacherContext ctx) {
        List<String> prompts = new ArrayList<>();
        for (String c : classNames) prompts.add(templates.prompt(c));
        Var txt = s.model().encodeText(ctx.text().ids(prompts, s.model().device())).l2Normalize(-1, 1e-12); // [C, E]
        Var img = s.imageFeatures().l2Normalize(-1, 1e-12);                                 // [B, E]
        Var logits = img.matmul(txt.mT()).mul(s.scale());                                   // [B, C]
        if (maskToSession) {
            int b = batch.size(), c = classNames.size();
            boolean[] in = new boolean[c];
            for (int k : ctx.session().classes()) in[k] = true;
            for (int l : batch.labels()) in[l] = true; // replayed items keep their own class reachable
            int[] mask = new int[b * c];
            for (int i = 0; i < b; i++) for (int k = 0; k < c; k++) mask[i * c + k] = in[k] ? 0 : 1;
            logits = logits.maskedFill(Placement.onDevice(Tensor.of(mask, b, c), logits.data().device()), MASKED);
        }
        return F.crossEntropy(logits, batch.labels());
    }
}
