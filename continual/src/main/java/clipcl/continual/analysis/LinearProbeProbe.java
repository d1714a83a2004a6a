package clipcl.continual.analysis;

import clipcl.clip.model.Clip;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.protocol.SessionProbe;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear-probe accuracy of the image encoder after each session ({@link LinearProbe} on frozen,
 * L2-normalised image features): fitted on the first {@code train} images of a training set, the
 * regularisation chosen on the next {@code val}, scored on the first {@code test} images of the test
 * set. {@code lp_<name>_acc} after the session, {@code lp_<name>_acc_clip0} for CLIP_0 beside it, and
 * the chosen {@code lp_<name>_lambda}.
 */
public final class LinearProbeProbe implements SessionProbe {
    private final String name;
    private final Tensor trainImages, valImages, testImages;
    private final int[] trainY, valY, testY;
    private final int classes;
    private final double clip0Acc;

    public LinearProbeProbe(String name, LabeledImages trainSet, LabeledImages testSet, ImageTensors images, Clip clip0, int train, int val, int test) {
        this.name = name;
        int nt = Math.min(train, trainSet.count() / 2), nv = Math.min(val, trainSet.count() - nt), ns = Math.min(test, testSet.count());
        trainImages = Scope.detach(images.of(trainSet, range(0, nt), null));
        valImages = Scope.detach(images.of(trainSet, range(nt, nv), null));
        testImages = Scope.detach(images.of(testSet, range(0, ns), null));
        trainY = java.util.Arrays.copyOfRange(trainSet.labels(), 0, nt);
        valY = java.util.Arrays.copyOfRange(trainSet.labels(), nt, nt + nv);
        testY = java.util.Arrays.copyOf(testSet.labels(), ns);
        classes = trainSet.numClasses();
        clip0Acc = run(clip0).accuracy();
    }

    @Override
    public Map<String, Double> measure(Clip model) {
        LinearProbe.Result r = run(model);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lp_" + name + "_acc", r.accuracy());
        m.put("lp_" + name + "_acc_clip0", clip0Acc);
        m.put("lp_" + name + "_lambda", r.lambda());
        return m;
    }

    private LinearProbe.Result run(Clip model) {
        boolean training = model.isTraining();
        model.eval();
        try (Scope s = Scope.open()) {
            return LinearProbe.evaluate(unitRows(model.encodeImages(trainImages, 500)), trainY, unitRows(model.encodeImages(valImages, 500)), valY,
                    unitRows(model.encodeImages(testImages, 500)), testY, classes);
        } finally {
            if (training) model.train(true);
        }
    }

    static double[][] unitRows(Tensor t) {
        int n = t.dim(0), d = t.dim(1);
        double[] f = t.contiguous().toDoubleArray();
        double[][] r = new double[n][d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += f[i * d + k] * f[i * d + k];
            double inv = 1 / Math.sqrt(s);
            for (int k = 0; k < d; k++) r[i][k] = f[i * d + k] * inv;
        }
        return r;
    }

    private static int[] range(int from, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = from + i;
        return r;
    }
}
