package clipcl.clip.weights;

import java.util.List;

/**
 * The Python values an unpickled checkpoint is made of, besides the ones with a plain Java
 * counterpart (None = null, bool = Boolean, int = Long or BigInteger, float = Double, str = String,
 * bytes = byte[], list = ArrayList, tuple = an unmodifiable List, dict = LinkedHashMap).
 */
public final class PyObjects {
    private PyObjects() { }

    /** A class or function named by GLOBAL / STACK_GLOBAL, e.g. {@code torch._utils._rebuild_tensor_v2}. */
    public record Global(String module, String name) {
        public String qualified() { return module + "." + name; }

        @Override
        public String toString() { return qualified(); }
    }

    /**
     * An instance of a class the reader does not turn into a Java value: a TorchScript module
     * ({@code __torch__.*}, built by NEWOBJ then BUILD with its attribute dict), or the result of
     * calling an unknown callable with REDUCE. {@code state} is what BUILD gave it, or null.
     */
    public static final class PyObject {
        private final Global type;
        private final List<Object> args;
        private Object state;

        PyObject(Global type, List<Object> args) {
            this.type = type;
            this.args = args;
        }

        public Global type() { return type; }

        public List<Object> args() { return args; }

        public Object state() { return state; }

        void setState(Object state) { this.state = state; }

        @Override
        public String toString() { return type + "(...)"; }
    }

    /**
     * A short text for a pickled value in an error message. Lists may contain themselves (the memo
     * allows cycles) and nest without bound, so this never recurses more than a few levels and
     * never grows past about 200 characters, unlike List.toString.
     */
    public static String describe(Object o) {
        StringBuilder b = new StringBuilder();
        describe(b, o, 0);
        return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
    }

    private static void describe(StringBuilder b, Object o, int depth) {
        if (b.length() > 200) return;
        if (o instanceof List<?> l) {
            if (depth >= 3) { b.append("(...)"); return; }
            b.append('(');
            for (int i = 0; i < l.size() && b.length() <= 200; i++) {
                if (i > 0) b.append(", ");
                describe(b, l.get(i), depth + 1);
            }
            b.append(')');
        } else if (o instanceof java.util.Map<?, ?> m) {
            b.append("{dict of ").append(m.size()).append('}');
        } else if (o instanceof String s) {
            b.append('\'').append(s.length() > 60 ? s.substring(0, 60) + "..." : s).append('\'');
        } else if (o instanceof byte[] bytes) {
            b.append("bytes[").append(bytes.length).append(']');
        } else {
            b.append(o);
        }
    }
}
