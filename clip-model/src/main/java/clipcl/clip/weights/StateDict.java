package clipcl.clip.weights;

import clipcl.tensor.Tensor;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named weights with OpenAI's CLIP names ({@code visual.conv1.weight},
 * {@code transformer.resblocks.0.attn.in_proj_weight}, {@code logit_scale}, ...), F32 for floating
 * point tensors (16-bit and 64-bit ones converted) and I32 for integer ones, together with where
 * they came from. Closing it closes every tensor it still holds.
 */
public final class StateDict implements AutoCloseable {
    /** Which naming the file used; tensors here always carry OpenAI's names. */
    public enum Naming { OPENAI, HUGGING_FACE }

    private final Map<String, Tensor> tensors;
    private final WeightFormat format;
    private final Naming naming;
    private final Path source;

    public StateDict(Map<String, Tensor> tensors, WeightFormat format, Naming naming, Path source) {
        this.tensors = new LinkedHashMap<>(tensors);
        this.format = format;
        this.naming = naming;
        this.source = source;
    }

    /** Name -> tensor, in the file's order (for TorchScript: the order of {@code state_dict()}). */
    public Map<String, Tensor> tensors() { return Collections.unmodifiableMap(tensors); }

    public Set<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }

    public boolean contains(String name) { return tensors.containsKey(name); }

    public int size() { return tensors.size(); }

    public WeightFormat format() { return format; }

    public Naming naming() { return naming; }

    public Path source() { return source; }

    /** Total elements over all tensors. */
    public long numel() {
        long n = 0;
        for (Tensor t : tensors.values()) n += t.numel();
        return n;
    }

    /** @throws IllegalArgumentException naming the file when the tensor is missing */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(source + ": missing tensor '" + name + "'");
        return t;
    }

    /**
     * The tensor, checked against the shape a model config expects.
     *
     * @throws IllegalArgumentException naming the file, the tensor and both shapes
     */
    public Tensor require(String name, int... shape) {
        Tensor t = get(name);
        if (!Arrays.equals(t.dims(), shape))
            throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape " + Arrays.toString(t.dims()) + ", the model config needs " + Arrays.toString(shape));
        return t;
    }

    /** Names present here that are not among {@code expected}, sorted (for an "unexpected keys" error). */
    public List<String> unexpected(Collection<String> expected) {
        Set<String> e = new HashSet<>(expected);
        List<String> out = new ArrayList<>();
        for (String n : tensors.keySet()) if (!e.contains(n)) out.add(n);
        Collections.sort(out);
        return out;
    }

    /** Removes a tensor from this state dict and hands it (and its closing) to the caller. */
    public Tensor take(String name) {
        Tensor t = get(name);
        tensors.remove(name);
        return t;
    }

    /**
     * Writes the tensors as safetensors with OpenAI's names (atomically), with metadata saying where
     * they came from.
     */
    public void saveSafetensors(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("clipcl.source", String.valueOf(source.getFileName()));
        meta.put("clipcl.source_format", format.name() + (naming == Naming.HUGGING_FACE ? "+HUGGING_FACE_NAMES" : ""));
        Safetensors.write(file, tensors, meta);
    }

    @Override
    public void close() {
        tensors.values().forEach(Tensor::close);
        tensors.clear();
    }

    @Override
    public String toString() {
        return source + " (" + format.description() + (naming == Naming.HUGGING_FACE ? ", Hugging Face names" : "") + ", " + tensors.size() + " tensors)";
    }
}
