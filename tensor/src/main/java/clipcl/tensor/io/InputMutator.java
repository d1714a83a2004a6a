package clipcl.tensor.io;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Turns a valid input into a hostile one for fuzzing the loaders: bit flips, boundary integers
 * written over fields, inserted, deleted, repeated and spliced byte ranges, truncation. Deterministic
 * for a given seed, so a failing case is reproduced from the seed alone.
 */
public final class InputMutator {
    private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, Integer.MAX_VALUE, Integer.MIN_VALUE,
        0xffffffffL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, 100_000_000, 2147483640};
    private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ",", ":", "-1", "1e999", "99999999999", "4294967328", "NaN",
        "\\ud800", "\\u12", "null", "true", "0.5", "[[[[[[[[", "\"..\"", "\"/etc\"", "\u0000", "\n"};

    private InputMutator() { }

    /** A mutant of one of the seeds; the seeds are not modified. */
    public static byte[] mutate(List<byte[]> seeds, long seed) {
        Random r = new Random(seed);
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int rounds = 1 + r.nextInt(r.nextInt(8) + 1);
        for (int k = 0; k < rounds; k++) b = once(b, seeds, r);
        return b;
    }

    private static byte[] once(byte[] b, List<byte[]> seeds, Random r) {
        int n = b.length;
        switch (r.nextInt(9)) {
            case 0 -> { // flip a bit
                if (n > 0) b[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> { // a boundary integer over 1, 2, 4 or 8 bytes, either byte order
                int w = 1 << r.nextInt(4);
                if (n >= w) {
                    long v = INTERESTING[r.nextInt(INTERESTING.length)];
                    int at = r.nextInt(n - w + 1);
                    boolean little = r.nextBoolean();
                    for (int i = 0; i < w; i++) b[at + (little ? i : w - 1 - i)] = (byte) (v >>> (8 * i));
                }
            }
            case 2 -> { // delete a range
                if (n > 0) {
                    int at = r.nextInt(n), len = 1 + r.nextInt(Math.min(n - at, 64));
                    byte[] o = new byte[n - len];
                    System.arraycopy(b, 0, o, 0, at);
                    System.arraycopy(b, at + len, o, at, n - at - len);
                    b = o;
                }
            }
            case 3 -> { // repeat a range
                if (n > 0 && n < 1 << 20) {
                    int at = r.nextInt(n), len = 1 + r.nextInt(Math.min(n - at, 64)), times = 1 + r.nextInt(r.nextBoolean() ? 4 : 512);
                    byte[] o = new byte[n + len * times];
                    System.arraycopy(b, 0, o, 0, at + len);
                    for (int t = 1; t <= times; t++) System.arraycopy(b, at, o, at + len * t, len);
                    System.arraycopy(b, at + len, o, at + len * (times + 1), n - at - len);
                    b = o;
                }
            }
            case 4 -> { // truncate
                if (n > 0) b = Arrays.copyOf(b, r.nextInt(n));
            }
            case 5 -> { // insert a token that parsers treat specially
                byte[] t = TOKENS[r.nextInt(TOKENS.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                b = insert(b, r.nextInt(n + 1), t);
            }
            case 6 -> { // splice in a piece of another seed
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                if (other.length > 0) {
                    int from = r.nextInt(other.length), len = 1 + r.nextInt(Math.min(other.length - from, 256));
                    b = insert(b, r.nextInt(n + 1), Arrays.copyOfRange(other, from, from + len));
                }
            }
            case 7 -> { // a random byte
                if (n > 0) b[r.nextInt(n)] = (byte) r.nextInt(256);
            }
            default -> { // change a decimal digit (sizes, offsets, shapes in text headers)
                for (int tries = 0; tries < 16 && n > 0; tries++) {
                    int at = r.nextInt(n);
                    if (b[at] >= '0' && b[at] <= '9') {
                        b[at] = (byte) ('0' + r.nextInt(10));
                        if (r.nextInt(4) == 0) b = insert(b, at, new byte[] {(byte) ('0' + r.nextInt(10))});
                        break;
                    }
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] t) {
        byte[] o = new byte[b.length + t.length];
        System.arraycopy(b, 0, o, 0, at);
        System.arraycopy(t, 0, o, at, t.length);
        System.arraycopy(b, at, o, at + t.length, b.length - at);
        return o;
    }
}
