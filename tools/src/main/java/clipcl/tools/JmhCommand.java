package clipcl.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** `clipcl jmh [jmh args]`: the JMH suites of the bench module (forks get the Vector API flag themselves). */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        customSynopsis = "clipcl jmh [-hV] [JMH options] [benchmark regex]",
        description = {"run the JMH benchmark suites (SgemmJmh, OpsJmh, FusionJmh) with JMH's own options", "",
            "Runs JMH over the bench module's suites; with no arguments lists them. Every argument other than -h/--help and "
                + "-V/--version goes to JMH (-f forks, -wi/-i iterations, -p param=values, -prof, -rf json ...).", ""},
        footer = {"", "Examples:",
            "  clipcl jmh SgemmJmh -p shape=1024,qkv -p threads=1,2",
            "  clipcl jmh OpsJmh -f 1 -wi 3 -i 5",
            "  clipcl jmh FusionJmh -p kernel=attention:image-b1"})
public final class JmhCommand implements Callable<Integer> {
    @Unmatched
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String[] pass = jmhArgs.isEmpty() ? new String[] {"-l"} : jmhArgs.toArray(String[]::new);
        org.openjdk.jmh.Main.main(pass);
        return 0;
    }
}
