package clipcl.clip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.autograd.checkpoint.TrainState;
import clipcl.autograd.nn.Init;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.autograd.optim.Schedule;
import clipcl.autograd.optim.Sgd;
import clipcl.tensor.Backend;
import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.ReferenceBackend;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final Tensor MASK = MultiheadAttention.causalMask(5, DType.F32);

    private static Transformer model(long seed) { return new Transformer(16, 2, 2, Init.f32(seed)); }

    private static Optimizer adamw(Transformer m) { return new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0); }

    /** One training step on a batch drawn from data; everything temporary dies with the scope. */
    static double step(Transformer m, Optimizer opt, Schedule sched, long step, Rng data) {
        try (Scope s = Scope.open()) {
            sched.apply(opt, step);
            Tensor x = data.uniform(DType.F32, -1, 1, 3, 5, 16);
            Var loss = m.forward(Var.constant(x), MASK).square().mean();
            loss.backward();
            GradClip.clipGlobalNorm(m.trainableParameters().values(), 0.5);
            opt.step();
            opt.zeroGrad();
            return loss.item();
        }
    }

    @Test
    void resumingIsBitIdenticalToNotStopping(@TempDir Path dir) throws IOException {
        resumeAndCompare(dir.resolve("current"));
    }

    /** The same on the scalar float64 reference backend, whose results cannot depend on JIT state. */
    @Test
    void resumingIsBitIdenticalOnTheReferenceBackend(@TempDir Path dir) throws IOException {
        Backend before = Backends.setCpu(new ReferenceBackend());
        try {
            resumeAndCompare(dir);
        } finally {
            Backends.setCpu(before);
        }
    }

    private static void resumeAndCompare(Path dir) throws IOException {
        Schedule sched = new Schedule.CosineWarmup(3e-3, 2, 10);
        Transformer a = model(1);
        Optimizer oa = adamw(a);
        Rng data = new Rng(77);
        for (long s = 0; s < 4; s++) step(a, oa, sched, s, data);
        Checkpoint.save(dir, a, oa, new TrainState(4, Map.of("data", data), sched, Map.of("task", 2L)));
        for (long s = 4; s < 8; s++) step(a, oa, sched, s, data);

        Transformer b = model(999); // different weights until loaded
        Optimizer ob = adamw(b);
        TrainState st = Checkpoint.load(dir, b, ob);
        assertEquals(4, st.step());
        assertEquals(sched, st.schedule());
        assertEquals(2L, st.extra().get("task"));
        Rng dataB = st.rngs().get("data");
        for (long s = st.step(); s < 8; s++) step(b, ob, st.schedule(), s, dataB);
        for (String n : a.namedParameters().keySet()) {
            assertArrayEquals(a.parameter(n).data().toFloatArray(), b.parameter(n).data().toFloatArray(), n);
        }
        assertEquals(data.counter(), dataB.counter());
    }

    @Test
    void weightsFileUsesStateDictNames(@TempDir Path dir) throws IOException {
        Transformer a = model(1);
        Checkpoint.save(dir, a, null, new TrainState(0, new Rng(1), null));
        Map<String, Tensor> w = Safetensors.readAll(dir.resolve(Checkpoint.MODEL));
        assertEquals(a.stateDict().keySet(), w.keySet());
        assertTrue(w.containsKey("resblocks.1.attn.in_proj_weight"));
        assertArrayEquals(a.parameter("resblocks.1.mlp.c_fc.bias").data().toFloatArray(), w.get("resblocks.1.mlp.c_fc.bias").toFloatArray());
        Transformer b = model(2);
        TrainState st = Checkpoint.load(dir, b, null);
        assertEquals(1L, st.rng().seed());
        assertEquals(null, st.schedule());
        assertArrayEquals(a.parameter("resblocks.0.ln_1.weight").data().toFloatArray(), b.parameter("resblocks.0.ln_1.weight").data().toFloatArray());
    }

    @Test
    void weightOnlyFilesRoundTrip(@TempDir Path dir) throws IOException {
        Transformer a = model(1), b = model(2);
        Path f = dir.resolve("w.safetensors");
        Checkpoint.saveWeights(f, a);
        assertTrue(Checkpoint.loadWeights(f, b, true).clean());
        for (String n : a.namedParameters().keySet()) assertArrayEquals(a.parameter(n).data().toFloatArray(), b.parameter(n).data().toFloatArray(), n);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.loadWeights(f, new Transformer(16, 3, 2, Init.f32(1)), true));
        assertTrue(e.getMessage().contains("w.safetensors") && e.getMessage().contains("missing keys: [resblocks.2."), e.getMessage());
    }

    @Test
    void mismatchedCheckpointsFailNamingTheTensors(@TempDir Path dir) throws IOException {
        Transformer small = new Transformer(16, 1, 2, Init.f32(1));
        Checkpoint.save(dir, small, null, new TrainState(0, new Rng(1), null));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir, model(1), null));
        assertTrue(e.getMessage().contains("missing keys: [resblocks.1.attn.in_proj_bias"), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());

        Transformer wide = new Transformer(32, 2, 2, Init.f32(1));
        Checkpoint.save(dir, wide, null, new TrainState(0, new Rng(1), null));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir, model(1), null));
        assertTrue(e.getMessage().contains("resblocks.0.attn.in_proj_weight: checkpoint [96, 32], model [48, 16]"), e.getMessage());

        // unexpected tensors: write a state dict with an extra entry in place of the model file
        Transformer m = model(1);
        Checkpoint.save(dir, m, null, new TrainState(5, new Rng(1), null));
        Map<String, Tensor> sd = new LinkedHashMap<>(m.stateDict());
        sd.put("proj", Tensor.zeros(DType.F32, 2, 2));
        Safetensors.write(dir.resolve(Checkpoint.MODEL), sd, Map.of("format_version", "1", "step", "5"));
        dropChecksums(dir); // the replaced file would otherwise fail its CRC first
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir, model(1), null));
        assertTrue(e.getMessage().contains("unexpected keys: [proj]"), e.getMessage());

        // an optimizer of another kind
        Checkpoint.save(dir, m, adamw(m), new TrainState(5, new Rng(1), null));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir, m, new Sgd(ParamGroups.single(m.namedParameters(), 0), 0.1, 0.9)));
        assertTrue(e.getMessage().contains("'adamw'"), e.getMessage());
    }

    @Test
    void tornAndFutureCheckpointsAreRefused(@TempDir Path dir) throws IOException {
        Transformer m = model(1);
        Checkpoint.save(dir, m, null, new TrainState(7, new Rng(1), null));
        // a model file from another step next to this trainer.json: a save that stopped half way
        Safetensors.write(dir.resolve(Checkpoint.MODEL), m.stateDict(), Map.of("format_version", "1", "step", "8"));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir, m, null));
        assertTrue(e.getMessage().contains("written at step 8 but trainer.json is at step 7"), e.getMessage());

        Checkpoint.save(dir, m, null, new TrainState(7, new Rng(1), null));
        Path tj = dir.resolve(Checkpoint.TRAINER);
        Files.writeString(tj, Files.readString(tj).replace("\"format_version\": 1", "\"format_version\": 99"));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir, m, null));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
        assertThrows(IOException.class, () -> Checkpoint.load(dir.resolve("nowhere"), m, null));
        // no temp files are left behind by the atomic writes
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "only model.safetensors and trainer.json");
        }
    }

    /** Removes trainer.json's part checksums, so that a part replaced on purpose is read, not refused. */
    static void dropChecksums(Path dir) throws IOException {
        Path tj = dir.resolve(Checkpoint.TRAINER);
        Map<String, Object> j = clipcl.tensor.io.Json.readObject(tj);
        j.remove("checksums");
        java.nio.file.Files.writeString(tj, clipcl.tensor.io.Json.pretty(j));
    }
}
