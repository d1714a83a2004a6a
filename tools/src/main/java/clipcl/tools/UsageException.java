package clipcl.tools;

/**
 * Arguments that parse but do not make sense together (conflicting options, a bad method name):
 * thrown by a command, reported with its usage, exit code 2.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }
}
