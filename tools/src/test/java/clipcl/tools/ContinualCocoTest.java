package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.TextConfig;
import clipcl.clip.config.VisionConfig;
import clipcl.clip.model.Clip;
import clipcl.tensor.io.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `clipcl continual --coco`, end to end on a generated COCO-format folder: PNG images with coloured
 * rectangles as objects, instances_train/val JSON with their boxes, an ImageFolder zero-shot set, a
 * byte-level BPE vocabulary and a tiny random CLIP saved as safetensors, run under OST and MST
 * through the command line.
 */
class ContinualCocoTest {
    /** COCO category ids (not contiguous, not in name order) and their colours. */
    static final long[] CAT_IDS = {1, 2, 3, 5};
    static final String[] CAT_NAMES = {"red square", "green bar", "blue box", "white disc"};
    static final int[] COLOURS = {0xd02020, 0x20b020, 0x2030d0, 0xf0f0f0};
    static final int TRAIN_IMAGES = 8, VAL_IMAGES = 3;

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() throws IOException {
        writeSplit("train2017", TRAIN_IMAGES, 1);
        writeSplit("val2017", VAL_IMAGES, 100);
        for (String[] c : new String[][] {{"sky", "3050e0"}, {"grass", "30c040"}}) {
            for (int i = 0; i < 3; i++) {
                BufferedImage im = new BufferedImage(20 + i, 24, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < im.getHeight(); y++) for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, Integer.parseInt(c[1], 16) + 4 * ((x + y + i) % 8));
                write(im, dir.resolve("zs").resolve(c[0]).resolve(i + ".png"));
            }
        }
        // Karpathy's split file: the first two val images are its test split
        List<Object> karpathy = new ArrayList<>();
        for (int i = 0; i < VAL_IMAGES; i++) {
            karpathy.add(Map.of("filepath", "val2017", "filename", String.format("%012d.png", 100 * 100 + i), "split", i < 2 ? "test" : "val",
                    "sentences", List.of(Map.of("raw", "shapes on grey " + i + "."), Map.of("raw", "four shapes, picture " + i + "."))));
        }
        Files.writeString(dir.resolve("dataset_coco.json"), Json.write(Map.of("images", karpathy)));
        writeTinyClip(dir);
    }

    /** In folder: vocab.txt (a byte-level BPE vocabulary), tiny.json and tiny.safetensors (a tiny random CLIP that uses it). */
    static void writeTinyClip(Path folder) throws IOException {
        // OpenAI's vocabulary format (a header line, then merges): the byte-level alphabet, two merges, SOT and EOT
        Files.writeString(folder.resolve("vocab.txt"), "#version: 0.2\nt h\ni s</w>\n");
        int vocab = 512 + 2 + 2;
        ClipConfig cfg = new ClipConfig(16, true, new VisionConfig(28, 1, 32, 14, 32), new TextConfig(77, vocab, 32, 1, 1));
        Files.writeString(folder.resolve("tiny.json"), cfg.toJson());
        Checkpoint.saveWeights(folder.resolve("tiny.safetensors"), Clip.create(cfg, 5));
    }

    /**
     * images 48x40 on grey, one object of each category in its own quadrant (the box exactly the
     * rectangle), a 2x2 speck of category 1 (skipped below 4 px) and a crowd box (skipped).
     */
    static void writeSplit(String split, int images, long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        List<Object> imgs = new ArrayList<>(), anns = new ArrayList<>(), cats = new ArrayList<>();
        long annId = seed * 1000;
        for (int i = 0; i < images; i++) {
            BufferedImage im = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 40; y++) for (int x = 0; x < 48; x++) im.setRGB(x, y, 0x808080);
            long imageId = seed * 100 + i;
            for (int c = 0; c < 4; c++) {
                int w = 8 + r.nextInt(14), h = 6 + r.nextInt(12);
                int x0 = (c % 2) * 24 + r.nextInt(24 - w + 1), y0 = (c / 2) * 20 + r.nextInt(20 - h + 1);
                for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) im.setRGB(x, y, COLOURS[c]);
                anns.add(Map.of("id", annId++, "image_id", imageId, "category_id", CAT_IDS[c], "iscrowd", 0L, "bbox", List.of((long) x0, (long) y0, (long) w, (long) h)));
            }
            anns.add(Map.of("id", annId++, "image_id", imageId, "category_id", 1L, "iscrowd", 0L, "bbox", List.of(1.0, 1.0, 2.0, 2.0)));
            anns.add(Map.of("id", annId++, "image_id", imageId, "category_id", 2L, "iscrowd", 1L, "bbox", List.of(0L, 0L, 48L, 40L)));
            String name = String.format("%012d.png", imageId);
            write(im, dir.resolve("coco").resolve(split).resolve(name));
            imgs.add(Map.of("id", imageId, "file_name", name, "width", 48L, "height", 40L));
        }
        for (int c = 3; c >= 0; c--) cats.add(Map.of("id", CAT_IDS[c], "name", CAT_NAMES[c], "supercategory", "shape"));
        Path json = dir.resolve("coco/annotations/instances_" + split + ".json");
        Files.createDirectories(json.getParent());
        Files.writeString(json, Json.write(Map.of("images", imgs, "annotations", anns, "categories", cats)));
    }

    static void write(BufferedImage im, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(im, "png", file.toFile());
    }

    private static List<String> args(String method, String protocol, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("continual", "--method", method, "--protocol", protocol,
                "--coco", dir.resolve("coco").toString(), "--zs-folder", dir.resolve("zs").toString(),
                "--weights", dir.resolve("tiny.safetensors").toString(), "--model-config", dir.resolve("tiny.json").toString(),
                "--vocab", dir.resolve("vocab.txt").toString(), "--min-crop-side", "4", "--epochs", "1", "--lr", "1e-4", "--output-dir", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    /** Runs the command line and checks its run folder's metrics.json. */
    private static Map<String, Object> run(List<String> args) throws IOException {
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return metrics(Path.of(args.get(args.indexOf("--output-dir") + 1)));
    }

    /** metrics.json of the run folder out: UT-, ZS- and A-Acc before and after are in [0, 1]. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> metrics(Path out) throws IOException {
        Map<String, Object> m = Json.readObject(out.resolve("metrics.json"));
        for (String phase : List.of("initial", "final")) {
            Map<String, Object> p = (Map<String, Object>) m.get(phase);
            for (String k : List.of("ut_acc", "zs_acc", "a_acc")) {
                double v = ((Number) p.get(k)).doubleValue();
                assertTrue(v >= 0 && v <= 1, phase + "." + k + " = " + v);
            }
        }
        return m;
    }

    @Test
    @SuppressWarnings("unchecked")
    void ostTrainsOnTheCropsInOneSession() throws IOException {
        Path out = dir.resolve("ost");
        Map<String, Object> m = run(args("ft", "ost", out, "--batch", "8", "--zs-items", "5"));
        assertEquals(1, ((List<?>) m.get("sessions")).size());
        assertEquals(List.of("all 4 classes"), ((Map<String, Object>) m.get("diagnostics")).get("task_names"));
        Map<String, Object> cfg = Json.readObject(out.resolve("config.json"));
        Map<String, Object> data = (Map<String, Object>) cfg.get("data");
        assertEquals(List.of("red square", "green bar", "blue box", "white disc"), data.get("classes"));   // category-id order
        assertEquals(4L * TRAIN_IMAGES, data.get("train_crops"));
        assertEquals(4L * VAL_IMAGES, data.get("test_crops"));
        assertEquals(List.of((long) TRAIN_IMAGES, (long) VAL_IMAGES), data.get("skipped_small"));
        assertEquals(List.of((long) TRAIN_IMAGES, (long) VAL_IMAGES), data.get("skipped_crowd"));
        assertEquals(6L, data.get("zero_shot_images"));
        Map<String, Object> train = (Map<String, Object>) ((Map<String, Object>) cfg.get("study")).get("train");
        assertEquals("adam", train.get("optimizer"));                  // paper A's settings unless told otherwise
        assertEquals("step:10", train.get("schedule"));
        assertEquals(8L, train.get("batch"));
        assertEquals(5L, ((Map<String, Object>) cfg.get("study")).get("zs_items"));
        assertTrue(Files.isRegularFile(out.resolve("report.md")));

        // ZS-Acc follows the class names: with the two names swapped each prompt goes to the other folder's images,
        // so the same model's accuracy on the same images becomes 1 - accuracy
        Path names = Files.writeString(dir.resolve("swapped.txt"), "sky\ngrass\n");   // the folders sort as grass, sky
        // (and UT-Acc on the crops of Karpathy's test images only: two of the three val images)
        Map<String, Object> sw = run(args("ft", "ost", dir.resolve("ost-swapped"), "--batch", "32", "--zs-items", "5", "--zs-class-names", names.toString(),
                "--karpathy", dir.resolve("dataset_coco.json").toString()));
        assertEquals(8L, ((Map<String, Object>) Json.readObject(dir.resolve("ost-swapped/config.json")).get("data")).get("test_crops"));
        double zs = ((Number) ((Map<String, Object>) m.get("initial")).get("zs_acc")).doubleValue();
        double zsSwapped = ((Number) ((Map<String, Object>) sw.get("initial")).get("zs_acc")).doubleValue();
        assertEquals(1 - zs, zsSwapped, 1e-12);
    }

    @Test
    @SuppressWarnings("unchecked")
    void karpathyTestImagesAreScoredByRetrievalAfterEverySession() throws IOException {
        Path out = dir.resolve("ost-retrieval");
        Map<String, Object> m = run(args("ft", "ost", out, "--batch", "8", "--zs-items", "5", "--karpathy", dir.resolve("dataset_coco.json").toString()));
        Map<String, Object> data = (Map<String, Object>) Json.readObject(out.resolve("config.json")).get("data");
        assertEquals(2L, data.get("retrieval_images"));                     // Karpathy's test split: two images, two captions each
        assertEquals(4L, data.get("retrieval_captions"));
        Map<String, Object> initial = (Map<String, Object>) m.get("initial");
        for (String phase : List.of("initial", "final")) {
            Map<String, Object> p = (Map<String, Object>) m.get(phase);
            for (String k : List.of("tr_r1", "ir_r1", "tr_r5", "ir_r5", "tr_r10", "ir_r10")) {
                double v = ((Number) p.get(k)).doubleValue();
                assertTrue(v >= 0 && v <= 1, phase + "." + k + " = " + v);
            }
        }
        // before training, the recalls are the retrieval command's on the same split file and images (paper A's TR@1 / IR@1)
        Path rd = dir.resolve("retrieval-coco");
        Cli.Result rr = Cli.run("retrieval", "--weights", dir.resolve("tiny.safetensors").toString(), "--model-config", dir.resolve("tiny.json").toString(),
                "--vocab", dir.resolve("vocab.txt").toString(), "--karpathy", dir.resolve("dataset_coco.json").toString(), "--image-root",
                dir.resolve("coco").toString(), "--output-dir", rd.toString());
        assertEquals(0, rr.code(), rr.err());
        Map<String, Object> full = (Map<String, Object>) Json.readObject(rd.resolve("metrics.json")).get("full");
        for (String[] k : new String[][] {{"tr_r1", "i2t_R@1"}, {"ir_r1", "t2i_R@1"}, {"tr_r5", "i2t_R@5"}, {"ir_r5", "t2i_R@5"}}) {
            assertEquals(((Number) full.get(k[1])).doubleValue() / 100, ((Number) initial.get(k[0])).doubleValue(), 1e-9, k[0]);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void mstRunsTheSessionsOfTheConfiguredSizeFromAConfigFile() throws IOException {
        // the study and its settings from a config file, as continual/studies/paper-a-coco-mst.json gives them
        Path study = Files.writeString(dir.resolve("mst.json"), "{\"studies\": [{\"method\": \"vr-lwf\", \"protocol\": \"mst\"}], "
                + "\"train\": {\"classes_per_session\": 2, \"batch\": 4, \"epochs\": 1}}");
        List<String> a = args("vr-lwf", "mst", dir.resolve("mst"), "--method-opts", "ks=8", "--config", study.toString());
        a.subList(1, 5).clear();                                             // --config names the method and protocol
        Cli.Result r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Path out = dir.resolve("mst/vr-lwf-mst-wm");
        Map<String, Object> m = metrics(out);
        assertEquals(2, ((List<?>) m.get("sessions")).size());
        List<List<Object>> acc = (List<List<Object>>) m.get("accuracy_matrix");
        assertEquals(2, acc.size());
        assertEquals(2, acc.get(0).size());
        assertEquals(List.of("red square,green bar", "blue box,white disc"), ((Map<String, Object>) m.get("diagnostics")).get("task_names"));
        Map<String, Object> cfg = Json.readObject(out.resolve("config.json"));
        assertEquals(2L, ((Map<String, Object>) cfg.get("study")).get("mst_per_session"));
        assertEquals("constant", ((Map<String, Object>) ((Map<String, Object>) cfg.get("study")).get("train")).get("schedule"));
        // paper A's Bwt over S = 2 sessions: A[2][1] - A[1][1], from the accuracy matrix the run wrote
        double bwt = ((Number) ((Map<String, Object>) m.get("final")).get("bwt")).doubleValue();
        assertEquals(((Number) acc.get(1).get(0)).doubleValue() - ((Number) acc.get(0).get(0)).doubleValue(), bwt, 1e-9);
    }

    @Test
    void thePaperSettingsConfigsCarryPaperAsTrainingSettings() throws IOException {
        Path studies = Path.of(System.getProperty("user.dir")).getParent().resolve("continual/studies");
        ContinualCommand ost = new ContinualCommand();
        ost.config = studies.resolve("paper-a-coco-ost.json");
        ost.applyTrainSection(Json.readObject(ost.config).get("train"));
        assertEquals(List.of("adam", 1e-6, 100, 15.0, "step:10", 0.0), List.of(ost.optimizer, ost.lr, ost.batch, ost.epochs, ost.schedule, ost.weightDecay));
        assertEquals(clipcl.continual.data.UserData.PAPER_PROMPT, ost.userData.prompt);
        ContinualCommand mst = new ContinualCommand();
        mst.config = studies.resolve("paper-a-coco-mst.json");
        mst.lr = 2e-6;                                                       // the command line wins
        mst.applyTrainSection(Json.readObject(mst.config).get("train"));
        assertEquals(List.of("adam", 2e-6, 100, 10.0, "constant", 0.0, 10), List.of(mst.optimizer, mst.lr, mst.batch, mst.epochs, mst.schedule, mst.weightDecay,
                mst.userData.classesPerSession));
        ContinualCommand bad = new ContinualCommand();
        bad.config = Path.of("x.json");
        String e = assertThrows(UsageException.class, () -> bad.applyTrainSection(Map.of("momentum", 0.9))).getMessage();
        assertTrue(e.contains("x.json") && e.contains("train.momentum"), e);
        e = assertThrows(UsageException.class, () -> bad.applyTrainSection(Map.of("lr", "fast"))).getMessage();
        assertTrue(e.contains("train.lr") && e.contains("wrong type"), e);
    }

    @Test
    void theUserDataOptionsAreChecked() {
        Path out = dir.resolve("never");
        String noWeights = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), "--method", "ft", "--protocol", "ost",
                "--coco", "C", "--zs-folder", "Z", "--vocab", "V", "--output-dir", out.toString())).getMessage();
        assertTrue(noWeights.contains("--weights"), noWeights);
        String noCoco = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), "--method", "ft", "--protocol", "ost",
                "--zs-folder", "Z", "--output-dir", out.toString())).getMessage();
        assertTrue(noCoco.contains("go with --coco"), noCoco);
        String quick = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), args("ft", "ost", out, "--quick").subList(1, 24).toArray(String[]::new)))
                .getMessage();
        assertTrue(quick.contains("--quick"), quick);
        String prompt = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), args("ft", "ost", out, "--prompt", "a photo").subList(1, 25).toArray(String[]::new)))
                .getMessage();
        assertTrue(prompt.contains("no {}"), prompt);
        String seen = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), args("ft", "ost", out, "--clip0-digits", "100").subList(1, 25).toArray(String[]::new)))
                .getMessage();
        assertTrue(seen.contains("--clip0-digits applies to the embedded benchmark"), seen);
        String missing = assertThrows(IOException.class, () -> Cli.call(new ContinualCommand(), "--method", "ft", "--protocol", "ost",
                "--coco", dir.resolve("nothing").toString(), "--zs-folder", dir.resolve("zs").toString(), "--weights", dir.resolve("tiny.safetensors").toString(),
                "--model-config", dir.resolve("tiny.json").toString(), "--vocab", dir.resolve("vocab.txt").toString(), "--output-dir", out.toString())).getMessage();
        assertTrue(missing.contains("nothing") && missing.contains("annotations"), missing);
        assertTrue(!Files.exists(out.resolve("metrics.json")));
    }
}
