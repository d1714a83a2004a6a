package clipcl.bench;

/**
 * Runs the JMH benchmarks of this module: {@code JmhMain [jmh options] [regex]}, e.g.
 * {@code SgemmJmh -p shape=1024 -p threads=1}. With no arguments, lists the benchmarks (a full run
 * takes a long time). Forks inherit the incubator-module flag from each benchmark's {@code @Fork}.
 */
public final class JmhMain {
    private JmhMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println("usage: JmhMain [jmh options] [benchmark regex]   (-h for JMH's options)");
            System.out.println("e.g.   JmhMain SgemmJmh -p shape=1024,qkv -p threads=1,2");
            args = new String[] {"-l"};
        }
        org.openjdk.jmh.Main.main(args);
    }
}
