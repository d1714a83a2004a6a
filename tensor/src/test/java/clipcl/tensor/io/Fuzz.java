package clipcl.tensor.io;

/** The one assertion of every fuzz target: only the typed refusal may escape. */
final class Fuzz {
    private Fuzz() { }

    static void expectOnlyBadInput(long seed, Runnable target) {
        try {
            target.run();
        } catch (BadInputException expected) {
            if (expected.getMessage() == null || expected.source() == null) throw new AssertionError("refusal without a source, seed " + seed, expected);
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + ": " + t.getClass().getName() + " escaped: " + t.getMessage(), t);
        }
    }
}
