package clipcl.continual.protocol;

import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.Device;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One study: a method under a protocol with an update option, for one seed.
 *
 * @param zsItems        Fashion-MNIST test images used for ZS-Acc (10,000 = all)
 * @param mstPerSession  MST: classes a session
 * @param streamPhases   stream: phases
 * @param mstOrder       MST class order, or null for 0, 1, 2, ...
 * @param device         where the model, its teacher and the training run (evaluation scores on the host)
 */
public record StudyConfig(String method, Protocol protocol, UpdateOption update, long seed, TrainConfig train,
                          int zsItems, int mstPerSession, int streamPhases, int[] mstOrder, Device device) {

    /** On the CPU. */
    public StudyConfig(String method, Protocol protocol, UpdateOption update, long seed, TrainConfig train,
                       int zsItems, int mstPerSession, int streamPhases, int[] mstOrder) {
        this(method, protocol, update, seed, train, zsItems, mstPerSession, streamPhases, mstOrder, Device.CPU);
    }

    public StudyConfig withSeed(long s) { return new StudyConfig(method, protocol, update, s, train, zsItems, mstPerSession, streamPhases, mstOrder, device); }

    public StudyConfig withTrain(TrainConfig t) { return new StudyConfig(method, protocol, update, seed, t, zsItems, mstPerSession, streamPhases, mstOrder, device); }

    public StudyConfig withDevice(Device d) { return new StudyConfig(method, protocol, update, seed, train, zsItems, mstPerSession, streamPhases, mstOrder, d); }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("protocol", protocol.id());
        m.put("update", update.id());
        m.put("seed", seed);
        m.put("train", train.toJson());
        m.put("zs_items", zsItems);
        m.put("mst_per_session", mstPerSession);
        m.put("stream_phases", streamPhases);
        List<Object> order = null;
        if (mstOrder != null) {
            order = new ArrayList<>();
            for (int c : mstOrder) order.add(c);
        }
        m.put("mst_order", order);
        return m;
    }
}
