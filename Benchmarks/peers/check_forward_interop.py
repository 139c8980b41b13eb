"""Round trip through `ferlab forward`: a model built and initialised in PyTorch
is saved as a plain state_dict (safetensors), run by FERLab, and FERLab's
logits, loss and gradients are compared with PyTorch's.

Usage: python check_forward_interop.py PATH/TO/ferlab [preset-json]
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

sys.path.insert(0, str(Path(__file__).parent))
from ferlab_torch import FERModel, IN_CHANNELS  # noqa: E402
from make_model_fixtures import VARIANTS  # noqa: E402


def main():
    ferlab = sys.argv[1]
    spec = VARIANTS[-1]  # the fused four-stream model
    torch.manual_seed(0)
    model = FERModel(spec).train()
    side, batch, steps = spec["inputSize"], 3, 6
    inputs = {}
    for kind in spec["streams"]:
        c = IN_CHANNELS[kind]
        shape = (batch, steps if kind == "rgb" else steps - 1, c, side, side) if kind in ("rgb", "flow") else (batch, c, side, side)
        inputs[kind] = torch.rand(shape, requires_grad=True)
    labels = [0, 2, 5]
    logits = model(inputs)
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        state = {k: v.contiguous() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
        save_file(state, str(tmp / "w.safetensors"))
        save_file({k: v.detach().contiguous() for k, v in inputs.items()}, str(tmp / "x.safetensors"))
        (tmp / "spec.json").write_text(json.dumps(spec))
        subprocess.run([ferlab, "forward", "--spec", str(tmp / "spec.json"), "--weights", str(tmp / "w.safetensors"),
                        "--input", str(tmp / "x.safetensors"), "--labels", ",".join(map(str, labels)),
                        "--out", str(tmp / "o.safetensors"), "--train"], check=True)
        out = load_file(str(tmp / "o.safetensors"))
    worst = 0.0
    pairs = [("logits", logits), ("loss", loss)] + [(f"grad:{n}", p.grad) for n, p in model.named_parameters()]
    pairs += [(f"grad_input:{k}", x.grad) for k, x in inputs.items()]
    for name, ref in pairs:
        err = (out[name] - ref.detach()).abs().max().item() / max(ref.abs().max().item(), 1e-6)
        worst = max(worst, err)
    print(json.dumps({"tensors": len(pairs), "worst_relative_error": worst}))
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
