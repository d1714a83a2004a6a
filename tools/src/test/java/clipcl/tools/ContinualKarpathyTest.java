package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.TextConfig;
import clipcl.clip.config.VisionConfig;
import clipcl.tensor.io.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `clipcl continual --karpathy-stream`, end to end on generated Karpathy-format split files: a
 * Flickr-style stream file (no filepath; train, restval, val and test images, five captions each),
 * a COCO-style old file (filepath val2014/) whose test split measures retention, PNG images, a
 * byte-level BPE vocabulary and a tiny random CLIP saved as safetensors (ContinualCocoTest's).
 */
class ContinualKarpathyTest {
    static final String[] COLOURS = {"red", "green", "blue", "white", "black", "yellow"};
    static final int[] RGB = {0xd02020, 0x20b020, 0x2030d0, 0xf0f0f0, 0x101010, 0xe0e020};
    /** Makes a caption longer than the context (77 tokens; the fixture's vocabulary has about one token a character): cut, not refused. */
    static final String LONG_TAIL = " with a long tail of words that goes on".repeat(4);
    static final int TRAIN = 8, RESTVAL = 2, VAL = 3, TEST = 4, OLD_TEST = 4, OLD_TRAIN = 3;

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() throws IOException {
        ContinualCocoTest.writeTinyClip(dir);
        // a tiny ModifiedResNet CLIP (paper B trains an RN50 from scratch): one bottleneck a stage, stem width 8, 32 px
        Files.writeString(dir.resolve("tiny-rn.json"), new ClipConfig(16, true, VisionConfig.resnet(32, List.of(1, 1, 1, 1), 8, 64),
                new TextConfig(77, 512 + 2 + 2, 32, 1, 1)).toJson());
        List<Object> stream = new ArrayList<>();
        int n = 0;
        for (String[] s : new String[][] {{"train", "" + TRAIN}, {"restval", "" + RESTVAL}, {"val", "" + VAL}, {"test", "" + TEST}}) {
            for (int i = 0; i < Integer.parseInt(s[1]); i++, n++) stream.add(entry(null, "f" + n + ".png", s[0], n));
        }
        Files.writeString(dir.resolve("dataset_flickr30k.json"), Json.write(Map.of("dataset", "flickr30k", "images", stream)));
        List<Object> old = new ArrayList<>();
        for (int i = 0; i < OLD_TEST + 2 + OLD_TRAIN; i++) {
            old.add(entry("val2014", "c" + i + ".png", i < OLD_TEST ? "test" : i < OLD_TEST + 2 ? "val" : i == OLD_TEST + 2 ? "restval" : "train", 100 + i));
        }
        Files.writeString(dir.resolve("dataset_coco.json"), Json.write(Map.of("dataset", "coco", "images", old)));
    }

    /** One image entry with its PNG (a stripe of a colour on grey, placed by n) and five captions naming what is drawn. */
    static Map<String, Object> entry(String filepath, String filename, String split, int n) throws IOException {
        int c = n % COLOURS.length;
        BufferedImage im = new BufferedImage(30 + n % 5, 26, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < im.getHeight(); y++) for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, (x + n) % 7 < 3 ? RGB[c] : 0x808080);
        Path root = filepath == null ? dir.resolve("flickr") : dir.resolve("coco-old").resolve(filepath);
        ContinualCocoTest.write(im, root.resolve(filename));
        List<Object> sents = new ArrayList<>();
        for (int k = 0; k < 5; k++) sents.add(Map.of("raw", "a " + COLOURS[c] + " stripe " + (n + k) + " ." + (k == 4 && n % 3 == 0 ? LONG_TAIL : ""), "tokens", List.of("a")));
        Map<String, Object> e = new LinkedHashMap<>();
        if (filepath != null) e.put("filepath", filepath);
        e.put("filename", filename);
        e.put("split", split);
        e.put("sentences", sents);
        return e;
    }

    static List<String> args(String method, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("continual", "--method", method, "--protocol", "stream",
                "--karpathy-stream", dir.resolve("dataset_flickr30k.json").toString(), "--image-root", dir.resolve("flickr").toString(),
                "--old-karpathy", dir.resolve("dataset_coco.json").toString(), "--old-image-root", dir.resolve("coco-old").toString(),
                "--weights", dir.resolve("tiny.safetensors").toString(), "--model-config", dir.resolve("tiny.json").toString(),
                "--vocab", dir.resolve("vocab.txt").toString(), "--output-dir", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    static final List<String> RECALLS = List.of("i2t_r1", "t2i_r1", "i2t_r5", "t2i_r5", "i2t_r10", "t2i_r10");

    /** Every recall of a metric map, new and old data, is finite and in [0, 1]. */
    static void recallsInRange(Map<String, Object> m, String where) {
        for (String r : RECALLS) {
            for (String set : List.of("_new", "_old")) {
                Object v = m.get(r + set);
                assertTrue(v instanceof Number, where + ": no " + r + set + " in " + m.keySet());
                double d = ((Number) v).doubleValue();
                assertTrue(Double.isFinite(d) && d >= 0 && d <= 1, where + "." + r + set + " = " + d);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStreamStudyReportsRetrievalOnBothTestSplitsAfterEveryPhase() throws IOException {
        Path out = dir.resolve("ct");
        Cli.Result r = Cli.run(args("clip-ct", out, "--epochs", "1", "--batch", "4", "--lr", "1e-4").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = Json.readObject(out.resolve("metrics.json"));
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) m.get("sessions");
        assertEquals(5, sessions.size());
        recallsInRange((Map<String, Object>) m.get("initial"), "initial");
        for (int s = 0; s < sessions.size(); s++) recallsInRange(sessions.get(s), "phase " + (s + 1));
        // the stream is train+restval+val, every test image with its five captions (t2i R@10 over 4 images is 1)
        Map<String, Object> cfg = Json.readObject(out.resolve("config.json"));
        Map<String, Object> data = (Map<String, Object>) cfg.get("data");
        assertEquals((long) (TRAIN + RESTVAL + VAL), data.get("stream_images"));
        assertEquals((long) TEST, data.get("new_test_images"));
        assertEquals((long) OLD_TEST, data.get("old_test_images"));
        assertEquals(1.0, ((Number) sessions.get(4).get("t2i_r10_new")).doubleValue());
        Map<String, Object> train = (Map<String, Object>) ((Map<String, Object>) cfg.get("study")).get("train");
        assertEquals("adamw", train.get("optimizer"));                      // paper B's settings where not told otherwise
        assertEquals("cosine", train.get("schedule"));
        assertEquals(0.2, ((Number) train.get("weight_decay")).doubleValue());
        assertEquals(0.2, ((Number) train.get("warmup_fraction")).doubleValue());

        // before any phase the model is the one loaded from --weights: its recalls are the retrieval command's on the same split files
        Map<String, Object> initial = (Map<String, Object>) m.get("initial");
        for (String[] f : new String[][] {{"dataset_flickr30k.json", "flickr", "_new"}, {"dataset_coco.json", "coco-old", "_old"}}) {
            Path rd = dir.resolve("retrieval" + f[2]);
            Cli.Result rr = Cli.run("retrieval", "--weights", dir.resolve("tiny.safetensors").toString(), "--model-config", dir.resolve("tiny.json").toString(),
                    "--vocab", dir.resolve("vocab.txt").toString(), "--karpathy", dir.resolve(f[0]).toString(), "--image-root", dir.resolve(f[1]).toString(),
                    "--output-dir", rd.toString());
            assertEquals(0, rr.code(), rr.err());
            Map<String, Object> full = (Map<String, Object>) Json.readObject(rd.resolve("metrics.json")).get("full");
            for (String k : RECALLS) {
                String key = k.substring(0, 4) + "R@" + k.substring(5);
                assertEquals(((Number) full.get(key)).doubleValue() / 100, ((Number) initial.get(k + f[2])).doubleValue(), 1e-9, f[0] + " " + key);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void modXAndJointTrainingWithD0RunOnTheStreamFromAConfigFile() throws IOException {
        Path study = Files.writeString(dir.resolve("b.json"), "{\"studies\": [{\"method\": \"mod-x\", \"protocol\": \"stream\"}, "
                + "{\"method\": \"mod-x:buffer=4\", \"protocol\": \"stream\"}, {\"method\": \"clip-jt\", \"protocol\": \"stream\"}, "
                + "{\"method\": \"lwf:over=batch\", \"protocol\": \"stream\"}], "
                + "\"train\": {\"batch\": 5, \"epochs\": 1, \"lr\": 1e-4, \"adam_beta2\": 0.99, \"adam_eps\": 1e-8, \"clip_norm\": 0}}");
        List<String> a = args("x", dir.resolve("cfg"), "--config", study.toString(), "--old-train");
        a.subList(1, 5).clear();
        Cli.Result r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> mx = Json.readObject(dir.resolve("cfg/mod-x-stream-wm/metrics.json"));
        List<Map<String, Object>> ps = (List<Map<String, Object>>) mx.get("sessions");
        assertEquals(5, ps.size());
        for (int s = 0; s < ps.size(); s++) recallsInRange(ps.get(s), "mod-x phase " + (s + 1));
        Map<String, Object> mb = Json.readObject(dir.resolve("cfg/mod-x_buffer4-stream-wm/metrics.json"));   // Mod-X with a replay buffer
        assertEquals(5, ((List<?>) mb.get("sessions")).size());
        recallsInRange((Map<String, Object>) mb.get("final"), "mod-x buffer");
        Map<String, Object> jt = Json.readObject(dir.resolve("cfg/clip-jt-stream-wm/metrics.json"));
        assertEquals(1, ((List<?>) jt.get("sessions")).size());               // joint: every phase's data and D0 in one session
        Map<String, Object> data = (Map<String, Object>) Json.readObject(dir.resolve("cfg/clip-jt-stream-wm/config.json")).get("data");
        assertEquals((long) OLD_TRAIN, data.get("old_train_images"));         // the old file's train + restval
        // one joint session of D (13 images) and D0 (3) at batch 5: floor(16 / 5) = 3 steps, one loss line each (D alone: 2)
        List<String> lossLines = Files.readAllLines(dir.resolve("cfg/clip-jt-stream-wm/losses.csv"));
        assertEquals(3, lossLines.size() - 1, String.join("\n", lossLines));
        recallsInRange((Map<String, Object>) jt.get("final"), "clip-jt");
        // paper B's contrastive LwF runs on image-caption data, its term logged every step
        Map<String, Object> lw = Json.readObject(dir.resolve("cfg/lwf_overbatch-stream-wm/metrics.json"));
        assertEquals(5, ((List<?>) lw.get("sessions")).size());
        recallsInRange((Map<String, Object>) lw.get("final"), "lwf:over=batch");
        List<String> lwLoss = Files.readAllLines(dir.resolve("cfg/lwf_overbatch-stream-wm/losses.csv"));
        assertTrue(lwLoss.get(0).contains(",lwf,") && !lwLoss.get(0).contains("grad_norm"), lwLoss.get(0));   // no clipping: no norm logged
        Map<String, Object> train = (Map<String, Object>) ((Map<String, Object>) Json.readObject(dir.resolve("cfg/lwf_overbatch-stream-wm/config.json")).get("study")).get("train");
        assertEquals(List.of(0.99, 1e-8, 0.0), List.of(train.get("adam_beta2"), train.get("adam_eps"), train.get("clip_norm")));
    }

    /** The stream's arguments with CLIP_0 trained from scratch (no --weights) and the cache in the fixture folder. */
    static List<String> scratchArgs(String method, Path out, String... more) {
        List<String> a = args(method, out, more);
        a.subList(a.indexOf("--weights"), a.indexOf("--weights") + 2).clear();
        a.addAll(List.of("--clip0-from-scratch", "--cache", dir.resolve("cache").toString()));
        return a;
    }

    @Test
    @SuppressWarnings("unchecked")
    void clip0FromScratchTrainsOnD0ThenTheStreamStartsFromIt() throws IOException {
        Path out = dir.resolve("scratch-ct");
        Cli.Result r = Cli.run(scratchArgs("clip-ct", out, "--epochs", "1", "--batch", "3", "--lr", "1e-3", "--clip0-epochs", "4").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> cfg = Json.readObject(out.resolve("config.json"));
        Map<String, Object> c0 = (Map<String, Object>) cfg.get("clip0");
        assertEquals(true, c0.get("from_scratch"));
        assertEquals((long) OLD_TRAIN, c0.get("d0_images"));                 // the old file's train + restval
        assertEquals(4L, c0.get("steps"));                                    // --clip0-epochs 4 at batch 3 over 3 pairs
        Map<String, Object> t0 = (Map<String, Object>) c0.get("train");
        assertEquals(List.of(4.0, 3L, 1e-3, "contrastive", 0.0), List.of(t0.get("epochs"), t0.get("batch"), t0.get("lr"), t0.get("objective"), t0.get("replay_fraction")));
        Path weights = dir.resolve("cache").resolve("clip0-scratch-" + c0.get("cache_key") + ".safetensors");
        assertTrue(Files.isRegularFile(weights), weights.toString());
        Map<String, Object> cached = Json.readObject(dir.resolve("cache").resolve("clip0-scratch-" + c0.get("cache_key") + ".json"));
        assertEquals(List.of(4L, (long) OLD_TRAIN), List.of(cached.get("steps"), cached.get("d0_images")));
        assertTrue(Double.isFinite(((Number) cached.get("final_loss")).doubleValue()), cached.toString());
        byte[] trained = Files.readAllBytes(weights);
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(weights);
        assertTrue(((Map<String, Object>) cfg.get("model")).get("weights").toString().contains("from scratch"));
        // the study starts from the trained CLIP_0: its recalls before any phase are the retrieval command's on the cached weights
        Map<String, Object> initial = (Map<String, Object>) Json.readObject(out.resolve("metrics.json")).get("initial");
        Path rd = dir.resolve("scratch-retrieval");
        Cli.Result rr = Cli.run("retrieval", "--weights", weights.toString(), "--model-config", dir.resolve("tiny.json").toString(),
                "--vocab", dir.resolve("vocab.txt").toString(), "--karpathy", dir.resolve("dataset_flickr30k.json").toString(), "--image-root",
                dir.resolve("flickr").toString(), "--output-dir", rd.toString());
        assertEquals(0, rr.code(), rr.err());
        Map<String, Object> full = (Map<String, Object>) Json.readObject(rd.resolve("metrics.json")).get("full");
        for (String k : RECALLS) {
            String key = k.substring(0, 4) + "R@" + k.substring(5);
            assertEquals(((Number) full.get(key)).doubleValue() / 100, ((Number) initial.get(k + "_new")).doubleValue(), 1e-9, key);
        }
        // a second study with the same settings reuses it; clip-jt trains on D0 with the stream without --old-train
        Path jt = dir.resolve("scratch-jt");
        Cli.Result r2 = Cli.run(scratchArgs("clip-jt", jt, "--epochs", "1", "--batch", "3", "--lr", "1e-3", "--clip0-epochs", "4").toArray(String[]::new));
        assertEquals(0, r2.code(), r2.err());
        assertArrayEquals(trained, Files.readAllBytes(weights));
        assertEquals(written, Files.getLastModifiedTime(weights));           // loaded, not trained again
        assertEquals(c0.get("cache_key"), ((Map<String, Object>) Json.readObject(jt.resolve("config.json")).get("clip0")).get("cache_key"));
        recallsInRange((Map<String, Object>) Json.readObject(jt.resolve("metrics.json")).get("final"), "clip-jt from scratch");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aResNetClip0FromScratchLearnsThenModXRunsOnIt() throws IOException {
        Path out = dir.resolve("scratch-rn");
        List<String> a = scratchArgs("mod-x", out, "--epochs", "1", "--batch", "3", "--lr", "1e-3", "--clip0-epochs", "2");
        a.set(a.indexOf("--model-config") + 1, dir.resolve("tiny-rn.json").toString());
        Cli.Result r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> cfg = Json.readObject(out.resolve("config.json"));
        Map<String, Object> c0 = (Map<String, Object>) cfg.get("clip0");
        assertEquals(2L, c0.get("steps"));
        Map<String, Object> vision = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) cfg.get("model")).get("config")).get("vision_cfg");
        assertEquals(List.of(1L, 1L, 1L, 1L), vision.get("layers"));            // the ResNet's stages, not a ViT
        Map<String, Object> cached = Json.readObject(dir.resolve("cache").resolve("clip0-scratch-" + c0.get("cache_key") + ".json"));
        assertTrue(Double.isFinite(((Number) cached.get("final_loss")).doubleValue()), cached.toString());
        Map<String, Object> m = Json.readObject(out.resolve("metrics.json"));
        assertEquals(5, ((List<?>) m.get("sessions")).size());
        recallsInRange((Map<String, Object>) m.get("final"), "mod-x on a ResNet CLIP_0");
    }

    @Test
    void theFromScratchConfigCarriesPaperBsFromScratchSettings() throws IOException {
        List<Object> studies = new ArrayList<>();
        ContinualCommand c = applied("paper-b-karpathy-scratch.json", studies);
        assertEquals(List.of("adamw", 5e-4, 280, 35.0, "cosine", 0.1), List.of(c.optimizer, c.lr, c.batch, c.epochs, c.schedule, c.weightDecay));
        assertEquals(List.of(0.99, 1e-8, 0.0), List.of(c.adamBeta2, c.adamEps, c.clipNorm));   // AdamW (0.9, 0.99, 1e-8), no clipping
        assertTrue(c.userData.clip0FromScratch);
        assertEquals("RN50", c.userData.model);                                                   // paper B's from-scratch architecture
        assertEquals(null, c.userData.clip0Epochs);                                               // phase 0 as every phase: 35 epochs
        List<String> methods = new ArrayList<>();
        for (Object s : studies) {
            assertEquals("stream", ((Map<?, ?>) s).get("protocol"));
            methods.add((String) ((Map<?, ?>) s).get("method"));
        }
        assertEquals(List.of("clip-ct", "clip-jt", "mod-x", "mod-x:buffer=3000", "mod-x:buffer=5000", "ewc", "lwf:over=batch", "der"), methods);
        // the command line's --model wins over the file's
        ContinualCommand d = new ContinualCommand();
        d.config = c.config;
        d.userData.model = "ViT-B-32";
        d.applyTrainSection(Json.readObject(c.config).get("train"));
        assertEquals("ViT-B-32", d.userData.model);
    }

    /** A command with the "train" section of the repository's study file applied, and that file's studies. */
    static ContinualCommand applied(String file, List<Object> studies) throws IOException {
        ContinualCommand c = new ContinualCommand();
        c.config = Path.of(System.getProperty("user.dir")).getParent().resolve("continual/studies/" + file);
        Map<String, Object> j = Json.readObject(c.config);
        c.applyTrainSection(j.get("train"));
        studies.addAll((List<?>) j.get("studies"));
        return c;
    }

    @Test
    void thePaperSettingsConfigCarriesPaperBsTrainingSettings() throws IOException {
        List<Object> studies = new ArrayList<>();
        ContinualCommand c = applied("paper-b-karpathy-stream.json", studies);
        assertEquals(List.of("adamw", 1e-6, 280, 35.0, "cosine", 0.2), List.of(c.optimizer, c.lr, c.batch, c.epochs, c.schedule, c.weightDecay));
        assertEquals(List.of(0.99, 1e-8, 0.0), List.of(c.adamBeta2, c.adamEps, c.clipNorm));   // AdamW (0.9, 0.99, 1e-8), no clipping
        for (Object s : studies) assertEquals("stream", ((Map<?, ?>) s).get("protocol"));
    }

    @Test
    void badInputIsAClearError() throws IOException {
        Path out = dir.resolve("never");
        // an image the split file names but the folder lacks
        Path missing = dir.resolve("missing.json");
        Files.writeString(missing, Files.readString(dir.resolve("dataset_flickr30k.json")).replace("\"f3.png\"", "\"gone.png\""));
        List<String> a = args("clip-ct", out);
        a.set(a.indexOf("--karpathy-stream") + 1, missing.toString());
        String e = assertThrows(IOException.class, () -> Cli.call(new ContinualCommand(), a.subList(1, a.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("missing.json") && e.contains("gone.png") && e.contains("1 of"), e);
        // an entry without its filename: the file and the field are named
        Path malformed = dir.resolve("malformed.json");
        Files.writeString(malformed, Files.readString(dir.resolve("dataset_flickr30k.json")).replace("\"filename\":\"f0.png\"", "\"name\":\"f0.png\""));
        List<String> b = args("clip-ct", out);
        b.set(b.indexOf("--karpathy-stream") + 1, malformed.toString());
        e = assertThrows(IOException.class, () -> Cli.call(new ContinualCommand(), b.subList(1, b.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("malformed.json") && e.contains("images[0].filename"), e);
        // usage: the protocol, the old split file
        List<String> c = args("clip-ct", out);
        c.set(c.indexOf("stream"), "ost");
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), c.subList(1, c.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("--protocol stream"), e);
        List<String> v = args("vr-lwf", out);
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), v.subList(1, v.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("vr-lwf") && e.contains("class"), e);
        List<String> l = args("lwf", out);
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), l.subList(1, l.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("lwf:over=batch"), e);
        List<String> j = args("clip-jt", out);
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), j.subList(1, j.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("--old-train") && e.contains("d0=false"), e);
        List<String> d = args("clip-ct", out);
        d.subList(d.indexOf("--old-karpathy"), d.indexOf("--old-karpathy") + 2).clear();
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), d.subList(1, d.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("--old-karpathy"), e);
        // from scratch: an architecture and no weights
        List<String> w = scratchArgs("clip-ct", out);
        w.addAll(List.of("--weights", dir.resolve("tiny.safetensors").toString()));
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), w.subList(1, w.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("--clip0-from-scratch") && e.contains("not --weights"), e);
        List<String> m = scratchArgs("clip-ct", out);
        m.subList(m.indexOf("--model-config"), m.indexOf("--model-config") + 2).clear();
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), m.subList(1, m.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("--clip0-from-scratch needs --model"), e);
        List<String> ep = args("clip-ct", out, "--clip0-epochs", "2");
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), ep.subList(1, ep.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("--clip0-epochs goes with --clip0-from-scratch"), e);
        List<String> pi = args("clip-ct", out, "--captions", "per-image");
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), pi.subList(1, pi.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("--karpathy-stream bring their own captions"), e);
        List<String> big = scratchArgs("clip-ct", out, "--batch", "4");                // D0 holds 3 pairs
        e = assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), big.subList(1, big.size()).toArray(String[]::new))).getMessage();
        assertTrue(e.contains("dataset_coco.json train") && e.contains("one batch of 4"), e);
        assertTrue(!Files.exists(out.resolve("metrics.json")));
    }
}
