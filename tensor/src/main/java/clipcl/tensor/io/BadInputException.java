package clipcl.tensor.io;

/**
 * Input that a loader or parser refuses: a file, record or text whose content is malformed, lies
 * about its sizes, or passes one of the {@link InputLimits}. The message always starts with the
 * source (a file, or a name such as "line 3 of stdin") and, where one is known, the field, tensor or
 * record, so a user can find what to fix without a stack trace.
 *
 * <p>It is unchecked, like the IllegalArgumentException it refines, because the same parsers read
 * text that never came from a file (a JSON string, a prompt); I/O failures (a missing file, a full
 * disk) stay IOException.
 */
public class BadInputException extends IllegalArgumentException {
    private final String source;
    private final String field;
    private final String problem;

    /**
     * @param source  the file or input, never null
     * @param field   the field, tensor, record or offset inside it; null when the whole input is bad
     * @param problem what is wrong, with the limit or the expected value where there is one
     */
    public BadInputException(String source, String field, String problem) {
        super(source + ": " + (field == null ? "" : field + ": ") + problem);
        this.source = source;
        this.field = field;
        this.problem = problem;
    }

    public BadInputException(String source, String field, String problem, Throwable cause) {
        this(source, field, problem);
        initCause(cause);
    }

    public String source() { return source; }

    /** The field, tensor or record; null when the input as a whole is refused. */
    public String field() { return field; }

    public String problem() { return problem; }

    /** The same refusal reported against another source, e.g. a file instead of "JSON text". */
    public BadInputException in(String otherSource) {
        return new BadInputException(otherSource, field, problem, this);
    }
}
