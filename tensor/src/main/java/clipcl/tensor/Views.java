package clipcl.tensor;

/** Stride arithmetic for views. */
final class Views {
    private Views() { }

    /**
     * Strides that present (oldDims, oldStrides) as newDims without copying, or null when the
     * layout does not allow it. Same algorithm as PyTorch's computeStride: walk chunks of old
     * dimensions that are contiguous with each other and split them into new dimensions.
     */
    static int[] viewStrides(int[] oldDims, int[] oldStrides, int[] newDims) {
        int[] ns = new int[newDims.length];
        long numel = 1;
        for (int d : oldDims) numel *= d;
        if (numel == 0) {
            int acc = 1;
            for (int i = newDims.length - 1; i >= 0; i--) { ns[i] = acc; acc *= Math.max(newDims[i], 1); }
            return ns;
        }
        int viewD = newDims.length - 1;
        long chunkBase = oldStrides.length == 0 ? 1 : oldStrides[oldStrides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int td = oldDims.length - 1; td >= 0; td--) {
            tensorNumel *= oldDims[td];
            if (td == 0 || (oldDims[td - 1] != 1 && oldStrides[td - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newDims[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newDims[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (td > 0) {
                    chunkBase = oldStrides[td - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            // remaining new dims are all 1
            for (; viewD >= 0; viewD--) {
                if (newDims[viewD] != 1) return null;
                ns[viewD] = 1;
            }
        }
        return ns;
    }
}
