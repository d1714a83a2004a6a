package clipcl.continual.protocol;

import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.autograd.checkpoint.TrainState;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.Schedule;
import clipcl.clip.model.Clip;
import clipcl.continual.analysis.LinearProbeProbe;
import clipcl.continual.analysis.SpatialDisorderProbe;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.EpochSampler;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.ReplayBuffer;
import clipcl.continual.data.Session;
import clipcl.continual.data.SessionPlan;
import clipcl.continual.method.Method;
import clipcl.continual.method.MethodContext;
import clipcl.continual.method.Methods;
import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.BatchMaker;
import clipcl.continual.train.ClassPromptLoss;
import clipcl.continual.train.ContrastiveLoss;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.NewItemsOnly;
import clipcl.continual.train.Optimizers;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TeacherContext;
import clipcl.continual.train.TextEncoder;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.Trainer;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a method through a protocol's sessions, starting from CLIP_0, and measures after each.
 *
 * <p>Hook order, the same for every method and protocol (each name is what {@link #hookTrace} records):
 * once, {@link Method#trainingData} then {@link Method#plan}; then
 * <ol>
 * <li>before a session: {@code before:teacher} (a frozen deep copy of the model, only when the method
 *     asks), {@code before:freeze} (the update option: WM/IO/TO), {@code before:method}
 *     ({@link Method#beginSession}: parametrizations, anchors; it may change what is trainable),
 *     {@code before:optimizer} (the optimizer over what is trainable now, and the schedule: fresh when
 *     the configuration resets them, which is the default, else kept);</li>
 * <li>{@code train}: the session's steps ({@link Trainer}), checkpointing every k steps;</li>
 * <li>after a session: {@code after:method} ({@link Method#endSession}: weight merge, Fisher),
 *     {@code after:buffer} (the method's replay buffer is offered the session's items in a seeded
 *     order), {@code after:evaluate} (a row of the accuracy matrix and the session's metrics, then
 *     {@link Method#afterEvaluate}: what the method changed only to be measured is undone),
 *     {@code after:checkpoint} (always, so a kill between sessions loses nothing).</li>
 * </ol>
 * On resume the method first rebuilds what it added to the model ({@link Method#restoreModel}), the
 * weights and the method's state (JSON and tensors) are read back, the teacher is read back from the
 * checkpoint instead of being copied, and {@link Method#beginSession} runs again after the method's
 * state was restored (so it must keep, not recompute, what that state holds).
 */
public final class Study {
    /** The checkpoint parts holding the frozen teacher's weights and {@link Method#stateTensors}, saved atomically with the model. */
    private static final String TEACHER_PART = "teacher", METHOD_PART = "method";

    private final StudyConfig cfg;
    private final Method method;
    private final Benchmark bench;
    private final Clip clip0;
    private final ImageTensors images;
    private final SessionListener listener;
    private final List<String> hookTrace = new ArrayList<>();
    private long stopAtGlobalStep = Long.MAX_VALUE;

    /** The method named in the configuration. */
    public Study(StudyConfig cfg, Benchmark bench, Clip clip0, ImageTensors images, SessionListener listener) {
        this(cfg, Methods.byName(cfg.method()), bench, clip0, images, listener);
    }

    /** A given method instance (its name should be the configuration's). */
    public Study(StudyConfig cfg, Method method, Benchmark bench, Clip clip0, ImageTensors images, SessionListener listener) {
        this.cfg = cfg;
        this.method = method;
        this.bench = bench;
        this.clip0 = clip0;
        this.images = images;
        this.listener = listener;
    }

    /** Stops (as a kill would, after a checkpoint) once this many steps were taken in all; for tests. */
    public Study stopAt(long globalStep) {
        stopAtGlobalStep = globalStep;
        return this;
    }

    /** The hooks in the order they ran (see the class comment). */
    public List<String> hookTrace() { return List.copyOf(hookTrace); }

    /** Runs (or resumes) the study in folder; returns null when stopped by {@link #stopAt}. */
    public RunResult run(RunFolder folder) throws IOException {
        LabeledImages train = method.trainingData(bench);
        SessionPlan plan = method.plan(cfg.protocol().plan(bench.digitsTrain(), cfg.mstOrder(), cfg.mstPerSession(), cfg.streamPhases(), cfg.seed()));
        TrainConfig tc = cfg.train();
        TextEncoder text = new TextEncoder(bench.tokens());
        Clip model = clip0.deepCopy();
        model.to(cfg.device());
        Clip teacher = null;
        Evaluator evaluator = new Evaluator(bench, plan.tasks(), images, cfg.zsItems(), clip0, cfg.seed());
        List<SessionProbe> probes = new ArrayList<>(List.of(new SpatialDisorderProbe(bench, images, clip0, Math.min(Evaluator.RETRIEVAL_IMAGES, cfg.zsItems()), cfg.seed())));
        // the linear probe fits on the old data's training split, which user data (a zero-shot test folder) does not have;
        // on image-caption data every image is its own class, nothing a classifier can be fitted to
        if (bench.fashionTrain() != null && bench.fashionTestCaptions() == null) probes.add(new LinearProbeProbe("fashion", bench.fashionTrain(), bench.fashionTest(), images, clip0, 1000, 500, Math.min(1000, cfg.zsItems())));
        StudyState st;
        boolean resumed = folder.resuming();
        if (resumed) {
            method.restoreModel(model, cfg.update(), cfg.seed());
            TrainState ts = Checkpoint.load(folder.checkpoint(), model, null);
            st = StudyState.fromJson(ts.extra(), plan.sessions().size(), plan.tasks().size());
            method.loadState(st.methodState);
            Map<String, Tensor> mt = Checkpoint.loadPart(folder.checkpoint(), METHOD_PART);
            if (mt != null) method.loadStateTensors(mt);
            if (method.replayBuffer() != null && st.buffer != null) method.replayBuffer().load(st.buffer);
            Map<String, Tensor> tw = Checkpoint.loadPart(folder.checkpoint(), TEACHER_PART);
            boolean oldTeacherFile = tw == null && Files.isRegularFile(folder.checkpoint().resolve(TEACHER_PART + ".safetensors"));
            if (tw != null || oldTeacherFile) {
                teacher = model.deepCopy(); // the model's shape, with what the method added to it
                if (tw != null) {
                    teacher.loadStateDict(tw, true);
                    tw.values().forEach(Tensor::close);
                } else {
                    // a checkpoint written before the teacher was part of the staged save
                    Checkpoint.loadWeights(folder.checkpoint().resolve(TEACHER_PART + ".safetensors"), teacher, true);
                }
                teacher.freeze("*");
                teacher.eval();
            }
            listener.info(st.session >= plan.sessions().size()
                    ? String.format("resuming %s: all %d sessions done, writing the results", folder.dir(), plan.sessions().size())
                    : String.format("resuming %s: session %d of %d, step %d", folder.dir(), st.session + 1, plan.sessions().size(), st.sessionStep));
        } else {
            st = new StudyState(plan.sessions().size(), plan.tasks().size());
            st.initial = evaluator.evaluate(model, new int[0]).metrics();
        }
        Optimizer opt = null;
        for (int s = st.session; s < plan.sessions().size(); s++) {
            Session session = plan.sessions().get(s);
            boolean resumeInSession = resumed && st.inSession && s == st.session;
            // ---- before the session
            if (method.needsTeacher() && !resumeInSession) {
                if (teacher != null) teacher.release();
                teacher = model.deepCopy();
                teacher.freeze("*");
                teacher.eval();
                hookTrace.add("before:teacher");
            }
            MethodContext mctx = new MethodContext(model, teacher, session, plan, train, tc, cfg.update(), cfg.seed(),
                    BatchMaker.of(train, images, bench.digitCaptions(), text, cfg.seed() * 7919 + s, cfg.device()));
            cfg.update().apply(model);
            hookTrace.add("before:freeze");
            method.beginSession(mctx);
            hookTrace.add("before:method");
            if (opt == null || tc.resetOptimizer()) opt = Optimizers.build(tc, model);
            if (resumed && s == st.session && (resumeInSession || !tc.resetOptimizer()) && st.hasOptimizer) {
                Checkpoint.load(folder.checkpoint(), model, opt);
            }
            long steps = tc.steps(session.items().length);
            Schedule schedule = Optimizers.schedule(tc, steps);
            hookTrace.add("before:optimizer");
            // ---- the session
            long from = resumeInSession ? st.sessionStep : 0;
            long stopInSession = stopAtGlobalStep == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, stopAtGlobalStep - (st.globalStep - from));
            List<LossTerm> terms = new ArrayList<>();
            LossTerm base = baseObjective(tc, plan, train);
            terms.add(method.replayInBaseObjective() ? base : new NewItemsOnly(base));
            terms.addAll(method.lossTerms(mctx));
            TeacherContext tctx = new TeacherContext(teacher, session, plan.seenClasses(s), text);
            Trainer.Spec spec = new Trainer.Spec(model, opt, schedule, tc, cfg.seed(), s, train,
                    new EpochSampler(session.items(), Math.min(tc.batch(), session.items().length), cfg.seed() * 31 + s),
                    images, bench.digitCaptions(), text, terms, method.regularizers(mctx), method.replayBuffer(), tctx, steps, stopInSession);
            listener.sessionStarted(s, plan.sessions().size(), session.name(), from, steps);
            final int sIdx = s;
            final Optimizer fOpt = opt;
            final Clip fTeacher = teacher;
            st.session = s;
            st.inSession = true;
            Trainer.run(spec, from, new Trainer.Callbacks() {
                @Override
                public void logged(long done, Map<String, Double> log) {
                    st.sessionStep = done;
                    st.globalStep++;
                    Map<String, Double> l = new java.util.LinkedHashMap<>();
                    l.put("session", (double) sIdx);
                    l.put("step", (double) st.globalStep);
                    l.putAll(log);
                    st.losses.add(l);
                }

                @Override
                public void checkpoint(long done) throws IOException {
                    save(folder, model, fOpt, fTeacher, st, method);
                }

                @Override
                public Map<String, Double> evaluate(long done) { return Map.of("eval_ut_acc", evaluator.utAcc(model)); }
            }, listener);
            hookTrace.add("train");
            if (st.sessionStep < steps) return null; // stopped as if killed; the checkpoint holds the state
            // ---- after the session
            method.endSession(mctx);
            hookTrace.add("after:method");
            ReplayBuffer buf = method.replayBuffer();
            if (buf != null) {
                int[] order = new Rng(cfg.seed() * 131 + s).permutation(session.items().length);
                for (int i : order) buf.offer(session.items()[i], train.labels()[session.items()[i]], null);
            }
            hookTrace.add("after:buffer");
            Evaluator.Result r = evaluator.evaluate(model, plan.seenClasses(s));
            Map<String, Double> metrics = new java.util.LinkedHashMap<>(r.metrics());
            for (SessionProbe p : probes) metrics.putAll(p.measure(model));
            st.sessions.add(metrics);
            st.classIncremental[s] = r.classIncremental();
            st.taskAware[s] = r.taskAware();
            method.afterEvaluate(mctx);
            hookTrace.add("after:evaluate");
            st.session = s + 1;
            st.inSession = false;
            st.sessionStep = 0;
            save(folder, model, tc.resetOptimizer() ? null : opt, teacher, st, method);
            hookTrace.add("after:checkpoint");
            listener.sessionEnded(s, r.metrics());
        }
        return result(st, plan);
    }

    /** The base objective of the configuration: InfoNCE over captions, or paper A's CE over class prompts. */
    LossTerm baseObjective(TrainConfig tc, SessionPlan plan, LabeledImages train) {
        if (tc.objective().equals("contrastive")) return new ContrastiveLoss(tc.multiPositive());
        return new ClassPromptLoss(train.classNames(), bench.digitCaptions(), tc.maskToSession() && plan.sessions().size() > 1);
    }

    private void save(RunFolder folder, Clip model, Optimizer opt, Clip teacher, StudyState st, Method method) throws IOException {
        Path dir = folder.checkpoint();
        Files.createDirectories(dir);
        st.hasOptimizer = opt != null;
        st.methodState = method.state();
        st.buffer = method.replayBuffer() == null ? null : method.replayBuffer().toJson();
        Map<String, Map<String, Tensor>> parts = new java.util.LinkedHashMap<>();
        if (teacher != null) parts.put(TEACHER_PART, teacher.stateDict());
        Map<String, Tensor> mt = method.stateTensors();
        if (!mt.isEmpty()) parts.put(METHOD_PART, mt);
        Checkpoint.save(dir, model, opt, new TrainState(st.globalStep, Map.of(), null, st.toJson()), parts);
        if (teacher == null) Files.deleteIfExists(dir.resolve(TEACHER_PART + ".safetensors"));
    }

    private RunResult result(StudyState st, SessionPlan plan) {
        AccuracyMatrix ci = AccuracyMatrix.of(st.classIncremental), ta = AccuracyMatrix.of(st.taskAware);
        Map<String, Object> diag = new java.util.LinkedHashMap<>();
        List<Object> names = new ArrayList<>();
        for (int[] t : plan.tasks()) {
            if (bench.digitsTestCaptions() != null) {   // image-caption data: each image its own class, the test set one task
                names.add("all " + bench.digitsTest().count() + " test images");
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int c : t) sb.append(sb.isEmpty() ? "" : ",").append(bench.embedded() ? String.valueOf(c) : bench.digitsTest().classNames().get(c));
            if (bench.embedded()) names.add(plan.tasks().size() == 1 ? "all digits" : "digits " + sb);
            else names.add(plan.tasks().size() == 1 ? "all " + t.length + " classes" : sb.toString());
        }
        diag.put("task_names", names);
        diag.put("objective", cfg.train().objective());
        diag.put("multi_positive", cfg.train().multiPositive());
        diag.put("sessions_trained", plan.sessions().size());
        diag.put("ut_acc_definition", bench.embedded() ? "10-way zero-shot accuracy on the whole digits test split"
                : bench.digitsTestCaptions() != null ? "image-to-text R@1 on " + bench.digitsTest().name() + " against the first caption of each image"
                : bench.digitsTest().numClasses() + "-way zero-shot accuracy on the whole updated task's test set (" + bench.digitsTest().name() + ")");
        diag.put("bwt_printed", "paper A: mean over sessions i < S of (A[S][i] - A[i][i]), divided by S-1");
        return new RunResult(cfg.method(), cfg.protocol().id(), cfg.update().id(), List.of(cfg.seed()), st.initial, st.sessions,
                st.sessions.get(st.sessions.size() - 1), ci, ta, st.losses, diag).withMatrixMetrics();
    }
}
