package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line of clipcl: every command's flags, --help, and the exit codes 0, 1 and 2. */
class CliTest {
    /** Each command and the flags it took before its options were declared with picocli: none may be lost. */
    static final Map<String, List<String>> FLAGS = Map.ofEntries(
        Map.entry("demo", List.of("quick", "resume", "overwrite", "epochs", "data", "output-dir", "seed", "device")),
        Map.entry("continual", List.of("quick", "resume", "multi-positive", "no-mask", "method", "protocol", "update", "seeds", "objective",
            "epochs", "lr", "batch", "data", "cache", "output-dir", "config", "eval-every", "checkpoint-every", "beta", "alpha", "variant",
            "method-opts", "order", "device", "buffer", "replay-fraction")),
        Map.entry("encode", List.of("images", "truncate", "weights", "model", "model-config", "vocab", "merges", "batch", "device",
            "images-npy", "texts", "output-dir")),
        Map.entry("zeroshot", List.of("ensemble", "weights", "model", "model-config", "vocab", "merges", "batch", "device",
            "image-folder", "class-names", "fashion-mnist", "templates", "output-dir", "limit")),
        Map.entry("retrieval", List.of("weights", "model", "model-config", "vocab", "merges", "batch", "device",
            "karpathy", "image-root", "split", "folds", "output-dir", "limit")),
        Map.entry("tokenize", List.of("truncate", "bpe-only", "vocab", "merges", "context-length", "input", "output")),
        Map.entry("preprocess", List.of("size", "output-dir")),
        Map.entry("convert", List.of("weights", "output")),
        Map.entry("bench sgemm", List.of("json", "peer", "size", "shape", "threads", "seconds", "openblas", "coretype")),
        Map.entry("bench ops", List.of("json", "threads", "seconds")),
        Map.entry("bench encode", List.of("json", "model", "threads", "seconds", "profile", "ab", "ab-ops", "rounds")),
        Map.entry("bench block", List.of("backward", "causal", "json", "width", "heads", "seq", "batch", "threads", "seconds", "warmup")),
        Map.entry("bench train-step", List.of("check", "device", "model", "batch", "steps", "warmup", "matmul")),
        Map.entry("jmh", List.of()));

    /** Every command and subcommand, as the words that name it after `clipcl`. */
    static List<List<String>> commands(CommandLine cl, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            all.add(p);
            all.addAll(commands(e.getValue(), p));
        }
        return all;
    }

    private static String[] words(List<String> path, String... more) {
        List<String> all = new ArrayList<>(path);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void everyCommandKeepsItsFlags() {
        CommandLine root = Main.commandLine(new ClipclCommand());
        for (Map.Entry<String, List<String>> e : FLAGS.entrySet()) {
            CommandLine cl = root;
            for (String w : e.getKey().split(" ")) cl = cl.getSubcommands().get(w);
            assertNotNull(cl, e.getKey());
            for (String f : e.getValue()) assertNotNull(cl.getCommandSpec().findOption("--" + f), e.getKey() + " --" + f);
        }
    }

    @Test
    void helpOfEveryCommandExitsZeroAndNamesEachOption() {
        List<List<String>> all = commands(Main.commandLine(new ClipclCommand()), List.of());
        assertTrue(all.size() >= 15, all.toString());
        for (List<String> path : all) {
            for (String help : new String[] {"--help", "-h"}) {
                Cli.Result r = Cli.run(words(path, help));
                assertEquals(0, r.code(), path + " " + help + ": " + r.err());
                assertTrue(r.out().contains("Usage: clipcl " + String.join(" ", path)), r.out());
                CommandLine cl = Main.commandLine(new ClipclCommand());
                for (String w : path) cl = cl.getSubcommands().get(w);
                for (OptionSpec o : cl.getCommandSpec().options()) {
                    assertTrue(r.out().contains(o.longestName()), path + " --help does not mention " + o.longestName());
                    if (!o.usageHelp() && !o.versionHelp()) assertFalse(String.join("", o.description()).isBlank(), path + " " + o.longestName());
                }
            }
        }
        Cli.Result r = Cli.run("continual", "--help");
        assertTrue(r.out().contains("mod-x:alpha=10,rule=class") && r.out().contains("seed-<s>/ folders"), "the long text moved with the flags");
        assertTrue(Cli.run("bench", "encode", "--help").out().contains("(default 5.0)"), "a shared option with each command's default");
        assertTrue(Cli.run("bench", "sgemm", "--help").out().contains("(default 3.0)"));
        BenchEncodeCommand e = new BenchEncodeCommand();
        Main.commandLine(e).parseArgs("--seconds", "6", "--threads", "2");
        assertEquals(6.0, e.bench.seconds());
        assertEquals(2, e.bench.threads());
    }

    @Test
    void topLevelHelpListsTheCommands() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(0, r.code(), String.join(" ", args));
            for (String c : List.of("demo", "continual", "encode", "zeroshot", "retrieval", "tokenize", "preprocess", "convert", "bench", "jmh")) {
                assertTrue(r.out().contains("  " + c + " "), c + " missing from\n" + r.out());
            }
        }
        Cli.Result none = Cli.run();
        assertEquals(2, none.code());
        assertTrue(none.out().contains("continual"), none.out());
        Cli.Result helpDemo = Cli.run("help", "demo");
        assertEquals(0, helpDemo.code());
        assertTrue(helpDemo.out().contains("--overwrite"), helpDemo.out());
        Cli.Result version = Cli.run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("clipcl "), version.out());
    }

    @Test
    void unknownOptionExitsTwoWithTheUsageOnStandardError() {
        for (List<String> path : commands(Main.commandLine(new ClipclCommand()), List.of())) {
            if (path.equals(List.of("jmh"))) continue;             // every argument goes to JMH
            Cli.Result r = Cli.run(words(path, "--no-such-flag"));
            assertEquals(2, r.code(), path.toString());
            String name = "clipcl " + String.join(" ", path);
            assertTrue(r.err().startsWith(name + ": Unknown option: '--no-such-flag'"), r.err());
            assertTrue(r.err().contains("Usage: " + name), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void missingRequiredOptionsAndBadValuesExitTwo() {
        String[][] bad = {
            {"encode", "--images-npy", "x.npy"},                       // --weights and --output-dir missing
            {"tokenize", "--input", "in.jsonl", "--output", "-"},      // --vocab missing
            {"continual", "--method", "ft", "--protocol", "mst"},      // --output-dir missing
            {"preprocess", "--output-dir", "d", "a.png"},              // --size missing
            {"convert", "--weights", "w.pt"},                          // --output missing
            {"retrieval", "--weights", "w.pt", "--output-dir", "d"},   // --karpathy, --image-root missing
            {"demo", "--epochs", "many"},
            {"bench", "sgemm", "--threads", "two"},
            {"continual", "--method", "ft", "--protocol", "mst", "--lr", "fast", "--output-dir", "d"},
            {"demo", "--quick=yes"},
        };
        for (String[] args : bad) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("clipcl " + args[0]) && r.err().contains("Usage: clipcl " + args[0]), r.err());
        }
        assertTrue(Cli.run("encode", "--images-npy", "x.npy").err().contains("Missing required options: '--weights=W', '--output-dir=D'"));
    }

    @Test
    void unknownCommandExitsTwo() {
        Cli.Result r = Cli.run("no-such-command");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("clipcl: unknown command 'no-such-command'"), r.err());
        assertTrue(r.err().contains("Commands:"), r.err());
        Cli.Result b = Cli.run("bench", "gemm");
        assertEquals(2, b.code());
        assertTrue(b.err().startsWith("clipcl bench: unknown command 'gemm'") && b.err().contains("sgemm"), b.err());
        Cli.Result none = Cli.run("bench");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("which benchmark?") && none.err().contains("train-step"), none.err());
    }

    @Test
    void aCommandsUsageExceptionExitsTwoWithItsUsage() {
        Cli.Result r = Cli.run("demo", "--resume", "--overwrite");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("clipcl demo: --resume and --overwrite exclude each other"), r.err());
        assertTrue(r.err().contains("Usage: clipcl demo"), r.err());
        Cli.Result ab = Cli.run("bench", "encode", "--ab", "fast");
        assertEquals(2, ab.code());
        assertTrue(ab.err().startsWith("clipcl bench encode: --ab: unknown fusion 'fast' (attention, gelu, all)"), ab.err());
        assertEquals(2, Cli.run("bench", "encode", "--ab-ops", "--rounds", "0").code());
        Cli.Result m = Cli.run("continual", "--method", "lfw", "--protocol", "mst", "--output-dir", "x");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("clipcl continual: ") && m.err().contains("ft"), m.err());
    }

    @Test
    void aFailureExitsOneWithTheMessageAndNoStackTrace() {
        Cli.Result r = Cli.run("tokenize", "--vocab", "v.txt.gz", "--input", "/no/such/in.jsonl", "--output", "-");
        assertEquals(1, r.code());
        assertEquals("clipcl tokenize: /no/such/in.jsonl: input file not found", r.err().strip());
    }

    @Test
    void valuesTakeEveryFormTheyTookBefore() throws Exception {
        // --name=value as well as --name value; the last of a repeated option wins; '-' and negative numbers are values.
        ContinualCommand c = new ContinualCommand();
        Main.commandLine(c).parseArgs("--method=mod-x:alpha=10", "--protocol", "stream", "--seeds", "1,2,3", "--buffer", "-1",
                "--epochs", "2", "--epochs", "0.5", "--lr=1e-3", "--output-dir", "d");
        assertEquals("mod-x:alpha=10", c.method);
        assertEquals("1,2,3", c.seeds);
        assertEquals(-1, c.buffer);
        assertEquals(0.5, c.epochs);
        assertEquals(1e-3, c.lr);
        TokenizeCommand t = new TokenizeCommand();
        Main.commandLine(t).parseArgs("--vocab", "v", "--input", "-", "--output", "-", "--context-length", "5");
        assertEquals("-", t.input);
        assertEquals("-", t.output);
        assertEquals(5, t.context);
        PreprocessCommand p = new PreprocessCommand();
        Main.commandLine(p).parseArgs("--size", "-3", "--output-dir", "d", "@list.txt", "b.png");
        assertEquals(-3, p.n);
        assertEquals(List.of(java.nio.file.Path.of("@list.txt"), java.nio.file.Path.of("b.png")), p.images, "@file is a file name, not an argument file");
        EncodeCommand e = new EncodeCommand();
        Main.commandLine(e).parseArgs("--weights", "w.pt", "--images", "a.png", "b.jpg", "--output-dir", "d", "--device", "cuda:1");
        assertEquals(List.of(java.nio.file.Path.of("a.png"), java.nio.file.Path.of("b.jpg")), e.imageFiles);
        assertEquals("cuda:1", e.model.device.device);
    }

    @Test
    void sgemmShapesByTheirShortNames() {
        assertEquals(clipcl.bench.SgemmBench.clipShapes().get(1), clipcl.bench.SgemmBench.shape("qkvT"));
        assertTrue(clipcl.bench.SgemmBench.shape("qkvT").transB());
        assertEquals(96, clipcl.bench.SgemmBench.shape("attn").batch());
        assertEquals(256, clipcl.bench.SgemmBench.shape("256").k());
        Cli.Result r = Cli.run("bench", "sgemm", "--shape", "fc9");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("clipcl bench sgemm: unknown --shape 'fc9' (qkv, qkvT, fc1, fc2, fc2T, attn)"), r.err());
    }

    @Test
    void jmhGetsEveryArgumentInOrder() {
        CommandLine root = Main.commandLine(new ClipclCommand());
        CommandLine.ParseResult pr = root.parseArgs("jmh", "SgemmJmh", "-p", "shape=1024,qkv", "-f", "1", "-wi", "3", "-i", "5", "-rf", "json");
        JmhCommand j = (JmhCommand) pr.subcommand().commandSpec().userObject();
        assertEquals(List.of("SgemmJmh", "-p", "shape=1024,qkv", "-f", "1", "-wi", "3", "-i", "5", "-rf", "json"), j.jmhArgs);
    }
}
