package clipcl.clip.weights;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads CLIP weights from OpenAI's TorchScript archives, {@code torch.save} zip state dicts
 * (open_clip, Hugging Face {@code pytorch_model.bin}) and safetensors, in OpenAI or Hugging Face
 * naming, into a {@link StateDict} with OpenAI's names. The format is told from the file's first
 * bytes, the naming from the tensor names. Python is never involved: the pickles are read by a
 * small interpreter of the opcodes PyTorch writes ({@link Unpickler}), which runs no code.
 */
public final class WeightLoader {
    /** Buffers OpenAI's released archives carry that are not weights (OpenAI's build_model drops them too). */
    public static final Set<String> IGNORED = Set.of("input_resolution", "context_length", "vocab_size");

    private WeightLoader() { }

    /**
     * Reads a weight file. Peak heap is about the float32 size of the weights plus 1 MiB: records are
     * streamed into their destination arrays. The tensors are created in the caller's {@code Scope}
     * if one is open (close the StateDict, or keep its tensors, accordingly).
     *
     * @throws IOException naming the file and the problem: no such file, not a zip / safetensors,
     *     truncated archive or record, unsupported pickle opcode (hex and name), missing data record,
     *     unsupported storage type, Hugging Face names without an OpenAI counterpart
     */
    public static StateDict load(Path file) throws IOException {
        WeightFormat format = detect(file);
        return switch (format) {
            case SAFETENSORS -> loadSafetensors(file);
            case TORCHSCRIPT, TORCH_SAVE -> loadTorchZip(file);
        };
    }

    /**
     * The file's format from its first bytes (TorchScript and torch.save archives are both zips:
     * this says TORCH_SAVE for either; {@link #load} tells them apart by their contents).
     *
     * @throws IOException naming the file when it is none of the formats read here
     */
    public static WeightFormat detect(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file + ": no such file");
        if (Files.isDirectory(file)) throw new IOException(file + ": a folder, not a weight file");
        long size = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) return WeightFormat.TORCH_SAVE;
        if (head.length >= 9) {
            long hlen = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (head[8] == '{' && hlen > 1 && hlen < 100_000_000) {
                if (8 + hlen > size) throw new BadInputException(file.toString(), null, "truncated safetensors file (header of " + hlen + " bytes, file of " + size + ")");
                return WeightFormat.SAFETENSORS;
            }
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5)
            throw new BadInputException(file.toString(), null, "a bare pickle (PyTorch's legacy pre-1.6 torch.save format?), not read here: re-save it with torch >= 1.6 or as safetensors");
        if (size == 0) throw new BadInputException(file.toString(), null, "empty file");
        throw new BadInputException(file.toString(), null, "not a zip archive (PyTorch) or a safetensors file: unrecognised weight format");
    }

    // ---------------------------------------------------------------- torch zips

    private static StateDict loadTorchZip(Path file) throws IOException {
        try (TorchArchive archive = TorchArchive.open(file)) {
            Object root = archive.unpickle("data.pkl");
            WeightFormat format;
            Map<String, TensorRef> refs;
            if (TorchScriptModules.isModule(root)) {
                format = WeightFormat.TORCHSCRIPT;
                refs = TorchScriptModules.stateDict(archive, root);
            } else if (root instanceof Map<?, ?> m) {
                format = WeightFormat.TORCH_SAVE;
                refs = tensorsOf(unwrap(m), file);
            } else {
                throw new BadInputException(file.toString(), null, "data.pkl holds a " + Unpickler.typeName(root) + ", not a state dict or a TorchScript module");
            }
            refs = normalize(refs, file);
            boolean hf = HfNames.isHuggingFace(refs.keySet());
            if (hf) refs.keySet().removeIf(k -> k.endsWith("embeddings.position_ids"));
            Map<String, Tensor> tensors = StorageReader.readAll(archive, refs);
            return finish(tensors, format, hf, file);
        }
    }

    /** open_clip's training checkpoints wrap the state dict: {'epoch': ..., 'state_dict': {...}, ...}. */
    private static Map<?, ?> unwrap(Map<?, ?> m) {
        if (m.get("state_dict") instanceof Map<?, ?> inner) return inner;
        return m;
    }

    private static Map<String, TensorRef> tensorsOf(Map<?, ?> m, Path file) throws IOException {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() instanceof TensorRef t) out.put(String.valueOf(e.getKey()), t);
        }
        if (out.isEmpty()) throw new BadInputException(file.toString(), null, "no tensors in the state dict (keys: " + HfNames.summarize(keys(m)) + ")");
        return out;
    }

    private static List<String> keys(Map<?, ?> m) {
        List<String> k = new ArrayList<>();
        for (Object o : m.keySet()) k.add(String.valueOf(o));
        return k;
    }

    // ---------------------------------------------------------------- safetensors

    private static StateDict loadSafetensors(Path file) throws IOException {
        try (Safetensors.Reader r = Safetensors.open(file)) {
            Map<String, String> names = new LinkedHashMap<>(); // normalized -> name in the file
            for (String n : r.entries().keySet()) names.put(n, n);
            names = normalize(names, file);
            boolean hf = HfNames.isHuggingFace(names.keySet());
            if (hf) names.keySet().removeIf(k -> k.endsWith("embeddings.position_ids"));
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, String> e : names.entrySet()) tensors.put(e.getKey(), r.read(e.getValue()));
            } catch (IOException | RuntimeException ex) {
                tensors.values().forEach(Tensor::close);
                throw ex;
            }
            return finish(tensors, WeightFormat.SAFETENSORS, hf, file);
        }
    }

    // ---------------------------------------------------------------- names

    /** Strips DDP's "module." prefix (as open_clip does) and drops the buffers that are not weights. */
    static <T> Map<String, T> normalize(Map<String, T> in, Path file) {
        boolean strip = !in.isEmpty() && in.keySet().stream().allMatch(k -> k.startsWith("module."));
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : in.entrySet()) {
            String k = strip ? e.getKey().substring("module.".length()) : e.getKey();
            if (!IGNORED.contains(k)) out.put(k, e.getValue());
        }
        return out;
    }

    private static StateDict finish(Map<String, Tensor> tensors, WeightFormat format, boolean hf, Path file) throws IOException {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.F32 && t.dtype() != DType.I32) { // F64 (and any 16-bit) -> F32
                e.setValue(t.to(DType.F32));
                t.close();
            }
        }
        if (hf) {
            try {
                tensors = HfNames.toOpenAi(tensors, file.toString());
            } catch (BadInputException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file.toString(), null, e.getMessage().startsWith(file + ": ") ? e.getMessage().substring(file.toString().length() + 2) : e.getMessage(), e);
            }
        }
        return new StateDict(tensors, format, hf ? StateDict.Naming.HUGGING_FACE : StateDict.Naming.OPENAI, file);
    }
}
