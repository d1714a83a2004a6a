#!/usr/bin/env python3
"""PyTorch's side of the CLIP training-step benchmark: OpenAI's ViT-B/32 CLIP (both towers, written
out as OpenAI's clip/model.py builds them: pre-LN residual blocks, QuickGELU, nn.MultiheadAttention
with need_weights=False, the causal text mask, EOT pooling), the symmetric contrastive loss, fused
AdamW, eager mode with BF16 autocast and FP32 master weights. Random images and token ids.

The step is the one clipcl's TrainStepBench times: forward, loss, backward, global-norm clipping at
1.0, AdamW, the logit scale clamped. Prints `bench <name> <value> <unit>` lines under the names
TrainStepBench uses (`train_step_vit_b_32_b<B>_samples_per_s`, `..._ms`, `..._peak_mem`), which
scripts/gpu-run.sh pairs.

    python3 scripts/gpu_train_torch.py [batch] [steps]
"""
import sys
import time
from collections import OrderedDict

import torch
from torch import nn
import torch.nn.functional as F


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(width * 4, width))]))
        self.ln_2 = nn.LayerNorm(width)
        self.attn_mask = attn_mask

    def forward(self, x):
        mask = None if self.attn_mask is None else self.attn_mask.to(dtype=x.dtype, device=x.device)
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, resolution=224, patch=32, width=768, layers=12, heads=12, output_dim=512):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((resolution // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)                                   # [B, width, 7, 7]
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)   # [B, 49, width]
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype, device=x.device)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)   # [B, 50, width]
        x = self.ln_pre(x).permute(1, 0, 2)                 # [50, B, width]
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj        # [B, 512]


class Clip(nn.Module):
    def __init__(self, context=77, vocab=49408, width=512, layers=12, heads=8, embed=512):
        super().__init__()
        self.context = context
        self.visual = VisionTransformer(output_dim=embed)
        mask = torch.empty(context, context).fill_(float("-inf")).triu_(1)
        self.transformer = Transformer(width, layers, heads, mask)
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.empty(context, width).normal_(std=0.01))
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.empty(width, embed).normal_(std=width ** -0.5))
        self.logit_scale = nn.Parameter(torch.ones([]) * torch.log(torch.tensor(1 / 0.07)))

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding   # [B, 77, width]
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection

    def forward(self, image, text):
        i = F.normalize(self.visual(image), dim=-1)
        t = F.normalize(self.encode_text(text), dim=-1)
        logits = self.logit_scale.exp() * i @ t.t()
        labels = torch.arange(logits.shape[0], device=logits.device)
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2


def main():
    if not torch.cuda.is_available():
        print("bench skipped: torch sees no CUDA device")
        return
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    dev = torch.device("cuda")
    torch.manual_seed(0)
    model = Clip().to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2, fused=True)
    images = torch.randn(batch, 3, 224, 224, device=dev)
    text = torch.randint(1, 49406, (batch, 77), device=dev)
    eot = torch.randint(5, 77, (batch,), device=dev)
    text[torch.arange(batch, device=dev), eot] = 49407   # EOT is the largest id: argmax finds it
    text = torch.where(torch.arange(77, device=dev)[None, :] > eot[:, None], torch.zeros_like(text), text)

    def step():
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = model(images, text)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, 4.6052)
        return loss

    for _ in range(3):
        step()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        loss = step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    ms = sorted(times)[len(times) // 2] if len(times) % 2 else sum(sorted(times)[len(times) // 2 - 1:len(times) // 2 + 1]) / 2
    name = f"train_step_vit_b_32_b{batch}"
    print(f"torch {torch.__version__}: {steps} steps of batch {batch}, loss {loss.item():.4f}, median {ms:.1f} ms/step", flush=True)
    print(f"bench {name}_samples_per_s {batch / (ms / 1e3):.3f} samples/s", flush=True)
    print(f"bench {name}_ms {ms:.3f} ms", flush=True)
    print(f"bench {name}_peak_mem {torch.cuda.max_memory_allocated()} B", flush=True)

if __name__ == "__main__":
    main()
