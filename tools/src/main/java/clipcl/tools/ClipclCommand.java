package clipcl.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * `clipcl`: the command list; every command is a subcommand, listed in this order by `clipcl --help`.
 *
 * <p>A command is a class {@code @Command(name = "...", mixinStandardHelpOptions = true, description = {"one line
 * for the command list", "", "paragraphs..."}, footer = {...})} implementing {@code Callable<Integer>} (the exit
 * code), its options {@code @Option} fields whose text is the help (defaults via {@code ${DEFAULT-VALUE}}), shared
 * groups {@code @Mixin}s ({@link ModelArgs}, {@link DeviceOption}); it is added to {@code subcommands} below and
 * throws {@link UsageException} for options that parse but conflict. {@link Main#commandLine} gives every command
 * the shared settings (width, option order, exit codes, --version).
 */
@Command(name = "clipcl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A pure-Java CLIP: train, evaluate and study continual learning.",
        subcommands = {StudyCommand.class, DemoCommand.class, ContinualCommand.class, EncodeCommand.class, ZeroShotCommand.class, RetrievalCommand.class,
            TokenizeCommand.class, PreprocessCommand.class, ConvertCommand.class, BenchCommand.class, JmhCommand.class, HelpCommand.class},
        footer = {"", "`clipcl <command> --help` describes a command. -Dclipcl.trace=true (in CLIPCL_JAVA_OPTS) prints stack traces.",
            "Exit status: 0 success, 1 failure, 2 bad command line."})
public final class ClipclCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** No command given: the command list, and the status of a bad command line. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }
}
