"""Keyword arguments -> the CLI's flags, so Python calls take exactly the CLI's options."""

import math
import os


def to_argv(options):
    """{"resize": 256, "mean": [0.5], "grayscale": True} -> ["--resize", "256", ...].

    Names use underscores for the CLI's dashes. True adds a bare flag; False and None add
    nothing; lists and tuples are joined with commas; `shapes` ({input: [d0, ...]}, None
    keeping a dim) becomes repeated --shape flags; `prepare=False` is --no-prepare.
    """
    argv = []
    for key, value in options.items():
        if value is None or value is False:
            if key == "prepare" and value is False:
                argv.append("--no-prepare")
            continue
        if key == "prepare":
            continue
        if key == "shapes":
            for name, dims in value.items():
                text = ",".join("N" if d is None or d == -1 else str(int(d)) for d in dims)
                argv += ["--shape", f"{name}:{text}"]
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif isinstance(value, (list, tuple)):
            argv += [flag, ",".join(_number(v) for v in value)]
        elif isinstance(value, os.PathLike):
            argv += [flag, os.fspath(value)]
        else:
            argv += [flag, _number(value)]
    return argv


def _number(v):
    if isinstance(v, float):
        if math.isinf(v) or math.isnan(v):
            return str(v)
        return repr(v)  # shortest text that reads back as the same double
    return str(v)
