package clipcl.autograd.nn;

import java.util.List;

/** Children named "0", "1", ... as torch.nn.ModuleList (so names read "resblocks.3.attn..."). */
public class ModuleList<M extends Module> extends Module {
    private int size;

    public ModuleList() { }

    public ModuleList(List<? extends M> items) { items.forEach(this::add); }

    public final ModuleList<M> add(M m) {
        registerModule(Integer.toString(size++), m);
        return this;
    }

    public final M get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("module list index " + i + " out of range for size " + size);
        return child(Integer.toString(i));
    }

    public final int size() { return size; }
}
