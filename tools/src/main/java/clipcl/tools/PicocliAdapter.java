package clipcl.tools;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Runs a picocli command ({@code @Command} class implementing {@code Callable<Integer>}) as one of
 * {@link Main}'s commands: usage text from its annotations, exit code 2 for bad arguments (picocli's
 * parse errors and {@link UsageException}), 1 for a failure, else what the command returns.
 */
final class PicocliAdapter implements Command {
    private final Supplier<? extends Callable<Integer>> factory;
    private final CommandLine.Command spec;

    PicocliAdapter(Supplier<? extends Callable<Integer>> factory) {
        this.factory = factory;
        Callable<Integer> probe = factory.get();
        spec = probe.getClass().getAnnotation(CommandLine.Command.class);
        if (spec == null) throw new IllegalArgumentException(probe.getClass() + " has no @Command annotation");
    }

    @Override
    public String name() { return spec.name(); }

    @Override
    public String summary() { return spec.description().length == 0 ? "" : spec.description()[0]; }

    @Override
    public String usage() { return commandLine().getUsageMessage(); }

    @Override
    public int run(String[] args) {
        return commandLine().execute(args);
    }

    private CommandLine commandLine() {
        CommandLine cl = new CommandLine(factory.get());
        cl.setCommandName("clipcl " + spec.name());
        cl.getCommandSpec().usageMessage().synopsisHeading("usage: ");   // as every other command's usage begins
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UsageException) {
                line.getErr().println("clipcl " + spec.name() + ": " + e.getMessage() + "\n");
                line.usage(line.getErr());
                return 2;
            }
            line.getErr().println("clipcl " + spec.name() + ": " + e.getMessage());
            if (Boolean.getBoolean("clipcl.trace")) e.printStackTrace(line.getErr());
            return 1;
        });
        return cl;
    }
}
