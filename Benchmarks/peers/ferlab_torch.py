"""PyTorch reference of FERLab's models, with the same parameter names.

The modules mirror Sources/FERModels one for one; a state_dict saved from
here loads into FERLab by name and the other way round. The spec is the JSON
of FERLab's ModelSpec (the same keys).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STREAMS = ["rgb", "flow", "rgb_dynamic", "flow_dynamic"]
IN_CHANNELS = {"rgb": 3, "flow": 2, "rgb_dynamic": 3, "flow_dynamic": 2}


class ConvLSTMLayer(nn.Module):
    """One (Enhanced) ConvLSTM layer over a sequence; gate blocks i, f, g, o."""

    def __init__(self, cin, ch, k, side, spec):
        super().__init__()
        self.ch = ch
        self.conv_x = nn.Conv2d(cin, 4 * ch, k, padding=k // 2)
        self.conv_h = nn.Conv2d(ch, 4 * ch, k, padding=k // 2, bias=False)
        self.w_ci = nn.Parameter(torch.zeros(ch, side, side))
        self.w_cf = nn.Parameter(torch.zeros(ch, side, side))
        self.w_co = nn.Parameter(torch.zeros(ch, side, side))
        self.temporal = spec["temporalSkip"]
        self.current_peephole = spec["outputPeephole"] == "current"
        # Deliberately wrong cells, for the parity fixtures only (make_model_fixtures.py):
        # "lag-1-skip" adds h_{t-1} instead of h_{t-2}; "skip-outside-norm" adds
        # the skips after the group norm instead of inside it.
        self.mistake = spec.get("mistake")
        if spec["spatialSkip"]:
            self.conv_s = nn.Conv2d(cin, ch, k, padding=k // 2, bias=False)
        if spec["groupNorm"]:
            self.norm = nn.GroupNorm(spec["groups"], ch)

    def forward(self, x):  # x [N, T, Cin, H, W] -> list of h_t [N, C, H, W]
        n, steps, _, height, width = x.shape
        c = x.new_zeros(n, self.ch, height, width)
        hidden = []
        for t in range(steps):
            xt = x[:, t]
            a = self.conv_x(xt)
            if hidden:
                a = a + self.conv_h(hidden[-1])
            ai, af, ag, ao = a.chunk(4, dim=1)
            i = torch.sigmoid(ai + self.w_ci * c)
            f = torch.sigmoid(af + self.w_cf * c)
            c_new = f * c + i * torch.tanh(ag)
            o = torch.sigmoid(ao + self.w_co * (c_new if self.current_peephole else c))
            h = o * torch.tanh(c_new)
            skips = 0
            lag = 1 if self.mistake == "lag-1-skip" else 2
            if self.temporal and t >= lag:
                skips = skips + hidden[t - lag]
            if hasattr(self, "conv_s"):
                skips = skips + self.conv_s(xt)
            if self.mistake == "skip-outside-norm":
                h = (self.norm(h) if hasattr(self, "norm") else h) + skips
            else:
                h = h + skips
                if hasattr(self, "norm"):
                    h = self.norm(h)
            hidden.append(h)
            c = c_new
        return hidden


class ConvLSTMStream(nn.Module):
    def __init__(self, cin, side, spec):
        super().__init__()
        layers = []
        for ch, k in zip(spec["channels"], spec["kernels"]):
            layers.append(ConvLSTMLayer(cin, ch, k, side, spec))
            cin, side = ch, side // 2
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        for index, layer in enumerate(self.layers):
            hidden = layer(x)
            if index + 1 < len(self.layers):
                seq = torch.stack(hidden, dim=1)
                n, t = seq.shape[:2]
                pooled = F.max_pool2d(seq.flatten(0, 1), 2, 2)
                x = pooled.view(n, t, *pooled.shape[1:])
        return F.max_pool2d(hidden[-1], 2, 2).flatten(1)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = self.downsample(x) if hasattr(self, "downsample") else x
        return F.relu(y + shortcut)


class Stem(nn.Module):
    def __init__(self, cin, width):
        super().__init__()
        self.conv = nn.Conv2d(cin, width, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(width)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class ResNet(nn.Module):
    def __init__(self, cin, spec):
        super().__init__()
        w = spec["width"]
        per_stage = 1 if spec["depth"] == 10 else 2
        self.stem = Stem(cin, w)
        channels = w
        for s, width in enumerate([w, 2 * w, 4 * w, 8 * w]):
            blocks = []
            for b in range(per_stage):
                blocks.append(BasicBlock(channels, width, 2 if s > 0 and b == 0 else 1))
                channels = width
            setattr(self, f"layer{s + 1}", nn.Sequential(*blocks))
        self.feature_size = channels

    def forward(self, x):
        y = self.stem(x)
        for s in range(1, 5):
            y = getattr(self, f"layer{s}")(y)
        return torch.tanh(y.mean(dim=(2, 3)))


class CNNLSTMStream(nn.Module):
    def __init__(self, cin, side, spec):
        super().__init__()
        convs = []
        for width in spec["channels"]:
            convs.append(nn.Conv2d(cin, width, 3, padding=1))
            cin, side = width, side // 2
        self.cnn = nn.ModuleList(convs)
        self.lstm = nn.LSTM(cin * side * side, spec["hidden"], batch_first=True)

    def forward(self, x):
        n, t = x.shape[:2]
        y = x.flatten(0, 1)
        for conv in self.cnn:
            y = F.max_pool2d(F.relu(conv(y)), 2, 2)
        _, (h, _) = self.lstm(y.reshape(n, t, -1))
        return h[0]


class SumProjection(nn.Module):
    """The first FC layer: one projection per stream, summed, one shared bias."""

    def __init__(self, sizes, out):
        super().__init__()
        self.kinds = list(sizes)
        for kind, size in sizes.items():
            setattr(self, kind, nn.Linear(size, out, bias=False))
        self.bias = nn.Parameter(torch.empty(out).uniform_(-1, 1) / sum(sizes.values()) ** 0.5)

    def forward(self, features):
        return sum(getattr(self, k)(features[k]) for k in self.kinds) + self.bias


class Head(nn.Module):
    def __init__(self, sizes, spec, classes):
        super().__init__()
        d1, d2 = spec["hidden"]
        self.fc1 = SumProjection(sizes, d1)
        self.fc2 = nn.Linear(d1, d2)
        self.fc3 = nn.Linear(d2, classes)
        self.p = spec["dropout"]

    def forward(self, features):
        y = F.relu(self.fc1(features))
        y = F.relu(self.fc2(F.dropout(y, self.p, self.training)))
        return self.fc3(F.dropout(y, self.p, self.training))


class FERModel(nn.Module):
    def __init__(self, spec):
        super().__init__()
        sizes = {}
        side = spec["inputSize"]
        for kind in [k for k in STREAMS if k in spec["streams"]]:
            cin = IN_CHANNELS[kind]
            if kind in ("rgb", "flow"):
                if spec["backbone"] == "convlstm":
                    stream = ConvLSTMStream(cin, side, spec["convLSTM"])
                    c = spec["convLSTM"]
                    final = side >> len(c["channels"])
                    sizes[kind] = c["channels"][-1] * final * final
                else:
                    stream = CNNLSTMStream(cin, side, spec["cnnLSTM"])
                    sizes[kind] = spec["cnnLSTM"]["hidden"]
            else:
                stream = ResNet(cin, spec["resnet"])
                sizes[kind] = stream.feature_size
            setattr(self, kind, stream)
        self.kinds = list(sizes)
        self.head = Head(sizes, spec["head"], spec["classes"])

        self.centre_frames = spec.get("centreFrames", True)

    def forward(self, inputs):
        def stream_input(kind):
            x = inputs[kind]
            return standardised_over_time(x) if kind == "rgb" and self.centre_frames else x

        return self.head({k: getattr(self, k)(stream_input(k)) for k in self.kinds})


def standardised_over_time(x):
    """x [N, T, C, H, W] centred on each clip's mean frame, scaled to unit variance per clip."""
    centred = x - x.mean(1, keepdim=True)
    return F.group_norm(centred.flatten(1, 2), 1, eps=1e-5).view_as(centred)
