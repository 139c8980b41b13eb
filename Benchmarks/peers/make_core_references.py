"""Writes Tests/FERCoreTests/Fixtures/core_references.json: PyTorch's values for
the core ops and optimizers that the Swift tests compare against
(NormalizationTests, LossTests, OptimizerTests).

Each case stores its inputs as well as torch's outputs, so the test needs no
random generator in common with torch. Gradients are of L = sum(y * r) for a
stored random direction r. All arithmetic is float32, as in FERCore.

Run: python Benchmarks/peers/make_core_references.py   (needs torch)
"""
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "FERCoreTests" / "Fixtures" / "core_references.json"
torch.manual_seed(20240531)


def flat(t):
    # Shortest decimal that reads back as the same float32 (half the digits of a double's repr).
    return [float(str(np.float32(v))) for v in t.detach().reshape(-1).tolist()]


def rand(*shape, scale=1.0, offset=0.0):
    return torch.randn(*shape) * scale + offset


def group_norm_case(shape, groups, offset=0.0):
    x = rand(*shape, scale=2.0, offset=offset).requires_grad_()
    c = shape[1]
    w = rand(c).requires_grad_()
    b = rand(c).requires_grad_()
    y = F.group_norm(x, groups, w, b, eps=1e-5)
    r = rand(*shape)
    (y * r).sum().backward()
    return {"shape": list(shape), "groups": groups, "x": flat(x), "weight": flat(w), "bias": flat(b),
            "direction": flat(r), "y": flat(y), "dx": flat(x.grad), "dweight": flat(w.grad), "dbias": flat(b.grad)}


def batch_norm_case(shape):
    """Two training steps, then an evaluation step; values and gradients of each."""
    c = shape[1]
    bn = torch.nn.BatchNorm2d(c) if len(shape) == 4 else torch.nn.BatchNorm1d(c)
    with torch.no_grad():
        bn.weight.copy_(rand(c))
        bn.bias.copy_(rand(c))
    case = {"shape": list(shape), "weight": flat(bn.weight), "bias": flat(bn.bias), "steps": []}
    for training in [True, True, False]:
        bn.train(training)
        bn.zero_grad()
        x = rand(*shape, scale=1.5, offset=0.5).requires_grad_()
        y = bn(x)
        r = rand(*shape)
        (y * r).sum().backward()
        case["steps"].append({
            "training": training, "x": flat(x), "direction": flat(r), "y": flat(y),
            "dx": flat(x.grad), "dweight": flat(bn.weight.grad), "dbias": flat(bn.bias.grad),
            "running_mean": flat(bn.running_mean), "running_var": flat(bn.running_var)})
    return case


def cross_entropy_case(n, k, weighted, scale=1.0):
    z = rand(n, k, scale=scale).requires_grad_()
    labels = torch.randint(0, k, (n,))
    weights = (torch.rand(k) * 2 + 0.1) if weighted else None
    loss = F.cross_entropy(z, labels, weight=weights)
    loss.backward()
    return {"logits": flat(z), "shape": [n, k], "labels": labels.tolist(),
            "class_weights": flat(weights) if weighted else None, "loss": float(loss.detach()), "dlogits": flat(z.grad)}


def softmax_case(shape):
    x = rand(*shape, scale=3.0).requires_grad_()
    y = torch.softmax(x, dim=-1)
    r = rand(*shape)
    (y * r).sum().backward()
    return {"shape": list(shape), "x": flat(x), "direction": flat(r), "y": flat(y), "dx": flat(x.grad)}


SHAPES = [[3, 2], [4], [2, 1, 3], [3, 7]]  # the last one fills whole SIMD blocks and a tail
STEPS = 4


def optimizer_case(name, make, lr_schedule):
    """Runs `STEPS` steps on three parameters with stored gradients; parameter 1
    has no gradient at step 2 (torch skips it and leaves its state alone)."""
    params = [torch.nn.Parameter(rand(*s)) for s in SHAPES]
    initial = [flat(p) for p in params]
    opt = make(params)
    grads, after = [], []
    for step in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = lr_schedule[step]
        step_grads = []
        for i, p in enumerate(params):
            if i == 1 and step == 2:
                p.grad = None
                step_grads.append(None)
            else:
                g = rand(*p.shape)
                p.grad = g
                step_grads.append(flat(g))
        opt.step()
        grads.append(step_grads)
        after.append([flat(p) for p in params])
    return {"name": name, "shapes": SHAPES, "learning_rates": lr_schedule, "initial": initial,
            "grads": grads, "after": after}


def optimizer_cases():
    constant = [0.05] * STEPS
    decaying = [0.05, 0.05, 0.025, 0.0125]
    return [
        optimizer_case("sgd", lambda p: torch.optim.SGD(p, lr=0.05), constant),
        optimizer_case("sgd_momentum_decay", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01), decaying),
        optimizer_case("sgd_nesterov", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3), constant),
        optimizer_case("sgd_dampening", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, dampening=0.3), constant),
        optimizer_case("adam", lambda p: torch.optim.Adam(p, lr=0.05), decaying),
        optimizer_case("adam_l2", lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), constant),
        optimizer_case("adamw", lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1), decaying),
    ]


def clip_case(max_norm):
    params = [torch.nn.Parameter(torch.zeros(*s)) for s in SHAPES]
    for p in params:
        p.grad = rand(*p.shape, scale=0.7)
    before = [flat(p.grad) for p in params]
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return {"max_norm": max_norm, "grads": before, "norm": float(norm), "clipped": [flat(p.grad) for p in params]}


if __name__ == "__main__":
    refs = {
        "torch_version": torch.__version__,
        "group_norm": [group_norm_case([2, 6, 3, 5], 3), group_norm_case([3, 4], 2),
                       group_norm_case([1, 4, 7, 1], 4, offset=50.0), group_norm_case([2, 5, 2, 2], 1),
                       group_norm_case([2, 4, 5, 7], 2)],
        "batch_norm": [batch_norm_case([3, 4, 2, 3]), batch_norm_case([5, 3]), batch_norm_case([2, 3, 4, 5])],
        "cross_entropy": [cross_entropy_case(5, 4, False), cross_entropy_case(7, 6, True),
                          cross_entropy_case(3, 5, False, scale=1000.0)],
        "softmax": [softmax_case([3, 5]), softmax_case([2, 3, 4])],
        "optimizers": optimizer_cases(),
        "clip_grad_norm": [clip_case(1.0), clip_case(100.0)],
    }
    OUT.write_text(json.dumps(refs, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
