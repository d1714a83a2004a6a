package clipcl.autograd.checkpoint;

import clipcl.autograd.nn.Module;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.Schedule;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.Npy;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * short between files is reported instead of mixing two steps. A caller may add named tensor parts
 * ({@code <part>.safetensors}: state a training method keeps beside the model, such as the weights a
 * session started from), staged and checked with the rest.
 */
public final class Checkpoint {
    public static final int FORMAT_VERSION = 1;
    public static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", TRAINER = "trainer.json";

    private Checkpoint() { }

    /** Saves model (and optimizer, may be null) with the loop state into dir (created if needed). */
    public static void save(Path dir, Module model, Optimizer opt, TrainState state) throws IOException {
        save(dir, model, opt, state, Map.of());
    }

    /**
     * As {@link #save(Path, Module, Optimizer, TrainState)}, with extra tensor parts by name (each
     * written as {@code <name>.safetensors} in the same atomic save; read back with {@link #loadPart}).
     */
    public static void save(Path dir, Module model, Optimizer opt, TrainState state, Map<String, Map<String, Tensor>> extraParts) throws IOException {
        for (String p : extraParts.keySet()) partFile(p);
        Files.createDirectories(dir);
        StagedSave.recover(dir);
        Path st = StagedSave.begin(dir);
        Map<String, String> meta = Map.of("format_version", Integer.toString(FORMAT_VERSION), "step", Long.toString(state.step()));
        List<String> parts = new ArrayList<>();
        try {
            Map<String, Object> sums = new LinkedHashMap<>();
            StagedSave.fault.before("write " + MODEL);
            Safetensors.write(st.resolve(MODEL), model.stateDict(), meta);
            sums.put(MODEL, StagedSave.crc32(st.resolve(MODEL)));
            parts.add(MODEL);
            if (opt != null) {
                StagedSave.fault.before("write " + OPTIMIZER);
                Safetensors.write(st.resolve(OPTIMIZER), opt.stateTensors(), meta);
                sums.put(OPTIMIZER, StagedSave.crc32(st.resolve(OPTIMIZER)));
                parts.add(OPTIMIZER);
            }
            for (Map.Entry<String, Map<String, Tensor>> e : new java.util.TreeMap<>(extraParts).entrySet()) {
                String f = partFile(e.getKey());
                StagedSave.fault.before("write " + f);
                Safetensors.write(st.resolve(f), e.getValue(), meta);
                sums.put(f, StagedSave.crc32(st.resolve(f)));
                parts.add(f);
            }
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
            j.put("checksums", sums);
            StagedSave.fault.before("write " + TRAINER);
            AtomicFiles.write(st.resolve(TRAINER), (Json.pretty(j) + "\n").getBytes(StandardCharsets.UTF_8));
            parts.add(TRAINER);
        } catch (IOException | RuntimeException e) {
            // A failed write (a full disk) leaves the previous checkpoint as it was.
            try {
                AtomicFiles.deleteTree(st);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        StagedSave.commit(dir, parts);
    }

    /**
     * Loads weights into model (strict: missing, unexpected or wrongly shaped tensors fail, named)
     * and state into opt (may be null), and returns the loop state.
     */
    public static TrainState load(Path dir, Module model, Optimizer opt) throws IOException {
        if (Files.isDirectory(dir)) StagedSave.recover(dir);
        Map<String, Object> j = readTrainer(dir);
        long step = (Long) j.get("step");
        Path tj = dir.resolve(TRAINER);
        Map<?, ?> sums = j.get("checksums") instanceof Map<?, ?> m ? m : Map.of();
        try (Scope s = Scope.open()) {
            Map<String, Tensor> weights = readChecked(dir.resolve(MODEL), step, sums.get(MODEL));
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
                Map<String, Tensor> st = readChecked(dir.resolve(OPTIMIZER), step, sums.get(OPTIMIZER));
                try {
                    opt.loadState(st, om);
                } catch (ClassCastException | NullPointerException e) {
                    // An optimizer reads its scalars from trainer.json by type; a field of another type is a damaged file.
                    throw new BadInputException(dir.resolve(TRAINER).toString(), "optimizer", "malformed optimizer state (" + e.getMessage() + ")", e);
                } catch (IllegalArgumentException e) {
                    throw new IOException(dir.resolve(OPTIMIZER) + ": " + e.getMessage());
                }
            }
        }
        Map<String, Rng> rngs = new LinkedHashMap<>();
        if (j.get("rngs") instanceof Map<?, ?> rm) {
            for (Map.Entry<?, ?> e : rm.entrySet()) {
                String where = "rngs." + e.getKey();
                if (!(e.getValue() instanceof Map<?, ?> r) || !(r.get("seed") instanceof Long seed) || !(r.get("counter") instanceof Long counter)) {
                    throw new BadInputException(tj.toString(), where, "must be {\"seed\": integer, \"counter\": integer}, found " + Json.write(e.getValue()));
                }
                rngs.put((String) e.getKey(), new Rng(seed, counter));
            }
        } else if (j.get("rngs") != null) {
            throw new BadInputException(tj.toString(), "rngs", "must be an object, found " + Json.kind(j.get("rngs")));
        }
        Schedule sched = null;
        if (j.get("schedule") instanceof Map<?, ?> sm) {
            @SuppressWarnings("unchecked")
            Map<String, Object> smm = (Map<String, Object>) sm;
            try {
                sched = Schedule.fromJson(smm);
            } catch (BadInputException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new BadInputException(tj.toString(), "schedule", String.valueOf(e.getMessage()), e);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = j.get("extra") instanceof Map<?, ?> em ? (Map<String, Object>) em : Map.of();
        return new TrainState(step, rngs, sched, extra);
    }

    /**
     * The tensors of an extra part saved with the checkpoint in dir (owned by the caller, on the host),
     * or null when that save had no such part. Checked as the model is: same step, CRC-32, finite.
     */
    public static Map<String, Tensor> loadPart(Path dir, String part) throws IOException {
        String f = partFile(part);
        if (Files.isDirectory(dir)) StagedSave.recover(dir);
        Map<String, Object> j = readTrainer(dir);
        Map<?, ?> sums = j.get("checksums") instanceof Map<?, ?> m ? m : Map.of();
        // a part file left from an earlier save is not this save's: only the parts it checksummed count
        if (!sums.containsKey(f)) return null;
        Map<String, Tensor> out = readChecked(dir.resolve(f), (Long) j.get("step"), sums.get(f));
        out.values().forEach(Scope::detach);
        return out;
    }

    private static String partFile(String part) {
        if (part == null || !part.matches("[a-z0-9][a-z0-9_-]*")) throw new IllegalArgumentException("checkpoint part name '" + part + "': lower-case letters, digits, '_' and '-' only");
        String f = part + ".safetensors";
        if (f.equals(MODEL) || f.equals(OPTIMIZER)) throw new IllegalArgumentException("checkpoint part name '" + part + "' is reserved");
        return f;
    }

    /** Writes only the model's state dict to one safetensors file (atomically), e.g. for export. */
    public static void saveWeights(Path file, Module model) throws IOException {
        Safetensors.write(file, model.stateDict(), Map.of("format", "pt"));
    }

    /**
     * Loads a safetensors state dict into model; strict fails on missing or unexpected names, wrong
     * shapes always fail, and the message names the file and every offending tensor.
     */
    public static Module.LoadReport loadWeights(Path file, Module model, boolean strict) throws IOException {
        try (Scope s = Scope.open(); Safetensors.Reader r = Safetensors.open(file)) {
            Map<String, Tensor> sd = new LinkedHashMap<>();
            for (String name : r.entries().keySet()) sd.put(name, r.read(name));
            return model.loadStateDict(sd, strict);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /**
     * Whether dir holds a complete checkpoint (its trainer.json exists), after finishing a save that
     * was interrupted while its parts were being moved into place.
     */
    public static boolean exists(Path dir) throws IOException {
        if (Files.isDirectory(dir)) StagedSave.recover(dir);
        return Files.isRegularFile(dir.resolve(TRAINER));
    }

    private static Map<String, Object> readTrainer(Path dir) throws IOException {
        Path f = dir.resolve(TRAINER);
        if (!Files.isRegularFile(f)) throw new IOException(f + ": no checkpoint here (trainer.json missing)");
        Map<String, Object> j = Json.readObject(f);
        Object v = j.get("format_version");
        if (!(v instanceof Number n) || n.intValue() != FORMAT_VERSION) {
            throw new IOException(f + ": checkpoint format version " + v + ", this build reads version " + FORMAT_VERSION);
        }
        if (!(j.get("step") instanceof Long step) || step < 0) throw new BadInputException(f.toString(), "step", "missing or not a non-negative integer");
        return j;
    }

    /**
     * A tensor file of the checkpoint at the given step: its metadata step must match trainer.json,
     * its CRC-32 the one recorded there (a flipped bit is caught, not trained on), and every float
     * must be finite (a run that diverged before its save is not resumed silently).
     */
    private static Map<String, Tensor> readChecked(Path file, long step, Object crc) throws IOException {
        try (Safetensors.Reader r = Safetensors.open(file)) {
            String s = r.metadata().get("step");
            if (!Long.toString(step).equals(s)) {
                throw new IOException(file + ": written at step " + s + " but trainer.json is at step " + step + " (a save was interrupted?)");
            }
            if (crc != null) {
                long have = StagedSave.crc32(file);
                if (!(crc instanceof Long want) || want != have) {
                    throw new BadInputException(file.toString(), null, String.format("CRC-32 %08x does not match %s recorded in trainer.json: the file is damaged", have, crc instanceof Long w ? String.format("%08x", w) : String.valueOf(crc)));
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : r.entries().keySet()) {
                Tensor t = r.read(name);
                out.put(name, t);
                try {
                    Npy.requireFinite(t, file.toString());
                } catch (BadInputException e) {
                    throw new BadInputException(file.toString(), "tensor '" + name + "' " + e.field(), e.problem());
                }
            }
            return out;
        }
    }
}
