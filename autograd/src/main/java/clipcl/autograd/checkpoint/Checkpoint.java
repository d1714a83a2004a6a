package clipcl.autograd.checkpoint;

import clipcl.autograd.nn.Module;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.Schedule;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in a folder:
 * <ul>
 * <li>{@code model.safetensors}: the state dict under PyTorch names (loadable by safetensors/torch);</li>
 * <li>{@code optimizer.safetensors}: the optimizer's per-parameter state as "name.slot";</li>
 * <li>{@code trainer.json}: format version, step, generators, schedule, optimizer scalars, extras.</li>
 * </ul>
 * Each file is written atomically (temp file, fsync, rename) and trainer.json last. Both tensor
 * files carry the step in their metadata and loading checks it against trainer.json, so a save cut
 * short between files is reported instead of mixing two steps.
 */
public final class Checkpoint {
    public static final int FORMAT_VERSION = 1;
    public static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", TRAINER = "trainer.json";

    private Checkpoint() { }

    /** Saves model (and optimizer, may be null) with the loop state into dir (created if needed). */
    public static void save(Path dir, Module model, Optimizer opt, TrainState state) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> meta = Map.of("format_version", Integer.toString(FORMAT_VERSION), "step", Long.toString(state.step()));
        Safetensors.write(dir.resolve(MODEL), model.stateDict(), meta);
        if (opt != null) Safetensors.write(dir.resolve(OPTIMIZER), opt.stateTensors(), meta);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format_version", FORMAT_VERSION);
        j.put("step", state.step());
        Map<String, Object> rngs = new LinkedHashMap<>();
        state.rngs().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("seed", e.getValue().seed());
            r.put("counter", e.getValue().counter());
            rngs.put(e.getKey(), r);
        });
        j.put("rngs", rngs);
        j.put("schedule", state.schedule() == null ? null : state.schedule().toJson());
        j.put("optimizer", opt == null ? null : opt.stateJson());
        j.put("extra", new java.util.TreeMap<>(state.extra()));
        AtomicFiles.write(dir.resolve(TRAINER), (Json.pretty(j) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Loads weights into model (strict: missing, unexpected or wrongly shaped tensors fail, named)
     * and state into opt (may be null), and returns the loop state.
     */
    public static TrainState load(Path dir, Module model, Optimizer opt) throws IOException {
        Map<String, Object> j = readTrainer(dir);
        long step = ((Number) j.get("step")).longValue();
        try (Scope s = Scope.open()) {
            Map<String, Tensor> weights = readChecked(dir.resolve(MODEL), step);
            try {
                model.loadStateDict(weights, true);
            } catch (IllegalArgumentException e) {
                throw new IOException(dir.resolve(MODEL) + ": " + e.getMessage());
            }
            Object oj = j.get("optimizer");
            if (opt != null) {
                if (!(oj instanceof Map<?, ?>)) throw new IOException(dir.resolve(TRAINER) + ": the checkpoint has no optimizer state, but an optimizer was given to load it into");
                @SuppressWarnings("unchecked")
                Map<String, Object> om = (Map<String, Object>) oj;
                Map<String, Tensor> st = readChecked(dir.resolve(OPTIMIZER), step);
                try {
                    opt.loadState(st, om);
                } catch (IllegalArgumentException e) {
                    throw new IOException(dir.resolve(OPTIMIZER) + ": " + e.getMessage());
                }
            }
        }
        Map<String, Rng> rngs = new LinkedHashMap<>();
        if (j.get("rngs") instanceof Map<?, ?> rm) {
            for (Map.Entry<?, ?> e : rm.entrySet()) {
                Map<?, ?> r = (Map<?, ?>) e.getValue();
                rngs.put((String) e.getKey(), new Rng(((Number) r.get("seed")).longValue(), ((Number) r.get("counter")).longValue()));
            }
        }
        Schedule sched = null;
        if (j.get("schedule") instanceof Map<?, ?> sm) {
            @SuppressWarnings("unchecked")
            Map<String, Object> smm = (Map<String, Object>) sm;
            sched = Schedule.fromJson(smm);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = j.get("extra") instanceof Map<?, ?> em ? (Map<String, Object>) em : Map.of();
        return new TrainState(step, rngs, sched, extra);
    }

    /** Whether dir holds a complete checkpoint (its trainer.json exists). */
    public static boolean exists(Path dir) { return Files.isRegularFile(dir.resolve(TRAINER)); }

    private static Map<String, Object> readTrainer(Path dir) throws IOException {
        Path f = dir.resolve(TRAINER);
        if (!Files.isRegularFile(f)) throw new IOException(f + ": no checkpoint here (trainer.json missing)");
        Map<String, Object> j;
        try {
            j = Json.parseObject(Files.readString(f));
        } catch (IllegalArgumentException e) {
            throw new IOException(f + ": " + e.getMessage());
        }
        Object v = j.get("format_version");
        if (!(v instanceof Number n) || n.intValue() != FORMAT_VERSION) {
            throw new IOException(f + ": checkpoint format version " + v + ", this build reads version " + FORMAT_VERSION);
        }
        if (!(j.get("step") instanceof Number)) throw new IOException(f + ": no step counter");
        return j;
    }

    private static Map<String, Tensor> readChecked(Path file, long step) throws IOException {
        try (Safetensors.Reader r = Safetensors.open(file)) {
            String s = r.metadata().get("step");
            if (!Long.toString(step).equals(s)) {
                throw new IOException(file + ": written at step " + s + " but trainer.json is at step " + step + " (a save was interrupted?)");
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : r.entries().keySet()) out.put(name, r.read(name));
            return out;
        }
    }
}
