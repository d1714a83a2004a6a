#!/usr/bin/python3
"""Golden fixtures for the ModifiedResNet CLIP (clipcl.clip.model.ResNetGoldenTest).

A tiny CLIP with OpenAI's ResNet image tower: the classes Bottleneck, AttentionPool2d and
ModifiedResNet are written out below as in OpenAI's clip/model.py; the text tower and helpers come
from make_weight_fixtures.py. Every parameter and batch-norm statistic gets a random non-default
value. Written under resources/resnet/:

  state_dict.pt           torch.save(model.state_dict())       (zip, float32, int64 num_batches_tracked)
  openai.safetensors      the same tensors as safetensors
  torchscript.pt          torch.jit.trace(model).save(), conv/linear/projection weights fp16 as OpenAI's
                          convert_weights does, plus OpenAI's int64 buffers input_resolution, ...
  images.npy, text_ids.npy                 inputs
  image_features.npy, text_features.npy, logits_per_image.npy
                          eval mode (running statistics), float32 weights
  torchscript_*.npy       the same from the TorchScript archive's (fp16-rounded) weights
  train_loss.npy          training mode (batch statistics): the symmetric contrastive loss
                          (cross-entropy of logits_per_image and of its transpose, averaged)
  train_grads.safetensors every parameter's gradient of that loss
  train_buffers.safetensors  running_mean / running_var after that forward (momentum 0.1)
  config.json             open_clip's model config (vision_cfg.layers as a list)

Run from the repository root:  /usr/bin/python3 clip-model/src/test/python/make_resnet_golden.py
Needs torch (1.13 tested) and numpy only.
"""
import json
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_weight_fixtures as fx  # noqa: E402  (text tower classes, fp16 conversion, safetensors writer)

OUT = os.path.join(HERE, "..", "resources", "resnet")

EMBED_DIM = 12
IMAGE_SIZE, V_LAYERS, V_WIDTH = 64, [1, 2, 1, 1], 4      # attention pool: 4 * 32 = 128 wide, 2 heads, 2x2 map
CONTEXT, VOCAB, T_WIDTH, T_LAYERS, T_HEADS = 8, 50, 64, 1, 1  # OpenAI head width 64: the config is inferable


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.relu2 = nn.ReLU(inplace=True)
        self.avgpool = nn.AvgPool2d(stride) if stride > 1 else nn.Identity()
        self.conv3 = nn.Conv2d(planes, planes * self.expansion, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu3 = nn.ReLU(inplace=True)
        self.downsample = None
        self.stride = stride
        if stride > 1 or inplanes != planes * Bottleneck.expansion:
            self.downsample = nn.Sequential(OrderedDict([
                ("-1", nn.AvgPool2d(stride)),
                ("0", nn.Conv2d(inplanes, planes * self.expansion, 1, stride=1, bias=False)),
                ("1", nn.BatchNorm2d(planes * self.expansion)),
            ]))

    def forward(self, x):
        identity = x
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.relu2(self.bn2(self.conv2(out)))
        out = self.avgpool(out)
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu3(out)


class AttentionPool2d(nn.Module):
    def __init__(self, spacial_dim, embed_dim, num_heads, output_dim=None):
        super().__init__()
        self.positional_embedding = nn.Parameter(torch.randn(spacial_dim ** 2 + 1, embed_dim) / embed_dim ** 0.5)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.c_proj = nn.Linear(embed_dim, output_dim or embed_dim)
        self.num_heads = num_heads

    def forward(self, x):
        x = x.reshape(x.shape[0], x.shape[1], x.shape[2] * x.shape[3]).permute(2, 0, 1)  # NCHW -> (HW)NC
        x = torch.cat([x.mean(dim=0, keepdim=True), x], dim=0)
        x = x + self.positional_embedding[:, None, :].to(x.dtype)
        x, _ = F.multi_head_attention_forward(
            query=x, key=x, value=x, embed_dim_to_check=x.shape[-1], num_heads=self.num_heads,
            q_proj_weight=self.q_proj.weight, k_proj_weight=self.k_proj.weight, v_proj_weight=self.v_proj.weight,
            in_proj_weight=None, in_proj_bias=torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]),
            bias_k=None, bias_v=None, add_zero_attn=False, dropout_p=0,
            out_proj_weight=self.c_proj.weight, out_proj_bias=self.c_proj.bias,
            use_separate_proj_weight=True, training=self.training, need_weights=False)
        return x[0]


class ModifiedResNet(nn.Module):
    def __init__(self, layers, output_dim, heads, input_resolution=224, width=64):
        super().__init__()
        self.output_dim = output_dim
        self.input_resolution = input_resolution
        self.conv1 = nn.Conv2d(3, width // 2, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width // 2)
        self.conv2 = nn.Conv2d(width // 2, width // 2, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width // 2)
        self.conv3 = nn.Conv2d(width // 2, width, kernel_size=3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(width)
        self.avgpool = nn.AvgPool2d(2)
        self.relu = nn.ReLU(inplace=True)
        self._inplanes = width
        self.layer1 = self._make_layer(width, layers[0])
        self.layer2 = self._make_layer(width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(width * 8, layers[3], stride=2)
        embed_dim = width * 32
        self.attnpool = AttentionPool2d(input_resolution // 32, embed_dim, heads, output_dim)

    def _make_layer(self, planes, blocks, stride=1):
        layers = [Bottleneck(self._inplanes, planes, stride)]
        self._inplanes = planes * Bottleneck.expansion
        for _ in range(1, blocks):
            layers.append(Bottleneck(self._inplanes, planes))
        return nn.Sequential(*layers)

    def forward(self, x):
        def stem(x):
            for conv, bn in [(self.conv1, self.bn1), (self.conv2, self.bn2), (self.conv3, self.bn3)]:
                x = self.relu(bn(conv(x)))
            return self.avgpool(x)

        x = x.type(self.conv1.weight.dtype)
        x = stem(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        return self.attnpool(x)


class ResNetCLIP(fx.CLIP):
    """OpenAI's CLIP with vision_layers a tuple: the ModifiedResNet tower, vision_heads = width * 32 // 64."""

    def __init__(self):
        nn.Module.__init__(self)
        self.visual = ModifiedResNet(V_LAYERS, EMBED_DIM, V_WIDTH * 32 // 64, IMAGE_SIZE, V_WIDTH)
        mask = torch.empty(CONTEXT, CONTEXT).fill_(float("-inf")).triu_(1)
        self.transformer = fx.Transformer(T_WIDTH, T_LAYERS, T_HEADS, attn_mask=mask)
        self.token_embedding = nn.Embedding(VOCAB, T_WIDTH)
        self.positional_embedding = nn.Parameter(torch.empty(CONTEXT, T_WIDTH))
        self.ln_final = fx.LayerNorm(T_WIDTH)
        self.text_projection = nn.Parameter(torch.empty(T_WIDTH, EMBED_DIM))
        self.logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))


def perturb(model, gen):
    """Random parameters (gains near 1) and running statistics (variances positive)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "logit_scale":
                p.fill_(2.0 + 0.3 * torch.rand((), generator=gen).item())
            elif ".bn" in name and name.endswith("weight") or name.endswith(("downsample.1.weight", "ln_1.weight", "ln_2.weight", "ln_final.weight")):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.startswith("visual.") and "attnpool" not in name and name.endswith("weight") and p.dim() == 4:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=gen) * (2.0 / fan_in) ** 0.5)  # He: activations keep their scale
            else:
                p.copy_((0.1 + 0.1 * torch.rand((), generator=gen)) * torch.randn(p.shape, generator=gen))
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn(b.shape, generator=gen))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
            elif name.endswith("num_batches_tracked"):
                b.fill_(7)


def outputs(sd, images, ids):
    model = ResNetCLIP().float()
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in sd.items()})
    model.eval()
    with torch.no_grad():
        img = model.encode_image(images)
        txt = model.encode_text(ids)
        logits, _ = model(images, ids)
    return img.numpy(), txt.numpy(), logits.numpy()


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(2024)
    torch.manual_seed(0)
    model = ResNetCLIP()
    perturb(model, gen)
    sd = OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())
    torch.save(sd, os.path.join(OUT, "state_dict.pt"))
    fx.write_safetensors(os.path.join(OUT, "openai.safetensors"), {k: v for k, v in sd.items()})

    images = torch.randn(3, 3, IMAGE_SIZE, IMAGE_SIZE, generator=gen)
    sot, eot = VOCAB - 2, VOCAB - 1
    ids = torch.zeros(3, CONTEXT, dtype=torch.long)
    for row, length in enumerate([3, 8, 5]):
        ids[row, 0] = sot
        ids[row, 1:length - 1] = torch.randint(1, VOCAB - 2, (length - 2,), generator=gen)
        ids[row, length - 1] = eot
    np.save(os.path.join(OUT, "images.npy"), images.numpy())
    np.save(os.path.join(OUT, "text_ids.npy"), ids.numpy().astype(np.int32))
    for name, arr in zip(["image_features", "text_features", "logits_per_image"], outputs(sd, images, ids)):
        np.save(os.path.join(OUT, name + ".npy"), arr)

    # TorchScript as OpenAI released theirs: traced in float32, then weights halved in place.
    half = ResNetCLIP().eval()
    half.load_state_dict(sd)
    fx.convert_weights_fp16(half)
    half_keys = {k for k, v in half.state_dict().items() if v.dtype == torch.float16}
    with torch.no_grad():
        ref = ResNetCLIP().eval()
        ref.load_state_dict(sd)
        ref.register_buffer("input_resolution", torch.tensor(IMAGE_SIZE))
        ref.register_buffer("context_length", torch.tensor(CONTEXT))
        ref.register_buffer("vocab_size", torch.tensor(VOCAB))
        traced = torch.jit.trace(ref, (images, ids))
        for name, p in traced.named_parameters():
            if name in half_keys:
                p.data = p.data.half()
    path = os.path.join(OUT, "torchscript.pt")
    traced.save(path)
    ts = torch.jit.load(path).state_dict()
    assert any(v.dtype == torch.float16 for v in ts.values())
    ts = {k: v for k, v in ts.items() if k not in ("input_resolution", "context_length", "vocab_size")}
    for name, arr in zip(["image_features", "text_features", "logits_per_image"], outputs(ts, images, ids)):
        np.save(os.path.join(OUT, "torchscript_" + name + ".npy"), arr)

    # Training mode: batch statistics, running statistics updated, gradients of the CLIP loss.
    model = ResNetCLIP()
    model.load_state_dict(sd)
    model.train()
    logits, logits_t = model(images, ids)
    labels = torch.arange(3)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits_t, labels)) / 2
    loss.backward()
    np.save(os.path.join(OUT, "train_loss.npy"), np.array([loss.item()], dtype=np.float32))
    fx.write_safetensors(os.path.join(OUT, "train_grads.safetensors"),
                         {k: p.grad.detach().clone() for k, p in model.named_parameters()})
    fx.write_safetensors(os.path.join(OUT, "train_buffers.safetensors"),
                         {k: b.detach().clone() for k, b in model.named_buffers() if k.endswith(("running_mean", "running_var"))})

    config = {
        "embed_dim": EMBED_DIM, "quick_gelu": True,
        "vision_cfg": {"image_size": IMAGE_SIZE, "layers": V_LAYERS, "width": V_WIDTH, "patch_size": None},
        "text_cfg": {"context_length": CONTEXT, "vocab_size": VOCAB, "width": T_WIDTH,
                     "heads": T_HEADS, "layers": T_LAYERS},
    }
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
