"""Writes the model-parity fixtures of Tests/FERModelsTests/Fixtures.

For each small configuration: the spec (in __metadata__["spec"]), weights
("param:<name>", including buffers), inputs ("input:<stream>"), labels
("labels", as floats), and the reference results: "logits", "loss", and the
gradient of every parameter ("grad:<name>") and input ("grad_input:<stream>").

The reference runs in float64 on the float32-rounded weights and inputs, so
the only error left in the comparison is FERLab's own float32 arithmetic.

How large float32's own rounding is, per result ("rounding:<result>", a
scalar): the largest deviation from the float64 reference of PyTorch's float32
runs of the same model and inputs, with oneDNN on and off and on 1 and 2
threads. The parity test's bound is a multiple of it.

Wrong models ("wrong:<mistake>:<result>"): the same weights and inputs
through a cell with one deliberate mistake (the output peephole on the other
c, the temporal skip from h_{t-1}, the skips outside the group norm), in
float64, wherever the configuration has the term; the test checks that the
bound rejects each of them.

Usage: python make_model_fixtures.py OUT_DIR
"""
import copy
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, str(Path(__file__).parent))
from ferlab_torch import FERModel, IN_CHANNELS  # noqa: E402

BASE = {
    "name": "custom",
    "streams": ["rgb"],
    "backbone": "convlstm",
    "convLSTM": {"channels": [4], "kernels": [3], "temporalSkip": True, "spatialSkip": True,
                 "groupNorm": True, "groups": 2, "outputPeephole": "previous"},
    "resnet": {"depth": 10, "width": 2},
    "cnnLSTM": {"channels": [4], "hidden": 8},
    "head": {"hidden": [16, 8], "dropout": 0.0},
    "inputSize": 8,
    "classes": 6,
    "centreFrames": False,
}


def variant(name, **changes):
    spec = copy.deepcopy(BASE)
    spec["name"] = name
    for key, value in changes.items():
        if key in ("temporalSkip", "spatialSkip", "groupNorm", "outputPeephole", "channels", "kernels"):
            spec["convLSTM"][key] = value
        else:
            spec[key] = value
    return spec


VARIANTS = [
    variant("conventional", temporalSkip=False, spatialSkip=False, groupNorm=False),
    variant("temporal-only", spatialSkip=False, groupNorm=False),
    variant("spatial-only", temporalSkip=False, groupNorm=False),
    variant("both-skips", groupNorm=True),
    variant("both-skips-no-norm", groupNorm=False),
    variant("peephole-current", outputPeephole="current"),
    variant("peephole-current-conventional", temporalSkip=False, spatialSkip=False, groupNorm=False,
            outputPeephole="current"),
    variant("two-layer", channels=[4, 6], kernels=[3, 3]),
    variant("resnet10", streams=["rgb_dynamic"]),
    variant("cnn-lstm", streams=["rgb", "flow"], backbone="cnn_lstm"),
    variant("four-stream", streams=["rgb", "flow", "rgb_dynamic", "flow_dynamic"], channels=[4, 6], kernels=[3, 3]),
    variant("centred-frames", centreFrames=True),
]

BATCH, STEPS = 2, 5


def results(model, inputs, labels):
    """Logits, loss and every gradient of one forward/backward pass."""
    inputs = {k: v.detach().clone().requires_grad_(True) for k, v in inputs.items()}
    model.zero_grad(set_to_none=True)
    logits = model(inputs)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    out = {"logits": logits.detach(), "loss": loss.detach().reshape(())}
    for kind, x in inputs.items():
        out[f"grad_input:{kind}"] = x.grad
    for name, p in model.named_parameters():
        out[f"grad:{name}"] = p.grad
    return out


def float32_rounding(model, inputs, labels, reference):
    """Per result: the largest deviation of PyTorch's float32 runs from the float64 reference."""
    single = copy.deepcopy(model).float()
    x32 = {k: v.float() for k, v in inputs.items()}
    worst = {k: 0.0 for k in reference}
    threads = torch.get_num_threads()
    for onednn in (True, False):
        for n in (1, 2):
            torch.set_num_threads(n)
            with torch.backends.mkldnn.flags(enabled=onednn):
                got = results(single, x32, labels)
            for k, v in got.items():
                worst[k] = max(worst[k], (v.double() - reference[k]).abs().max().item())
    torch.set_num_threads(threads)
    return worst


def mistakes(spec):
    """The deliberate mistakes that change this configuration's cell."""
    if spec["backbone"] != "convlstm" or not ({"rgb", "flow"} & set(spec["streams"])):
        return []
    cell = spec["convLSTM"]
    found = ["peephole-swapped"]
    if cell["temporalSkip"]:
        found.append("lag-1-skip")
    if cell["groupNorm"] and (cell["temporalSkip"] or cell["spatialSkip"]):
        found.append("skip-outside-norm")
    return found


def wrong_spec(spec, mistake):
    wrong = copy.deepcopy(spec)
    if mistake == "peephole-swapped":
        current = wrong["convLSTM"]["outputPeephole"] == "current"
        wrong["convLSTM"]["outputPeephole"] = "previous" if current else "current"
    else:
        wrong["convLSTM"]["mistake"] = mistake
    return wrong


def make(spec, seed):
    torch.manual_seed(seed)
    model = FERModel(spec)
    with torch.no_grad():
        for name, p in model.named_parameters():
            # Exercise every term: peepholes and norm affines away from their identity init.
            if name.split(".")[-1] in ("w_ci", "w_cf", "w_co"):
                p.uniform_(-0.5, 0.5)
            elif ".norm." in name or ".bn" in name or "downsample.1" in name or "stem.bn" in name:
                p.uniform_(0.5, 1.5) if name.endswith("weight") else p.uniform_(-0.2, 0.2)
        for p in model.parameters():
            p.copy_(p.float())
    model = model.double().train()
    side = spec["inputSize"]
    inputs = {}
    for kind in spec["streams"]:
        c = IN_CHANNELS[kind]
        shape = (BATCH, STEPS if kind == "rgb" else STEPS - 1, c, side, side) if kind in ("rgb", "flow") else (BATCH, c, side, side)
        x = torch.rand(shape).float().double() if kind != "flow" else (torch.rand(shape) * 2 - 1).float().double()
        inputs[kind] = x.requires_grad_(True)
    labels = torch.tensor([1, 4])
    state = {f"param:{k}": v.detach().float().clone() for k, v in model.state_dict().items()
             if not k.endswith("num_batches_tracked")}
    reference = results(model, inputs, labels)
    rounding = float32_rounding(model, inputs, labels, reference)
    out = dict(state)
    for kind, x in inputs.items():
        out[f"input:{kind}"] = x.detach().float()
    for key, value in reference.items():
        out[key] = value.float()
        out[f"rounding:{key}"] = torch.tensor(rounding[key], dtype=torch.float32)
    for mistake in mistakes(spec):
        wrong = FERModel(wrong_spec(spec, mistake)).double().train()
        wrong.load_state_dict(model.state_dict())
        for key, value in results(wrong, inputs, labels).items():
            out[f"wrong:{mistake}:{key}"] = value.float()
    out["labels"] = labels.float()
    return {k: v.contiguous() for k, v in out.items()}


def main():
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for seed, spec in enumerate(VARIANTS):
        tensors = make(spec, seed)
        save_file(tensors, str(out_dir / f"{spec['name']}.safetensors"), metadata={"spec": json.dumps(spec)})
        print(spec["name"], sum(t.numel() for t in tensors.values()) * 4, "bytes")


if __name__ == "__main__":
    main()
