package clipcl.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One CLIP tower exported to ONNX (by bench/peer/export_onnx.py) in an ONNX Runtime CPU session
 * with a fixed number of intra-op threads and every graph optimisation on.
 */
public final class OrtTower implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;

    public OrtTower(Path model, int threads) throws OrtException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(model + ": no such ONNX file (write it with bench/peer/export_onnx.py)");
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model.toString(), o);
        }
        input = session.getInputNames().iterator().next();
    }

    /** Features [batch, E] of images [batch, 3, H, W] (row-major floats). */
    public float[][] images(float[] pixels, int batch, int size) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {batch, 3, size, size})) {
            return run(x);
        }
    }

    /** Features [batch, E] of token ids [batch, context]. */
    public float[][] texts(long[] ids, int batch, int context) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {batch, context})) {
            return run(x);
        }
    }

    private float[][] run(OnnxTensor x) throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(input, x))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    @Override
    public void close() throws OrtException { session.close(); }
}
