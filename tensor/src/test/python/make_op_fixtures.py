#!/usr/bin/env python3
"""Writes tensor/src/test/resources/fixtures/ops.json: PyTorch's float64 answers for the tensor ops,
which TorchFixtureTest checks the reference backend (and the vector backend, in float32) against.

Run from the repository root:  /usr/bin/python3 tensor/src/test/python/make_op_fixtures.py
Needs torch (Debian's python3-torch 1.13 is what the committed file was made with) and numpy.
Each case: {"op", "args", "inputs": [{"shape", "dtype", "data"}], "output": {"shape", "dtype", "data"}};
non-finite numbers are the strings "nan", "inf", "-inf" (JSON has no literal for them).
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20240601)
cases = []


def enc(x):
    if isinstance(x, float) or isinstance(x, np.floating):
        x = float(x)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    return int(x)


def pack(t):
    t = t.detach()
    dtype = {torch.float64: "F64", torch.int64: "I32", torch.int32: "I32", torch.float32: "F32",
             torch.bool: "F64"}[t.dtype]
    if t.dtype == torch.bool:
        t = t.double()
    return {"shape": list(t.shape), "dtype": dtype, "data": [enc(v) for v in t.reshape(-1).tolist()]}


def rand(*shape, lo=-2.0, hi=2.0):
    return torch.tensor(rng.uniform(lo, hi, size=shape))


def add(op, inputs, out, **args):
    cases.append({"op": op, "args": args, "inputs": [pack(t) for t in inputs], "output": pack(out)})


# ---- unary
unary = {
    "neg": torch.neg, "abs": torch.abs, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
    "rsqrt": torch.rsqrt, "reciprocal": torch.reciprocal, "square": torch.square, "tanh": torch.tanh,
    "sigmoid": torch.sigmoid, "relu": torch.relu, "gelu": F.gelu,
    "quick_gelu": lambda x: x * torch.sigmoid(1.702 * x),
}
positive = {"log", "sqrt", "rsqrt"}
for name, f in unary.items():
    x = rand(3, 5, lo=0.05, hi=4.0) if name in positive else rand(3, 5, lo=-6.0, hi=6.0)
    add(name, [x], f(x))

# ---- binary, with broadcasting, and scalar forms
binary = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
          "maximum": torch.maximum, "minimum": torch.minimum}
for name, f in binary.items():
    a = rand(2, 3, 4, lo=0.1, hi=3.0) if name == "pow" else rand(2, 3, 4)
    b = rand(3, 1, lo=0.5, hi=2.0) if name in ("pow", "div") else rand(3, 1)
    add(name, [a, b], f(a, b))
    add(name, [b, a], f(b, a))
for name, f in {"add": torch.add, "mul": torch.mul, "pow": torch.pow, "div": torch.div}.items():
    a = rand(4, 3, lo=0.1, hi=3.0)
    add(name + "_scalar", [a], f(a, 1.75), scalar=1.75)
cmp = {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge}
for name, f in cmp.items():
    a = torch.tensor(rng.integers(-2, 3, size=(3, 4))).double()
    b = torch.tensor(rng.integers(-2, 3, size=(4,))).double()
    add(name, [a, b], f(a, b))

c = torch.tensor(rng.integers(0, 2, size=(3, 4))).double()
a, b = rand(3, 4), rand(4)
add("where", [c, a, b], torch.where(c != 0, a, b))
m = torch.tensor(rng.integers(0, 2, size=(4,))).double()
add("masked_fill", [a, m], a.masked_fill(m != 0, -1e9), value=-1e9)

# ---- reductions
x = rand(3, 4, 5)
for d in (0, 1, 2, -1):
    for keep in (False, True):
        add("sum", [x], x.sum(d, keepdim=keep), dim=d, keepdim=keep)
        add("mean", [x], x.mean(d, keepdim=keep), dim=d, keepdim=keep)
        add("max", [x], x.amax(d, keepdim=keep), dim=d, keepdim=keep)
        add("min", [x], x.amin(d, keepdim=keep), dim=d, keepdim=keep)
        add("var", [x], x.var(d, keepdim=keep, unbiased=True), dim=d, keepdim=keep, unbiased=True)
        add("var", [x], x.var(d, keepdim=keep, unbiased=False), dim=d, keepdim=keep, unbiased=False)
xi = torch.tensor(rng.integers(-3, 4, size=(4, 6))).double()  # ties: the first index wins
for d in (0, 1):
    add("argmax", [xi], xi.argmax(d), dim=d)
    add("argmin", [xi], xi.argmin(d), dim=d)
add("sum_dims", [x], x.sum((0, 2)), dims=[0, 2], keepdim=False)
add("sum_all", [x], x.sum())

# ---- normalisation
s = rand(2, 3, 7, lo=-8, hi=8)
for d in (0, 1, 2):
    add("softmax", [s], torch.softmax(s, d), dim=d)
    add("log_softmax", [s], torch.log_softmax(s, d), dim=d)
x = rand(4, 16, lo=-3, hi=5)
w, b = rand(16), rand(16)
add("layer_norm", [x, w, b], F.layer_norm(x, (16,), w, b, 1e-5), eps=1e-5)
add("layer_norm_plain", [x], F.layer_norm(x, (16,), None, None, 1e-5), eps=1e-5)
add("normalize", [x], F.normalize(x, dim=-1, eps=1e-12), dim=-1, eps=1e-12)
add("normalize", [x], F.normalize(x, dim=0, eps=1e-12), dim=0, eps=1e-12)

# ---- linear algebra and conv
for sa, sb in (((3, 4), (4, 5)), ((2, 3, 4), (4, 2)), ((2, 1, 3, 4), (3, 4, 2)), ((4,), (4, 3)), ((3, 4), (4,)), ((5,), (5,))):
    a, b = rand(*sa), rand(*sb)
    add("matmul", [a, b], torch.matmul(a, b))
img, wt, bias = rand(2, 3, 9, 8), rand(4, 3, 4, 4), rand(4)
add("conv2d_patch", [img, wt, bias], F.conv2d(img, wt, bias, stride=4))

# ---- indexing and joins
t = rand(5, 3)
add("index_select", [t, torch.tensor([4, 0, 0, 2])], t.index_select(0, torch.tensor([4, 0, 0, 2])), dim=0)
add("index_select", [t, torch.tensor([2, 1])], t.index_select(1, torch.tensor([2, 1])), dim=1)
idx = torch.tensor(rng.integers(0, 3, size=(5, 2)))
add("gather", [t, idx], torch.gather(t, 1, idx), dim=1)
ids = torch.tensor([[3, 1], [0, 4]])
add("embedding", [t, ids], F.embedding(ids, t))
u, v = rand(2, 3), rand(1, 3)
add("cat", [u, v], torch.cat([u, v], 0), dim=0)
add("stack", [u, u * 2], torch.stack([u, u * 2], 1), dim=1)

# ---- IEEE special values, as torch has them
nan, inf = float("nan"), float("inf")
sp = torch.tensor([[1.0, nan, 3.0], [-inf, 0.0, inf], [2.0, 2.0, -1.0]])
add("max", [sp], sp.amax(1), dim=1, keepdim=False)
add("min", [sp], sp.amin(1), dim=1, keepdim=False)
add("argmax", [sp], sp.argmax(1), dim=1)
add("argmin", [sp], sp.argmin(1), dim=1)
add("sum", [sp], sp.sum(1), dim=1, keepdim=False)
add("softmax", [sp], torch.softmax(sp, 1), dim=1)
ninf = torch.tensor([[-inf, -inf], [-inf, 0.0], [inf, 0.0], [inf, inf]])
add("softmax", [ninf], torch.softmax(ninf, 1), dim=1)
add("log_softmax", [ninf], torch.log_softmax(ninf, 1), dim=1)
e = torch.tensor([-1000.0, -50.0, 0.0, 50.0, 709.0, 710.0, 1000.0, inf, -inf, nan])
add("exp", [e], torch.exp(e))
add("sigmoid", [e], torch.sigmoid(e))
add("tanh", [e], torch.tanh(e))
add("relu", [e], torch.relu(e))
add("gelu", [e], F.gelu(e))
lg = torch.tensor([0.0, -0.0, -1.0, inf, -inf, nan, 1e-300, 1.0])
add("log", [lg], torch.log(lg))
add("sqrt", [lg], torch.sqrt(lg))
add("maximum", [torch.tensor([nan, 1.0, -inf]), torch.tensor([0.0, nan, inf])],
    torch.maximum(torch.tensor([nan, 1.0, -inf]), torch.tensor([0.0, nan, inf])))
add("div", [torch.tensor([1.0, -1.0, 0.0, inf]), torch.tensor([0.0, 0.0, 0.0, inf])],
    torch.tensor([1.0, -1.0, 0.0, inf]) / torch.tensor([0.0, 0.0, 0.0, inf]))
add("eq", [torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0])], torch.eq(torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0])))
add("ne", [torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0])], torch.ne(torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0])))

# ---- dtype conversions: rounding to bfloat16 / float16 (ties to even, overflow), float -> int truncation
vals = [1.0, 1.00390625, 1.01171875, 1.0078125, -2.5, 3.14159265, 65504.0, 65520.0, 1e-8, 3.0e38, -0.0, 1e-40,
        0.333333333, 100000.0, nan, inf, -inf]
conv = torch.tensor(vals)
add("to_bf16", [conv], conv.float().bfloat16().double())
add("to_f16", [conv], conv.float().half().double())
add("to_f32", [conv], conv.float().double())
ti = torch.tensor([2.7, -2.7, 0.5, -0.5, 7.0, -7.999])
add("to_i32", [ti], ti.int().long())

out = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "ops.json")
with open(out, "w") as f:
    json.dump({"generator": "tensor/src/test/python/make_op_fixtures.py", "torch": torch.__version__, "cases": cases}, f,
              separators=(",", ":"))
print(f"wrote {len(cases)} cases to {os.path.normpath(out)} ({os.path.getsize(out)} bytes)")
