package clipcl.tools;

/** One `clipcl <name>` sub-command. */
public interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage text printed by --help. */
    String usage();

    /** Runs with the arguments after the command name; returns the process exit code. */
    int run(String[] args) throws Exception;
}
