package clipcl.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** Runs clipcl's command line in tests. */
final class Cli {
    private Cli() { }

    /** What `clipcl args...` printed and returned. */
    record Result(int code, String out, String err) { }

    /** The whole command line, as the launcher runs it, with its usage and error text captured. */
    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine(new ClipclCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));   // plain text whatever the environment asks
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * One command on its own arguments: a bad command line throws picocli's ParameterException, and
     * what the command throws (UsageException, IOException, ...) comes out as it is.
     */
    static int call(Callable<Integer> command, String... args) throws Exception {
        Main.commandLine(command).parseArgs(args);
        return command.call();
    }
}
