package clipcl.clip.weights;

import clipcl.tensor.io.BadInputException;
import clipcl.clip.weights.PyObjects.PyObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the tensors of a TorchScript archive as {@code module.state_dict()} would. The archive's
 * data.pkl is a tree of {@code __torch__.*} objects, each with a dict of attributes: parameters,
 * buffers, submodules and plain attributes. Which tensor attributes are parameters or buffers is
 * declared in the class source under {@code code/} ({@code __parameters__ = [...]},
 * {@code __buffers__ = [...]}); a module whose class is not found there contributes all its
 * tensor attributes. As in {@code state_dict()}, a module's own tensors come before its children's.
 */
final class TorchScriptModules {
    private static final Pattern CLASS = Pattern.compile("^class\\s+(\\w+)\\s*\\(\\s*Module\\s*\\)\\s*:", Pattern.MULTILINE);
    private static final Pattern LIST = Pattern.compile("^\\s+(__parameters__|__buffers__)\\s*=\\s*\\[([^\\]]*)\\]", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("\"([^\"]*)\"|'([^']*)'");
    private static final long MAX_CODE_BYTES = 64L << 20;

    private TorchScriptModules() { }

    /** True when an unpickled data.pkl root is a TorchScript module object. */
    static boolean isModule(Object o) {
        return o instanceof PyObject p && p.type().module().startsWith("__torch__") && p.state() instanceof Map<?, ?>;
    }

    /** The state dict's names and tensors, from the root module object of data.pkl. */
    static Map<String, TensorRef> stateDict(TorchArchive archive, Object root) throws IOException {
        Map<String, Set<String>> decls = declarations(archive);
        Map<String, TensorRef> out = new LinkedHashMap<>();
        walk((PyObject) root, "", decls, out, 0, archive);
        return out;
    }

    private static void walk(PyObject m, String prefix, Map<String, Set<String>> decls, Map<String, TensorRef> out, int depth, TorchArchive archive) throws IOException {
        if (depth > 100) throw new BadInputException(archive.file().toString(), null, "TorchScript modules nested more than 100 deep at '" + prefix + "'");
        Map<?, ?> attrs = (Map<?, ?>) m.state();
        Set<String> declared = decls.get(m.type().qualified());
        List<Map.Entry<?, ?>> children = new ArrayList<>();
        for (Map.Entry<?, ?> e : attrs.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() instanceof TensorRef t) {
                if (declared == null || declared.contains(name)) out.put(prefix + name, t);
            } else if (isModule(e.getValue())) {
                children.add(e);
            }
        }
        for (Map.Entry<?, ?> e : children) walk((PyObject) e.getValue(), prefix + e.getKey() + ".", decls, out, depth + 1, archive);
    }

    /**
     * Qualified class name -> its declared parameters and buffers, from every class source under
     * code/ (the record code/__torch__/a/b.py holds the classes of module __torch__.a.b).
     */
    static Map<String, Set<String>> declarations(TorchArchive archive) throws IOException {
        Map<String, Set<String>> out = new HashMap<>();
        for (String rec : archive.recordsUnder("code/")) {
            if (!rec.endsWith(".py")) continue;
            String module = rec.substring("code/".length(), rec.length() - ".py".length()).replace('/', '.');
            String src = new String(archive.readRecord(rec, MAX_CODE_BYTES), StandardCharsets.UTF_8);
            parseClasses(module, src, out);
        }
        return out;
    }

    static void parseClasses(String module, String src, Map<String, Set<String>> out) {
        Matcher c = CLASS.matcher(src);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (c.find()) {
            spans.add(new int[] {c.end(), src.length()});
            if (spans.size() > 1) spans.get(spans.size() - 2)[1] = c.start();
            names.add(c.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            String body = src.substring(spans.get(i)[0], spans.get(i)[1]);
            Matcher l = LIST.matcher(body);
            Set<String> declared = new LinkedHashSet<>();
            boolean any = false;
            while (l.find()) {
                any = true;
                Matcher n = NAME.matcher(l.group(2));
                while (n.find()) declared.add(n.group(1) != null ? n.group(1) : n.group(2));
            }
            if (any) out.put(module + "." + names.get(i), declared);
        }
    }
}
