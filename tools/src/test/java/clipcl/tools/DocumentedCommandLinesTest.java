package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Every command line the documentation, the scripts and the commands' own examples show parses (it
 * is not run): placeholders filled in, the first of alternatives a|b taken, optional parts included.
 */
class DocumentedCommandLinesTest {
    static final List<String> DOCUMENTED = List.of(
        // README.md
        "demo", "demo --quick", "--help", "continual --help", "demo --help",
        "demo --quick --output-dir D --resume --device cuda",
        "continual --method ft --protocol mst --quick --output-dir D",
        "continual --method mod-x --protocol stream --quick --clip0-digits 500 --seeds 1,2,3 --output-dir D",
        "continual --method mod-x:alpha=10 --protocol ost --update io --seeds 1,2,3 --quick --resume --device test --output-dir D",
        "continual --method ft --protocol ost --objective class_ce --multi-positive --output-dir D",
        "encode --weights W --model ViT-B-32 --vocab V --images-npy X.npy --images a.png b.png --texts T.jsonl --output-dir D",
        "encode --weights W --model-config CFG --output-dir D --images-npy X.npy",
        "zeroshot --weights W --vocab V --image-folder DIR --output-dir D",
        "zeroshot --weights W --vocab V --fashion-mnist DIR --output-dir D",
        "retrieval --weights W --vocab V --karpathy dataset_coco.json --image-root DIR --folds 5 --output-dir D",
        "tokenize --vocab V --context-length 77 --truncate --bpe-only --input IN.jsonl --output OUT.jsonl",
        "preprocess --size 224 --output-dir D a.png b.jpg",
        "convert --weights IN --output OUT.safetensors",
        "bench sgemm --threads 2 --json", "bench ops --threads 2 --json", "bench block --threads 2 --json",
        "bench encode --threads 2 --json", "bench train-step --device cuda --matmul bf16 --check",
        "jmh", "jmh -f 1",
        // RELIABILITY.md
        "demo --overwrite",
        // bench/README.md
        "bench sgemm --size 1024 --threads 1", "bench sgemm --shape qkv --threads 2 --json",
        "bench sgemm --size 1024 --threads 2 --peer", "bench ops --threads 2 --json",
        // bench/RESULTS.md
        "bench block --width 768 --heads 12 --seq 50 --batch 8 --backward --threads 2 --seconds 8 --json",
        "bench block --width 768 --heads 12 --seq 50 --batch 8 --threads 2 --seconds 8 --json",
        "bench encode --threads 2 --seconds 6",
        "bench encode --profile --threads 2 --seconds 4", "bench encode --ab-ops --rounds 5 --seconds 0.5 --threads 2",
        "bench encode --ab all --rounds 3 --seconds 1 --threads 2",
        // bench/peer/compare.py
        "bench sgemm --threads 1 --seconds 2.0 --json --peer --size 256",
        "bench sgemm --threads 2 --seconds 2.0 --json --peer --shape attn --openblas /opt/openblas/libopenblas.so.0",
        "bench ops --threads 1 --seconds 2.0 --json",
        // clip-model/src/test/python/check_rn50_encode.py
        "encode --model RN50 --weights /tmp/w/rn50_state_dict.pt --images-npy /tmp/w/images.npy --output-dir /tmp/w/out",
        // cuda-kernels/README.md
        "bench train-step --device cuda --batch 128 --check --matmul tf32",
        // continual/RESULTS.md
        "continual --config grid.json --quick --output-dir D",
        "continual --method ft --protocol ost --quick --output-dir D",
        "continual --method lwf --protocol mst --quick --epochs 1 --seeds 2 --output-dir D",
        "continual --config continual/studies/paper-a.json --quick --epochs 1 --output-dir D",
        "continual --method clip-ct --protocol stream --quick --seeds 1,2,3 --output-dir D",
        "continual --method mod-x   --protocol stream --quick --seeds 1,2,3 --output-dir D",
        "continual --method mod-x:rule=class --protocol stream --quick --seeds 1 --output-dir D",
        "continual --method mod-x --buffer 1000 --protocol stream --quick --output-dir D",
        // continual/README.md
        "continual --method vr-lwf --protocol ost --coco COCO --zs-folder TIERED/test --weights ViT-B-32.pt --model ViT-B-32 --vocab bpe_simple_vocab_16e6.txt.gz --device cuda --output-dir runs/vr-lwf-ost",
        "continual --method ft --protocol mst --karpathy dataset_coco.json --coco COCO --zs-folder TIERED/test --weights ViT-B-32.pt --vocab bpe_simple_vocab_16e6.txt.gz --device cuda --output-dir runs/ft-mst",
        "continual --config continual/studies/paper-a-coco-ost.json --coco COCO --zs-folder TIERED/test --weights ViT-B-32.pt --vocab bpe_simple_vocab_16e6.txt.gz --device cuda --output-dir runs/ost",
        "continual --config continual/studies/paper-a-coco-mst.json --coco COCO --zs-folder TIERED/test --weights ViT-B-32.pt --vocab bpe_simple_vocab_16e6.txt.gz --device cuda --output-dir runs/mst",
        "continual --method mod-x --protocol stream --karpathy-stream dataset_flickr30k.json --image-root flickr30k-images --old-karpathy dataset_coco.json --old-image-root COCO --weights ViT-B-32.pt --model ViT-B-32 --vocab bpe_simple_vocab_16e6.txt.gz --device cuda --output-dir runs/mod-x",
        "continual --method clip-ct --protocol stream --karpathy-stream dataset_flickr30k.json --image-root flickr30k-images --old-karpathy dataset_coco.json --old-image-root COCO --weights ViT-B-32.pt --vocab bpe_simple_vocab_16e6.txt.gz --device cuda --output-dir runs/clip-ct",
        "continual --config continual/studies/paper-b-karpathy-stream.json --karpathy-stream dataset_flickr30k.json --image-root flickr30k-images --old-karpathy dataset_coco.json --old-image-root COCO --old-train --weights ViT-B-32.pt --vocab bpe_simple_vocab_16e6.txt.gz --device cuda --output-dir runs/paper-b",
        "continual --method clip-jt:d0=false --buffer 0 --protocol stream --karpathy-stream F --image-root D --old-karpathy F --zs-items 1000 --epochs 35 --lr 1e-6 --batch 280 --weights W --model-config CFG --vocab V --merges M --output-dir D",
        "continual --method ft --protocol ost --coco D --zs-folder D --zs-class-names F --zs-items 1000 --min-crop-side 8 --keep-crowd --prompt T --classes-per-session 10 --weights W --model-config CFG --vocab V --merges M --epochs 1 --lr 1e-6 --batch 100 --optimizer adam --schedule step:10 --weight-decay 0 --output-dir D",
        // bench/README.md, the JMH suites
        "jmh SgemmJmh -p shape=1024,qkv -p threads=1,2", "jmh OpsJmh -f 1 -wi 3 -i 5");

    private static void parses(String line) {
        try {
            Main.commandLine(new ClipclCommand()).parseArgs(line.trim().split("\\s+"));
        } catch (ParameterException e) {
            throw new AssertionError("`clipcl " + line + "` does not parse: " + e.getMessage(), e);
        }
    }

    @Test
    void everyDocumentedCommandLineParses() {
        for (String line : DOCUMENTED) parses(line);
    }

    @Test
    void theExamplesInTheCommandsHelpParse() {
        List<String> examples = new ArrayList<>();
        collect(Main.commandLine(new ClipclCommand()), examples);
        assertTrue(examples.size() >= 10, examples.toString());
        for (String e : examples) parses(e);
    }

    private static void collect(CommandLine cl, List<String> into) {
        for (String f : cl.getCommandSpec().usageMessage().footer()) {
            if (f.startsWith("  clipcl ")) into.add(f.substring("  clipcl ".length()));
        }
        for (CommandLine sub : cl.getSubcommands().values()) collect(sub, into);
    }

    @Test
    void aLineThatDoesNotParseIsCaught() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> parses("bench sgemm --size big"));
        assertTrue(e.getMessage().contains("--size"), e.getMessage());
        assertEquals(2, Cli.run("bench", "sgemm", "--size", "big").code());
    }
}
