package clipcl.clip.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.weights.PyObjects.Global;
import clipcl.clip.weights.PyObjects.PyObject;
import clipcl.tensor.io.BadInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pickles written by CPython's pickle module (bytes pasted below), read back to the values they hold. */
class UnpicklerTest {
    private static final Unpickler.Hooks PLAIN = new Unpickler.Hooks() {
        @Override
        public Object persistentLoad(Object pid) { return List.of("loaded", pid); }

        @Override
        public Object reduce(Global fn, List<Object> args) { return new PyObject(fn, args); }
    };

    private static Object load(String hex) throws IOException {
        return Unpickler.load(HexFormat.of().parseHex(hex), "test.pkl", PLAIN);
    }

    /** {'a': [1, -2, 3.5, None, True, False, 'é', (1, 2), 2**70, -300, 70000, (), (5,), (1, 2, 3), b'xy']}. */
    private static void checkSample(Object o, boolean bytesAsObject) {
        Map<?, ?> m = assertInstanceOf(Map.class, o);
        List<?> a = assertInstanceOf(List.class, m.get("a"));
        assertEquals(15, a.size());
        assertEquals(1L, a.get(0));
        assertEquals(-2L, a.get(1));
        assertEquals(3.5, a.get(2));
        assertNull(a.get(3));
        assertEquals(true, a.get(4));
        assertEquals(false, a.get(5));
        assertEquals("é", a.get(6));
        assertEquals(List.of(1L, 2L), a.get(7));
        assertEquals(BigInteger.TWO.pow(70), a.get(8));
        assertEquals(-300L, a.get(9));
        assertEquals(70000L, a.get(10));
        assertEquals(List.of(), a.get(11));
        assertEquals(List.of(5L), a.get(12));
        assertEquals(List.of(1L, 2L, 3L), a.get(13));
        if (bytesAsObject) {
            // Protocol 2 has no bytes opcode: CPython writes _codecs.encode('xy', 'latin1').
            PyObject p = assertInstanceOf(PyObject.class, a.get(14));
            assertEquals("_codecs.encode", p.type().qualified());
            assertEquals(List.of("xy", "latin1"), p.args());
        } else {
            assertArrayEquals(new byte[] {'x', 'y'}, (byte[]) a.get(14));
        }
    }

    @Test
    void protocol4WithFramesMemoizeAndShortUnicode() throws IOException {
        checkSample(load("80049551000000000000007d948c0161945d94284b014afeffffff47400c0000000000004e88898c02c3a9944b014b0286948a090000000000000000404ad4feffff4a70110100294b0585944b014b024b038794430278799465732e"), false);
    }

    @Test
    void protocol2WithBinputAndReduce() throws IOException {
        checkSample(load("80027d710058010000006171015d7102284b014afeffffff47400c0000000000004e88895802000000c3a971034b014b028671048a090000000000000000404ad4feffff4a70110100294b058571054b014b024b03877106635f636f646563730a656e636f64650a710758020000007879710858060000006c6174696e31710986710a52710b65732e"), true);
    }

    @Test
    void memoSharesObjectsAndPersistentIdsGoToTheHooks() throws IOException {
        // x = []; pickle of (x, x, persistent('id')) written by hand: MARK ] q0 h0 ( X'id' t Q t .
        Object o = load("8002285d7100680028580200000069647451742e");
        List<?> t = assertInstanceOf(List.class, o);
        assertTrue(t.get(0) == t.get(1), "BINGET returns the memoized object itself");
        assertEquals(List.of("loaded", List.of("id")), t.get(2));
    }

    @Test
    void errorsNameTheSourceAndTheProblem() {
        BadInputException e = assertThrows(BadInputException.class, () -> load("80024c310a2e"));
        assertTrue(e.getMessage().startsWith("test.pkl: unsupported pickle opcode 0x4c (LONG) at byte 2"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> load("80025802000000"));
        assertTrue(e.getMessage().contains("test.pkl: truncated pickle"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> load("80024b01"));
        assertTrue(e.getMessage().contains("no STOP"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> load("8002680571"));
        assertTrue(e.getMessage().contains("memo key 5"), e.getMessage());
    }
}
