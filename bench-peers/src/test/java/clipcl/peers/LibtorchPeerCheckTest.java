package clipcl.peers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.nn.Init;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.clip.bench.TrainStepBench;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.TextConfig;
import clipcl.clip.config.VisionConfig;
import clipcl.clip.model.Clip;
import clipcl.clip.model.MultiheadAttention;
import clipcl.clip.model.ResidualAttentionBlock;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.junit.jupiter.api.Test;

/**
 * The libtorch peers' pre-timing checks on small sizes: they pass when libtorch holds our weights
 * (so the libtorch block and CLIP compute what ours does, forward, backward and through two AdamW
 * steps) and stop the run when one libtorch weight is changed (so the checks can fail).
 */
class LibtorchPeerCheckTest {
    @Test
    void blockOutputsAndGradientsAgreeAndADifferentWeightIsCaught() {
        for (boolean causal : new boolean[] {false, true}) {
            int width = 64, heads = 4, seq = 7, batch = 2;
            ResidualAttentionBlock block = new ResidualAttentionBlock(width, heads, Init.f32(1));
            Rng rng = new Rng(2);
            Tensor x = Scope.detach(rng.uniform(DType.F32, -1, 1, batch, seq, width));
            Tensor dy = Scope.detach(rng.uniform(DType.F32, -1, 1, batch, seq, width));
            Tensor mask = causal ? Scope.detach(MultiheadAttention.causalMask(seq, DType.F32)) : null;
            Map<String, org.bytedeco.pytorch.Tensor> params = new HashMap<>();
            block.namedParameters().forEach((n, v) -> params.put(n, Torch.parameter(v.data())));
            org.bytedeco.pytorch.Tensor tx = Torch.copy(x), tdy = Torch.copy(dy), tmask = causal ? Torch.copy(mask) : null;
            tx.set_requires_grad(true);

            String forward = BlockPeer.check(block, params, x, dy, mask, tx, tdy, tmask, heads, false);
            String backward = BlockPeer.check(block, params, x, dy, mask, tx, tdy, tmask, heads, true);
            assertTrue(forward.startsWith("y ") && backward.contains("dx ") && backward.contains("worst parameter gradient"), backward);

            try (NoGradGuard g = new NoGradGuard()) {
                params.get("mlp.c_fc.bias").add_(new Scalar(1e-2));
            }
            assertThrows(IllegalStateException.class, () -> BlockPeer.check(block, params, x, dy, mask, tx, tdy, tmask, heads, false));
        }
    }

    @Test
    void clipFeaturesAndTwoTrainingStepsAgreeAndADifferentLogitScaleIsCaught() {
        // Two layers a tower, 64 wide, 32-pixel images of 16-pixel patches, 8 tokens of 100.
        ClipConfig cfg = new ClipConfig(32, true, new VisionConfig(32, 2, 64, 16, 32), new TextConfig(8, 100, 64, 2, 2));
        for (boolean perturb : new boolean[] {false, true}) {
            Clip clip = Clip.create(cfg, 1, Device.CPU);
            Optimizer opt = new AdamW(ParamGroups.openClip(clip.namedParameters(), 0.2), 5e-4, 0.9, 0.98, 1e-6);
            LibtorchClip peer = new LibtorchClip(cfg, clip.namedParameters(), 5e-4, 0.9, 0.98, 1e-6, 0.2);
            Tensor[] data = TrainStepBench.data(cfg, Device.CPU, 4);
            org.bytedeco.pytorch.Tensor images = Torch.copy(data[0]);
            org.bytedeco.pytorch.Tensor ids = TrainStepPeer.longs(data[1]), labels = TrainStepPeer.longs(data[2]);
            if (perturb) {
                try (NoGradGuard g = new NoGradGuard()) {
                    peer.p("logit_scale").add_(new Scalar(0.5));
                }
                assertThrows(IllegalStateException.class, () -> TrainStepPeer.check(clip, opt, peer, data, images, ids, labels));
            } else {
                String s = TrainStepPeer.check(clip, opt, peer, data, images, ids, labels);
                assertTrue(s.contains("image features") && s.contains("losses step 1"), s);
            }
            clip.release();
        }
    }
}
