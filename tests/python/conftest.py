"""Shared fixtures: the models and data in ../shared (LITEMP_SHARED overrides), the litemp
CLI of the same build (LITEMP_CLI), and small helpers."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("LITEMP_BUILD", os.path.join(ROOT, "build"))
if os.path.join(BUILD, "python") not in sys.path:
    sys.path.insert(0, os.path.join(BUILD, "python"))

SHARED = os.environ.get("LITEMP_SHARED", os.path.join(ROOT, "..", "shared"))
CLI = os.environ.get("LITEMP_CLI", os.path.join(BUILD, "litemp"))


def shared(*parts):
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        pytest.fail(f"missing shared file {path} (set LITEMP_SHARED)")
    return path


def run_cli(*args):
    """Runs the litemp CLI; returns the CompletedProcess (text)."""
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)


# The CLI flags of each shared model's README-style run, as Python keywords.
RESNET8 = dict(images=lambda: shared("data", "cifar10_ic01"), labels=lambda: shared("data", "cifar10_ic01", "y_labels.csv"),
               raw_shape=(32, 32, 3), std=0.00392156862745098)
MNIST = dict(idx_images=lambda: shared("data", "mnist", "t10k-images-idx3-ubyte.gz"),
             idx_labels=lambda: shared("data", "mnist", "t10k-labels-idx1-ubyte.gz"), limit=300)


def flags(spec):
    return {k: (v() if callable(v) else v) for k, v in spec.items()}
