package clipcl.clip.weights;

/** The kinds of weight file {@link WeightLoader} reads, told apart by their first bytes and contents. */
public enum WeightFormat {
    /** A TorchScript archive from {@code torch.jit.save}, as OpenAI released CLIP ({@code ViT-B-32.pt}). */
    TORCHSCRIPT("TorchScript archive"),
    /** A {@code torch.save} zip of a state dict, possibly wrapped as {'state_dict': ...} (open_clip .pt/.bin). */
    TORCH_SAVE("torch.save state dict"),
    /** A safetensors file. */
    SAFETENSORS("safetensors");

    private final String description;

    WeightFormat(String description) { this.description = description; }

    public String description() { return description; }
}
