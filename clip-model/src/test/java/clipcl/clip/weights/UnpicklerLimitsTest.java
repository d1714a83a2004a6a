package clipcl.clip.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Pickles built to exhaust the stack, the heap or a hashCode: each ends in a typed refusal. */
class UnpicklerLimitsTest {
    private static final byte PROTO = (byte) 0x80, STOP = '.', NONE = 'N', EMPTY_DICT = '}', EMPTY_LIST = ']', EMPTY_TUPLE = ')',
            TUPLE1 = (byte) 0x85, MEMOIZE = (byte) 0x94, BINGET = 'h', APPEND = 'a', BININT1 = 'K', SETITEM = 's', BINPERSID = 'Q';

    private static BadInputException refused(byte[] pickle) {
        return assertThrows(BadInputException.class, () -> Unpickler.load(pickle, "x.pkl", new TorchArchive.TorchHooks("x.pkl")));
    }

    private static byte[] repeat(byte[] head, byte op, int times, byte[] tail) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(head);
        for (int i = 0; i < times; i++) o.write(op);
        o.writeBytes(tail);
        return o.toByteArray();
    }

    @Test
    void stackAtAndPastTheObjectLimit() {
        int lim = InputLimits.PICKLE_MAX_OBJECTS;
        // At the limit: the values fit and the pickle is refused only for not ending with one value.
        BadInputException at = refused(repeat(new byte[] {PROTO, 2}, NONE, lim, new byte[] {STOP}));
        assertTrue(at.getMessage().contains("STOP with " + lim + " values"), at.getMessage());
        BadInputException past = refused(repeat(new byte[] {PROTO, 2}, NONE, lim + 1, new byte[] {STOP}));
        assertTrue(past.getMessage().contains("more than " + lim), past.getMessage());
    }

    @Test
    void aListKeyThatContainsItselfIsRefusedNotHashed() {
        BadInputException e = refused(new byte[] {PROTO, 2, EMPTY_DICT, EMPTY_LIST, MEMOIZE, BINGET, 0, APPEND, BININT1, 1, SETITEM, STOP});
        assertTrue(e.getMessage().contains("unhashable"), e.getMessage());
    }

    @Test
    void aTupleKeyNestedDeepIsRefused() {
        byte[] p = repeat(new byte[] {PROTO, 2, EMPTY_DICT, EMPTY_TUPLE}, TUPLE1, 200_000, new byte[] {BININT1, 1, SETITEM, STOP});
        assertTrue(refused(p).getMessage().contains("too deeply nested"));
    }

    @Test
    void aCyclicPersistentIdIsDescribedWithoutRecursion() {
        BadInputException e = refused(new byte[] {PROTO, 2, EMPTY_LIST, MEMOIZE, BINGET, 0, APPEND, BINPERSID, STOP});
        assertTrue(e.getMessage().contains("unexpected persistent id"), e.getMessage());
    }
}
