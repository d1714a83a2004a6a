package clipcl.tools;

/** `clipcl jmh [jmh args]`: the JMH suites of the bench module (forks get the Vector API flag themselves). */
public final class JmhCommand implements Command {
    @Override
    public String name() { return "jmh"; }

    @Override
    public String summary() { return "run the JMH benchmark suites (SgemmJmh, OpsJmh) with JMH's own options"; }

    @Override
    public String usage() {
        return """
            usage: clipcl jmh [JMH options] [benchmark regex]

            Runs JMH over the bench module's suites; with no arguments lists them. Examples:
              clipcl jmh SgemmJmh -p shape=1024,qkv -p threads=1,2
              clipcl jmh OpsJmh -f 1 -wi 3 -i 5
            Every argument goes to JMH (-f forks, -wi/-i iterations, -p param=values, -prof, -rf json ...).
            """;
    }

    @Override
    public int run(String[] args) throws Exception {
        String[] pass = args.length == 0 ? new String[] {"-l"} : args;
        org.openjdk.jmh.Main.main(pass);
        return 0;
    }
}
