package clipcl.continual.loss;

import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/**
 * Knowledge distillation between the logits of a frozen teacher and the model being trained, as a
 * batch mean over rows.
 */
public final class Distillation {
    private Distillation() { }

    /** Which formula: the authors' code ("kl") or the paper's printed Eq. 5 ("printed"). */
    public enum Form {
        /**
         * {@code KL(p_old || p_new) = sum_c p_old (log p_old - log p_new)}: PyTorch's
         * {@code F.kl_div(log_softmax(new / T), softmax(old / T), reduction="batchmean")}. Its gradient
         * is that of the cross-entropy {@code -sum p_old log p_new} (the teacher's entropy is a constant).
         */
        KL,
        /**
         * Paper A's Eq. 5 as printed: {@code -sum_c p_new log p_old}. The gradient flows through p_new
         * and pulls it to the teacher's arg-max class rather than to the teacher's distribution.
         */
        PRINTED
    }

    /** newLogits [B, C] (with gradient), oldLogits [B, C] (the teacher's, constant); temperature t. */
    public static Var loss(Var newLogits, Tensor oldLogits, double t, Form form) {
        if (!newLogits.shape().equals(oldLogits.shape())) {
            throw new IllegalArgumentException("distillation: student logits " + newLogits.shape() + " and teacher logits " + oldLogits.shape() + " differ");
        }
        Var logOld = Var.constant(oldLogits).div(t).logSoftmax(1);               // [B, C]
        Var logNew = newLogits.div(t).logSoftmax(1);                             // [B, C]
        int b = newLogits.dim(0);
        return switch (form) {
            case KL -> logOld.exp().mul(logOld.sub(logNew)).sum().div(b);
            case PRINTED -> logNew.exp().mul(logOld).sum().neg().div(b);
        };
    }

    public static Form form(String s) {
        return switch (s) {
            case "kl" -> Form.KL;
            case "printed" -> Form.PRINTED;
            default -> throw new IllegalArgumentException("distillation form '" + s + "': expected kl or printed");
        };
    }
}
