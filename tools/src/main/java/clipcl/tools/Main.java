package clipcl.tools;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the clipcl command. Exit codes: 0 success, 2 usage error (bad option or value, or a
 * {@link UsageException} from a command; the message and the command's usage on standard error),
 * 1 failure (the message; its stack trace with -Dclipcl.trace=true).
 */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine(new ClipclCommand()).execute(args);
    }

    /**
     * The parser of a command and its subcommands as clipcl runs them: `@file` arguments are file
     * names, not argument files; an option given twice keeps its last value; usage text 100 columns
     * wide with the options in declaration order.
     */
    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setExpandAtFiles(false);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setUsageHelpWidth(100);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::failure);
        shared(cl, new VersionProvider());
        return cl;
    }

    /** What every command shares without saying it: options in declaration order, `--version`. */
    private static void shared(CommandLine cl, VersionProvider version) {
        cl.getCommandSpec().usageMessage().sortOptions(false).sortSynopsis(false);
        if (cl.getCommandSpec().versionProvider() == null) cl.getCommandSpec().versionProvider(version);
        for (CommandLine sub : cl.getSubcommands().values()) shared(sub, version);
    }

    private static int usageError(ParameterException thrown, String[] args) {
        CommandLine cl = thrown.getCommandLine();
        ParameterException e = thrown;
        // picocli checks required options before it reports unknown ones; the unknown option is the likelier slip
        if (e instanceof MissingParameterException && !cl.getUnmatchedArguments().isEmpty()) e = new UnmatchedArgumentException(cl, cl.getUnmatchedArguments());
        PrintWriter err = cl.getErr();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !cl.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": " + message);
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        cl.usage(err);
        return CommandLine.ExitCode.USAGE;
    }

    private static int failure(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        CommandSpec spec = cl.getCommandSpec();
        if (e instanceof UsageException) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.println();
            cl.usage(err);
            return CommandLine.ExitCode.USAGE;
        }
        err.println(spec.qualifiedName() + ": " + e.getMessage());
        if (Boolean.getBoolean("clipcl.trace")) e.printStackTrace(err);
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }
}
