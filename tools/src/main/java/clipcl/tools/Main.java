package clipcl.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of the clipcl command. */
public final class Main {
    private Main() { }

    /** Every command, in the order `clipcl --help` lists them. */
    static List<Command> commands() {
        return List.of(new PicocliAdapter(StudyCommand::new), new DemoCommand(), new ContinualCommand(), new EncodeCommand(), new ZeroShotCommand(), new RetrievalCommand(), new TokenizeCommand(),
                new PreprocessCommand(), new ConvertCommand(), new BenchCommand(), new JmhCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command c : commands()) byName.put(c.name(), c);
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.println(usage(byName));
            return args.length == 0 ? 2 : 0;
        }
        Command c = byName.get(args[0]);
        if (c == null) {
            System.err.println("clipcl: unknown command '" + args[0] + "'\n\n" + usage(byName));
            return 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        for (String a : rest) {
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(c.usage());
                return 0;
            }
        }
        try {
            return c.run(rest);
        } catch (UsageException e) {
            System.err.println("clipcl " + c.name() + ": " + e.getMessage() + "\n\n" + c.usage());
            return 2;
        } catch (Exception e) {
            System.err.println("clipcl " + c.name() + ": " + e.getMessage());
            if (Boolean.getBoolean("clipcl.trace")) e.printStackTrace();
            return 1;
        }
    }

    private static String usage(Map<String, Command> byName) {
        StringBuilder sb = new StringBuilder("usage: clipcl <command> [options]\n\ncommands:\n");
        for (Command c : byName.values()) sb.append(String.format("  %-12s %s%n", c.name(), c.summary()));
        sb.append("\n`clipcl <command> --help` describes a command. -Dclipcl.trace=true (in CLIPCL_JAVA_OPTS) prints stack traces.");
        return sb.toString();
    }
}
