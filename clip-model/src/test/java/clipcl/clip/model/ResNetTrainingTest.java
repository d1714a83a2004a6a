package clipcl.clip.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tiny ResNet CLIP trains: AdamW on the contrastive loss of one batch drives the loss down, batch norms in training mode. */
class ResNetTrainingTest {
    @Test
    void contrastiveLossFallsUnderAdamW() throws Exception {
        Clip model = Clip.create(ResNetGoldenTest.config(), 3);
        int n = 4, ctx = model.config().text().contextLength(), vocab = model.config().text().vocabSize();
        Tensor images = new Rng(4).normal(DType.F32, 0, 1, n, 3, 64, 64);
        int[] ids = new int[n * ctx];
        Rng r = new Rng(5);
        for (int i = 0; i < n; i++) {
            ids[i * ctx] = vocab - 2;
            for (int j = 1; j < 4; j++) ids[i * ctx + j] = 1 + r.nextInt(vocab - 3);
            ids[i * ctx + 4] = vocab - 1;
        }
        Tensor text = Tensor.of(ids, n, ctx);
        int[] labels = {0, 1, 2, 3};
        Optimizer opt = new AdamW(ParamGroups.openClip(model.namedParameters(), 0.1), 2e-3);
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < 6; step++) {
            opt.zeroGrad();
            try (Scope s = Scope.open()) {
                Var logits = model.logits(model.encodeImage(Var.constant(images)), model.encodeText(text));
                Var loss = F.crossEntropy(logits, labels).add(F.crossEntropy(logits.mT(), labels)).mul(0.5);
                loss.backward();
                losses.add(loss.item());
            }
            opt.step();
        }
        System.out.println("tiny ResNet CLIP losses: " + losses);
        assertTrue(model.resnet().stateDict().get("bn1.num_batches_tracked").item() == 6, "batch statistics were used and tracked");
        assertTrue(losses.get(5) < 0.5 * losses.get(0), "loss should fall: " + losses);
    }
}
