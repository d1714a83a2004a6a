package clipcl.clip.weights;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import clipcl.clip.weights.PyObjects.Global;
import clipcl.clip.weights.PyObjects.PyObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the subset of Python's pickle format (protocols 2 to 4) that PyTorch checkpoints and
 * TorchScript archives use. It never runs code: GLOBAL yields a {@link Global} name, REDUCE and
 * NEWOBJ hand it to a {@link Hooks} implementation, and BINPERSID asks the hooks for the external
 * object (a tensor storage). Any other opcode is an error naming it.
 */
public final class Unpickler {
    /** What to do with the calls and references a pickle makes. */
    public interface Hooks {
        /** BINPERSID: the object a persistent id (here a tuple) stands for. */
        Object persistentLoad(Object pid) throws IOException;

        /** REDUCE: the result of calling {@code fn(*args)}. */
        Object reduce(Global fn, List<Object> args) throws IOException;
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() { return "MARK"; }
    };

    private final byte[] data;
    private final String source;
    private final Hooks hooks;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(byte[] data, String source, Hooks hooks) {
        this.data = data;
        this.source = source;
        this.hooks = hooks;
    }

    /**
     * @param source names the file (and archive entry) in error messages
     */
    public static Object load(byte[] data, String source, Hooks hooks) throws IOException {
        return new Unpickler(data, source, hooks).run();
    }

    private Object run() throws IOException {
        while (true) {
            if (pos >= data.length) throw error("truncated pickle: no STOP opcode before the end of " + data.length + " bytes");
            int at = pos;
            int op = data[pos++] & 0xff;
            if (stack.size() > InputLimits.PICKLE_MAX_OBJECTS || memo.size() > InputLimits.PICKLE_MAX_OBJECTS) {
                throw error("more than " + InputLimits.PICKLE_MAX_OBJECTS + " values on the stack or in the memo at byte " + at + " (the limit for a checkpoint pickle)");
            }
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) throw error("pickle protocol " + proto + " is newer than 5");
                }
                case 0x95 -> bytes(8) /* FRAME: a length hint only */;
                case 0x2e -> { // STOP
                    if (stack.size() != 1) throw error("STOP with " + stack.size() + " values on the stack");
                    return stack.get(0);
                }
                case 0x28 -> { marks.add(stack.size()); stack.add(MARK); } // MARK
                case 0x30 -> pop(); // POP
                case 0x31 -> popMark(); // POP_MARK
                case 0x4e -> stack.add(null); // NONE
                case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
                case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
                case 0x4b -> stack.add((long) u8()); // BININT1
                case 0x4d -> stack.add((long) (u8() | (u8() << 8))); // BININT2
                case 0x4a -> stack.add((long) s32()); // BININT
                case 0x8a -> stack.add(long1(u8())); // LONG1
                case 0x47 -> stack.add(Double.longBitsToDouble(be64())); // BINFLOAT
                case 0x58 -> stack.add(utf8(u32())); // BINUNICODE
                case 0x8c -> stack.add(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> stack.add(utf8(u64())); // BINUNICODE8
                case 0x43 -> stack.add(bytes(u8())); // SHORT_BINBYTES
                case 0x42 -> stack.add(bytes(u32())); // BINBYTES
                case 0x7d -> stack.add(new LinkedHashMap<>()); // EMPTY_DICT
                case 0x5d -> stack.add(new ArrayList<>()); // EMPTY_LIST
                case 0x29 -> stack.add(tuple()); // EMPTY_TUPLE
                case 0x85 -> stack.add(tuple(pop())); // TUPLE1
                case 0x86 -> { Object b = pop(), a = pop(); stack.add(tuple(a, b)); } // TUPLE2
                case 0x87 -> { Object c = pop(), b = pop(), a = pop(); stack.add(tuple(a, b, c)); } // TUPLE3
                case 0x74 -> stack.add(tuple(popMark().toArray())); // TUPLE
                case 0x6c -> stack.add(new ArrayList<>(popMark())); // LIST
                case 0x64 -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, items, at);
                    stack.add(d);
                }
                case 0x73 -> { // SETITEM
                    Object v = pop(), k = pop();
                    asMap(peek(), "SETITEM", at).put(key(k, at), v);
                }
                case 0x75 -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(asMap(peek(), "SETITEMS", at), items, at);
                }
                case 0x61 -> { // APPEND
                    Object v = pop();
                    asList(peek(), "APPEND", at).add(v);
                }
                case 0x65 -> { // APPENDS
                    List<Object> items = popMark();
                    asList(peek(), "APPENDS", at).addAll(items);
                }
                case 0x71 -> memo.put((long) u8(), peek()); // BINPUT
                case 0x72 -> memo.put(u32(), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 0x68 -> stack.add(memoGet(u8(), at)); // BINGET
                case 0x6a -> stack.add(memoGet(u32(), at)); // LONG_BINGET
                case 0x63 -> stack.add(new Global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw error("STACK_GLOBAL at byte " + at + " needs two strings");
                    stack.add(new Global(m, n));
                }
                case 0x52 -> { // REDUCE
                    Object args = pop(), fn = pop();
                    stack.add(hooks.reduce(asGlobal(fn, "REDUCE", at), asTuple(args, "REDUCE", at)));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop(), cls = pop();
                    Global g = asGlobal(cls, "NEWOBJ", at);
                    List<Object> a = asTuple(args, "NEWOBJ", at);
                    stack.add(g.qualified().equals("collections.OrderedDict") ? new LinkedHashMap<>() : new PyObject(g, a));
                }
                case 0x62 -> { // BUILD
                    Object state = pop();
                    Object target = peek();
                    if (target instanceof PyObject o) {
                        o.setState(state);
                    } else if (!(target instanceof Map<?, ?>) && !(target instanceof TensorRef)) {
                        // OrderedDict state dicts carry a _metadata attribute and tensors may carry
                        // Python attributes: neither matters for the weights.
                        throw error("BUILD at byte " + at + " on a " + typeName(target));
                    }
                }
                case 0x51 -> stack.add(hooks.persistentLoad(pop())); // BINPERSID
                default -> throw error(String.format("unsupported pickle opcode 0x%02x (%s) at byte %d", op, opcodeName(op), at));
            }
        }
    }

    // ---------------------------------------------------------------- stack

    private Object pop() throws IOException {
        if (stack.isEmpty()) throw error("pickle stack underflow at byte " + (pos - 1));
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) throw error("unexpected MARK on the pickle stack at byte " + (pos - 1));
        return o;
    }

    private Object peek() throws IOException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw error("pickle stack underflow at byte " + (pos - 1));
        return stack.get(stack.size() - 1);
    }

    /** The values above the topmost MARK, removed from the stack together with the mark. */
    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) throw error("no MARK on the pickle stack at byte " + (pos - 1));
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key, int at) throws IOException {
        if (!memo.containsKey(key)) throw error("memo key " + key + " read before it was written (byte " + at + ")");
        return memo.get(key);
    }

    private static List<Object> tuple(Object... items) { return Collections.unmodifiableList(Arrays.asList(items)); }

    private void putPairs(Map<Object, Object> d, List<Object> items, int at) throws IOException {
        if (items.size() % 2 != 0) throw error("odd number of dict items at byte " + at);
        for (int i = 0; i < items.size(); i += 2) d.put(key(items.get(i), at), items.get(i + 1));
    }

    /**
     * A dict key must be hashable as in Python: no list, dict or bytearray, and tuples nested only a
     * few levels (a tuple nested a million deep would overflow the stack in hashCode).
     */
    private Object key(Object k, int at) throws IOException {
        if (!hashable(k, 0)) throw error("unhashable or too deeply nested dict key (" + PyObjects.describe(k) + ") at byte " + at);
        return k;
    }

    private static boolean hashable(Object k, int depth) {
        if (k == null || k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean || k instanceof BigInteger || k instanceof Global) return true;
        if (k instanceof ArrayList<?> || !(k instanceof List<?> t) || depth >= 16) return false;
        for (Object o : t) if (!hashable(o, depth + 1)) return false;
        return true;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o, String op, int at) throws IOException {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw error(op + " at byte " + at + " on a " + typeName(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, String op, int at) throws IOException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw error(op + " at byte " + at + " on a " + typeName(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asTuple(Object o, String op, int at) throws IOException {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw error(op + " at byte " + at + " with arguments of type " + typeName(o) + ", not a tuple");
    }

    private Global asGlobal(Object o, String op, int at) throws IOException {
        if (o instanceof Global g) return g;
        throw error(op + " at byte " + at + " calls a " + typeName(o) + ", not a global");
    }

    static String typeName(Object o) { return o == null ? "None" : o instanceof PyObject p ? p.type().qualified() : o.getClass().getSimpleName(); }

    // ---------------------------------------------------------------- bytes

    private void need(long n) throws IOException {
        if (n < 0 || pos + n > data.length) throw error("truncated pickle: needs " + n + " bytes at byte " + pos + " of " + data.length);
    }

    private int u8() throws IOException {
        need(1);
        return data[pos++] & 0xff;
    }

    private int s32() throws IOException {
        need(4);
        int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16 | (data[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    private long u32() throws IOException { return s32() & 0xffffffffL; }

    private long u64() throws IOException {
        long lo = u32(), hi = u32();
        return lo | hi << 32;
    }

    private long be64() throws IOException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (data[pos++] & 0xff);
        return v;
    }

    private byte[] bytes(long n) throws IOException {
        need(n);
        byte[] b = Arrays.copyOfRange(data, pos, pos + (int) n);
        pos += (int) n;
        return b;
    }

    private String utf8(long n) throws IOException { return new String(bytes(n), StandardCharsets.UTF_8); }

    private String line() throws IOException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') pos++;
        if (pos >= data.length) throw error("truncated pickle: unterminated GLOBAL name at byte " + start);
        return new String(data, start, pos++ - start, StandardCharsets.UTF_8);
    }

    /** LONG1: a little-endian two's-complement integer of n bytes. */
    private Object long1(int n) throws IOException {
        byte[] le = bytes(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private BadInputException error(String msg) { return new BadInputException(source, null, msg); }

    /** Every opcode's name, so an unsupported one can be reported by name. */
    static String opcodeName(int op) {
        return switch (op) {
            case 0x28 -> "MARK"; case 0x2e -> "STOP"; case 0x30 -> "POP"; case 0x31 -> "POP_MARK"; case 0x32 -> "DUP";
            case 0x46 -> "FLOAT"; case 0x49 -> "INT"; case 0x4a -> "BININT"; case 0x4b -> "BININT1"; case 0x4c -> "LONG";
            case 0x4d -> "BININT2"; case 0x4e -> "NONE"; case 0x50 -> "PERSID"; case 0x51 -> "BINPERSID"; case 0x52 -> "REDUCE";
            case 0x53 -> "STRING"; case 0x54 -> "BINSTRING"; case 0x55 -> "SHORT_BINSTRING"; case 0x56 -> "UNICODE";
            case 0x58 -> "BINUNICODE"; case 0x61 -> "APPEND"; case 0x62 -> "BUILD"; case 0x63 -> "GLOBAL"; case 0x64 -> "DICT";
            case 0x7d -> "EMPTY_DICT"; case 0x65 -> "APPENDS"; case 0x67 -> "GET"; case 0x68 -> "BINGET"; case 0x69 -> "INST";
            case 0x6a -> "LONG_BINGET"; case 0x6c -> "LIST"; case 0x5d -> "EMPTY_LIST"; case 0x6f -> "OBJ"; case 0x70 -> "PUT";
            case 0x71 -> "BINPUT"; case 0x72 -> "LONG_BINPUT"; case 0x73 -> "SETITEM"; case 0x74 -> "TUPLE";
            case 0x29 -> "EMPTY_TUPLE"; case 0x75 -> "SETITEMS"; case 0x47 -> "BINFLOAT"; case 0x80 -> "PROTO";
            case 0x81 -> "NEWOBJ"; case 0x82 -> "EXT1"; case 0x83 -> "EXT2"; case 0x84 -> "EXT4"; case 0x85 -> "TUPLE1";
            case 0x86 -> "TUPLE2"; case 0x87 -> "TUPLE3"; case 0x88 -> "NEWTRUE"; case 0x89 -> "NEWFALSE"; case 0x8a -> "LONG1";
            case 0x8b -> "LONG4"; case 0x42 -> "BINBYTES"; case 0x43 -> "SHORT_BINBYTES"; case 0x8c -> "SHORT_BINUNICODE";
            case 0x8d -> "BINUNICODE8"; case 0x8e -> "BINBYTES8"; case 0x8f -> "EMPTY_SET"; case 0x90 -> "ADDITEMS";
            case 0x91 -> "FROZENSET"; case 0x92 -> "NEWOBJ_EX"; case 0x93 -> "STACK_GLOBAL"; case 0x94 -> "MEMOIZE";
            case 0x95 -> "FRAME"; case 0x96 -> "BYTEARRAY8"; case 0x97 -> "NEXT_BUFFER"; case 0x98 -> "READONLY_BUFFER";
            default -> "not a pickle opcode";
        };
    }
}
