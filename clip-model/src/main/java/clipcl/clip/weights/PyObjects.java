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
}
