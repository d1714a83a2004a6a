package clipcl.continual.loss;

import clipcl.autograd.Grad;
import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.train.Batch;
import clipcl.continual.train.StudentOutputs;
import clipcl.tensor.Tensor;

/**
 * The zero-shot logits of the batch's images over a set of texts, from the model being trained (with
 * gradients) and from the frozen teacher (without), each with its own logit scale, image tower and
 * text tower: {@code tau * cos(f(x), t(text))} [B, K].
 */
final class PairLogits {
    private PairLogits() { }

    /** ids I32 [K, context] -> [B, K], differentiable in the student. */
    static Var student(StudentOutputs s, Tensor ids) {
        Var txt = s.model().encodeText(on(ids, s.model())).l2Normalize(-1, 1e-12); // [K, E]
        Var img = s.imageFeatures().l2Normalize(-1, 1e-12);                      // [B, E]
        return img.matmul(txt.mT()).mul(s.scale());
    }

    /** The teacher's [B, K], a constant owned by the caller's scope. */
    static Tensor teacher(Clip teacher, Batch batch, Tensor ids) {
        if (teacher == null) throw new IllegalStateException("a distillation term needs the frozen teacher; the method must ask for one");
        try (Grad.Mode g = Grad.noGrad()) {
            Var img = teacher.encodeImage(Var.constant(batch.images())).l2Normalize(-1, 1e-12);
            Var txt = teacher.encodeText(on(ids, teacher)).l2Normalize(-1, 1e-12);
            return img.matmul(txt.mT()).mul(teacher.logitScale().exp()).data();
        }
    }

    /** The teacher's image features [B, E] (unnormalised), constant. */
    static Tensor teacherImages(Clip teacher, Batch batch) {
        try (Grad.Mode g = Grad.noGrad()) {
            return teacher.encodeImage(Var.constant(batch.images())).data();
        }
    }

    /** The teacher's text features [K, E] (unnormalised), constant. */
    static Tensor teacherTexts(Clip teacher, Tensor ids) {
        try (Grad.Mode g = Grad.noGrad()) {
            return teacher.encodeText(ids).data();
        }
    }


    /** Token ids made on the host, on model's device (a copy owned by the step's scope; ids stay as they are). */
    private static Tensor on(Tensor ids, Clip model) {
        clipcl.tensor.Device d = model.device();
        return ids.device().equals(d) ? ids : ids.to(d);
    }
}
