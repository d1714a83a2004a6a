package clipcl.tools;

/** Bad command-line arguments: reported with the command's usage, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }
}
