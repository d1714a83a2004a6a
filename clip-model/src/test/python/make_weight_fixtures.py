#!/usr/bin/python3
"""Weight-file fixtures for clip-model's weight loader tests (clipcl.clip.weights).

Builds a tiny CLIP with OpenAI's architecture (module classes written out below, as in OpenAI's
clip/model.py), gives every parameter a random non-default value, and saves it in each format the
Java loader reads:

  state_dict.pt              torch.save(model.state_dict())               (zip, float32)
  openclip_checkpoint.pt     {'epoch', 'name', 'state_dict': {'module.' + k: bf16}, 'optimizer': ...}
  torchscript.pt             torch.jit.trace(model).save(), linear/conv/proj weights fp16 as OpenAI's
                             convert_weights does, plus the int64 buffers input_resolution,
                             context_length, vocab_size that OpenAI's released archives carry
  openai.safetensors         OpenAI names, float32 (written by hand: no safetensors package here)
  hf.safetensors             Hugging Face CLIPModel names (q/k/v split, projections transposed,
                             position_ids buffers), float16 for a few tensors
  views.pt                   tensors that are views (offset, strides) into shared storages
  expected.safetensors       the float32 state dict every loaded file must reproduce
  views_expected.safetensors contiguous float32 copies of views.pt's tensors
  scripted.pt                torch.jit.script of a small module with a non-parameter tensor attribute
  scripted_expected.safetensors  its state_dict(), float32
  uint8.pt                   a uint8 tensor: a storage type the loader rejects
  manifest.json              which keys are stored fp16 / bf16, and the TorchScript state_dict() keys

Run from the repository root:  /usr/bin/python3 clip-model/src/test/python/make_weight_fixtures.py
Needs torch (1.13 tested) and numpy only.
"""
import collections
import json
import os
import struct

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "weights")

# Deliberately different sizes per tower so a transposed or swapped tensor cannot pass for another.
EMBED_DIM = 12
IMAGE_SIZE, PATCH, V_WIDTH, V_LAYERS, V_HEADS = 16, 8, 24, 2, 2
CONTEXT, VOCAB, T_WIDTH, T_LAYERS, T_HEADS = 8, 50, 16, 2, 2


class LayerNorm(nn.LayerNorm):
    def forward(self, x):
        orig = x.dtype
        return super().forward(x.float()).type(orig)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = LayerNorm(d_model)
        self.mlp = nn.Sequential(collections.OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = LayerNorm(d_model)
        self.attn_mask = attn_mask

    def attention(self, x):
        m = self.attn_mask.to(dtype=x.dtype, device=x.device) if self.attn_mask is not None else None
        return self.attn(x, x, x, need_weights=False, attn_mask=m)[0]

    def forward(self, x):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution, patch_size, width, layers, heads, output_dim):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x).permute(1, 0, 2)
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class CLIP(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = VisionTransformer(IMAGE_SIZE, PATCH, V_WIDTH, V_LAYERS, V_HEADS, EMBED_DIM)
        mask = torch.empty(CONTEXT, CONTEXT).fill_(float("-inf")).triu_(1)
        self.transformer = Transformer(T_WIDTH, T_LAYERS, T_HEADS, attn_mask=mask)
        self.token_embedding = nn.Embedding(VOCAB, T_WIDTH)
        self.positional_embedding = nn.Parameter(torch.empty(CONTEXT, T_WIDTH))
        self.ln_final = LayerNorm(T_WIDTH)
        self.text_projection = nn.Parameter(torch.empty(T_WIDTH, EMBED_DIM))
        self.logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))

    @property
    def dtype(self):
        return self.visual.conv1.weight.dtype

    def encode_image(self, image):
        return self.visual(image.type(self.dtype))

    def encode_text(self, text):
        x = self.token_embedding(text).type(self.dtype) + self.positional_embedding.type(self.dtype)
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x).type(self.dtype)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection

    def forward(self, image, text):
        i = self.encode_image(image)
        t = self.encode_text(text)
        i = i / i.norm(dim=1, keepdim=True)
        t = t / t.norm(dim=1, keepdim=True)
        li = self.logit_scale.exp() * i @ t.t()
        return li, li.t()


class Scripted(nn.Module):
    """A small module for torch.jit.script: parameters, an fp16 parameter, a buffer, a plain tensor attribute."""

    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(5)
        self.fc = nn.Linear(3, 2)
        self.scale = nn.Parameter(torch.randn(2, generator=g).half())
        self.register_buffer("counts", torch.tensor([4, 5, 6]))
        self.mask = torch.randn(2, 2, generator=g)  # not a parameter or buffer
        self.blocks = nn.Sequential(nn.LayerNorm(2), nn.Linear(2, 2, bias=False))
        with torch.no_grad():
            for p in [self.fc.weight, self.fc.bias, self.blocks[0].weight, self.blocks[0].bias, self.blocks[1].weight]:
                p.copy_(torch.randn(p.shape, generator=g))

    def forward(self, x):
        return self.blocks(self.fc(x) * self.scale.float()) @ self.mask


def perturb(model, gen):
    """Every parameter random, away from the 0/1 initial values of biases, LayerNorms and logit_scale."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "logit_scale":
                p.fill_(4.1 + 0.3 * torch.rand((), generator=gen).item())
            elif name.endswith(("ln_1.weight", "ln_2.weight", "ln_pre.weight", "ln_post.weight", "ln_final.weight")):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_((0.1 + 0.1 * torch.rand((), generator=gen)) * torch.randn(p.shape, generator=gen))


def convert_weights_fp16(model):
    """OpenAI's clip.model.convert_weights: linear/conv/attention weights and the projections to fp16."""
    def _convert(m):
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear)):
            m.weight.data = m.weight.data.half()
            if m.bias is not None:
                m.bias.data = m.bias.data.half()
        if isinstance(m, nn.MultiheadAttention):
            for attr in ["in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v"]:
                t = getattr(m, attr)
                if t is not None:
                    t.data = t.data.half()
        for name in ["text_projection", "proj"]:
            if hasattr(m, name):
                a = getattr(m, name)
                if a is not None:
                    a.data = a.data.half()
    model.apply(_convert)


ST_DTYPES = {torch.float32: ("F32", np.float32), torch.float16: ("F16", np.float16),
             torch.int64: ("I64", np.int64)}


def write_safetensors(path, tensors):
    """The safetensors layout by hand: u64 header length, JSON header, raw little-endian data."""
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        code, npt = ST_DTYPES[t.dtype]
        b = t.numpy().astype(npt).astype(np.dtype(npt).newbyteorder("<")).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def to_hf(sd):
    """OpenAI names -> Hugging Face CLIPModel names, written independently of the Java mapping."""
    hf = {}

    def tower(prefix_in, prefix_out, layers):
        for i in range(layers):
            a = f"{prefix_in}transformer.resblocks.{i}."
            b = f"{prefix_out}encoder.layers.{i}."
            w, bias = sd[a + "attn.in_proj_weight"], sd[a + "attn.in_proj_bias"]
            for j, qkv in enumerate(["q_proj", "k_proj", "v_proj"]):
                n = w.shape[0] // 3
                hf[b + f"self_attn.{qkv}.weight"] = w[j * n:(j + 1) * n]
                hf[b + f"self_attn.{qkv}.bias"] = bias[j * n:(j + 1) * n]
            for x in ["weight", "bias"]:
                hf[b + f"self_attn.out_proj.{x}"] = sd[a + f"attn.out_proj.{x}"]
                hf[b + f"layer_norm1.{x}"] = sd[a + f"ln_1.{x}"]
                hf[b + f"layer_norm2.{x}"] = sd[a + f"ln_2.{x}"]
                hf[b + f"mlp.fc1.{x}"] = sd[a + f"mlp.c_fc.{x}"]
                hf[b + f"mlp.fc2.{x}"] = sd[a + f"mlp.c_proj.{x}"]

    tower("visual.", "vision_model.", V_LAYERS)
    tower("", "text_model.", T_LAYERS)
    hf["vision_model.embeddings.class_embedding"] = sd["visual.class_embedding"]
    hf["vision_model.embeddings.patch_embedding.weight"] = sd["visual.conv1.weight"]
    hf["vision_model.embeddings.position_embedding.weight"] = sd["visual.positional_embedding"]
    hf["vision_model.embeddings.position_ids"] = torch.arange(sd["visual.positional_embedding"].shape[0]).unsqueeze(0)
    for x in ["weight", "bias"]:
        hf[f"vision_model.pre_layrnorm.{x}"] = sd[f"visual.ln_pre.{x}"]
        hf[f"vision_model.post_layernorm.{x}"] = sd[f"visual.ln_post.{x}"]
        hf[f"text_model.final_layer_norm.{x}"] = sd[f"ln_final.{x}"]
    hf["visual_projection.weight"] = sd["visual.proj"].t()
    hf["text_model.embeddings.token_embedding.weight"] = sd["token_embedding.weight"]
    hf["text_model.embeddings.position_embedding.weight"] = sd["positional_embedding"]
    hf["text_model.embeddings.position_ids"] = torch.arange(CONTEXT).unsqueeze(0)
    hf["text_projection.weight"] = sd["text_projection"].t()
    hf["logit_scale"] = sd["logit_scale"]
    return hf


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(20240607)
    torch.manual_seed(7)
    model = CLIP().eval()
    perturb(model, gen)
    sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
    manifest = {"config": {"embed_dim": EMBED_DIM, "image_size": IMAGE_SIZE, "patch_size": PATCH,
                           "vision_width": V_WIDTH, "vision_layers": V_LAYERS, "context_length": CONTEXT,
                           "vocab_size": VOCAB, "text_width": T_WIDTH, "text_layers": T_LAYERS},
                "keys": list(sd.keys())}

    write_safetensors(os.path.join(OUT, "expected.safetensors"), sd)
    torch.save(model.state_dict(), os.path.join(OUT, "state_dict.pt"))
    write_safetensors(os.path.join(OUT, "openai.safetensors"), sd)

    # open_clip's training checkpoint: wrapped, DDP 'module.' prefixes, here stored as bfloat16.
    ckpt = {"epoch": 3, "name": "tiny", "state_dict": collections.OrderedDict(
        ("module." + k, v.to(torch.bfloat16)) for k, v in sd.items()),
        "optimizer": {"state": {0: {"step": torch.tensor(5.0), "exp_avg": torch.zeros(3)}},
                      "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.98), "params": [0]}]}}
    torch.save(ckpt, os.path.join(OUT, "openclip_checkpoint.pt"))

    # Hugging Face naming; a few tensors fp16 so that path is exercised through the mapping too.
    hf = to_hf(sd)
    hf_half = ["vision_model.encoder.layers.0.self_attn.k_proj.weight", "text_projection.weight",
               "text_model.encoder.layers.1.mlp.fc1.weight"]
    for k in hf_half:
        hf[k] = hf[k].half()
    write_safetensors(os.path.join(OUT, "hf.safetensors"), hf)
    manifest["hf_half_keys"] = hf_half

    # TorchScript archive as OpenAI released them: traced, fp16 weights, extra int64 buffers.
    jit_model = CLIP().eval()
    jit_model.load_state_dict(sd)
    convert_weights_fp16(jit_model)
    jit_model.register_buffer("input_resolution", torch.tensor(IMAGE_SIZE))
    jit_model.register_buffer("context_length", torch.tensor(CONTEXT))
    jit_model.register_buffer("vocab_size", torch.tensor(VOCAB))
    half_keys = [k for k, v in jit_model.state_dict().items() if v.dtype == torch.float16]
    image = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE, generator=gen)
    text = torch.randint(1, VOCAB - 1, (2, CONTEXT), generator=gen)
    with torch.no_grad():
        # fp16 matmuls are not implemented on the CPU, so trace a float copy and then halve the
        # traced module's parameters in place: the archive stores what the module holds.
        ref = CLIP().eval()
        ref.load_state_dict(sd)
        for n in ["input_resolution", "context_length", "vocab_size"]:
            ref.register_buffer(n, getattr(jit_model, n).clone())
        traced = torch.jit.trace(ref, (image, text))
        for name, p in traced.named_parameters():
            if name in half_keys:
                p.data = p.data.half()
    path = os.path.join(OUT, "torchscript.pt")
    traced.save(path)
    loaded = torch.jit.load(path)
    manifest["torchscript_keys"] = list(loaded.state_dict().keys())
    manifest["torchscript_half_keys"] = [k for k, v in loaded.state_dict().items() if v.dtype == torch.float16]
    for k, v in loaded.state_dict().items():
        if k in sd:
            assert torch.equal(v.float(), sd[k].half().float() if k in half_keys else sd[k]), k

    # Views: offsets, strides and storages shared between several entries.
    base = torch.arange(20, dtype=torch.float32).reshape(4, 5) * 0.5 - 3.0
    hbase = (torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1.0).half()
    views = collections.OrderedDict([
        ("base", base), ("rows", base[1:3]), ("transposed", base.t()), ("column", base[:, 2]),
        ("strided", base[::2, 1::2]), ("scalar", base[2, 3]), ("half_t", hbase.t()), ("half_row", hbase[2]),
        ("long", torch.tensor([3, -4, 5], dtype=torch.int64))])
    torch.save(views, os.path.join(OUT, "views.pt"))
    write_safetensors(os.path.join(OUT, "views_expected.safetensors"),
                      {k: (v.float() if v.is_floating_point() else v).contiguous() for k, v in views.items()})

    # A scripted (not traced) module: a plain tensor attribute is stored in data.pkl but is not in
    # state_dict(); the class declarations under code/ say which attributes are parameters/buffers.
    scripted = torch.jit.script(Scripted().eval())
    spath = os.path.join(OUT, "scripted.pt")
    scripted.save(spath)
    sl = torch.jit.load(spath)
    manifest["scripted_keys"] = list(sl.state_dict().keys())
    write_safetensors(os.path.join(OUT, "scripted_expected.safetensors"),
                      {k: v.float() if v.is_floating_point() else v for k, v in sl.state_dict().items()})

    # A storage type the loader does not read (uint8), for its error message.
    torch.save({"mask": torch.tensor([1, 0, 1], dtype=torch.uint8)}, os.path.join(OUT, "uint8.pt"))

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
