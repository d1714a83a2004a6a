package clipcl.clip.weights;

import java.io.IOException;

/** Package access for the fuzz targets: unpickling with the hooks the archive reader uses. */
public final class FuzzAccess {
    private FuzzAccess() { }

    public static Object unpickle(byte[] pickle) throws IOException {
        return Unpickler.load(pickle, "fuzz.pkl", new TorchArchive.TorchHooks("fuzz.pkl"));
    }
}
