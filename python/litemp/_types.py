"""Quantized types and schemes, named as aimet_onnx names them."""


class qtype:  # noqa: N801 (aimet_onnx's spelling)
    """A quantized data type: int4 ... int16, or float16."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, qtype) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    @staticmethod
    def from_string(name):
        return as_qtype(name)


int4 = qtype("int4")
int8 = qtype("int8")
int16 = qtype("int16")
float16 = qtype("float16")


def as_qtype(value):
    """A qtype from a qtype, "int8"/"int16"/"float16"/"fp16", or a bitwidth (8 -> int8)."""
    if isinstance(value, qtype):
        return value
    if isinstance(value, bool):
        raise TypeError(f"expected a qtype, got {value!r}")
    if isinstance(value, int):
        return qtype(f"int{value}")
    if isinstance(value, str):
        return qtype("float16" if value in ("fp16", "float16") else value)
    raise TypeError(f"expected a qtype (litemp.int8, 'int16', ...), got {value!r}")


class QuantScheme:
    """Encoding schemes (aimet_common.defs.QuantScheme names; values are litemp's)."""

    min_max = "min_max"
    post_training_tf = "min_max"
    tf = "min_max"
    tf_enhanced = "tf_enhanced"
    post_training_tf_enhanced = "tf_enhanced"
    percentile = "percentile"
    post_training_percentile = "percentile"


def scheme_name(value):
    """"min_max" | "tf_enhanced" | "percentile" from a QuantScheme value, string or enum."""
    name = getattr(value, "name", value)  # an aimet QuantScheme enum member has .name
    if not isinstance(name, str):
        raise TypeError(f"expected a quant scheme, got {value!r}")
    return getattr(QuantScheme, name, name)


def flip_precision(value):
    """The flip target as litemp names it: "int16", "fp16", or a pair such as "w8a16"."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError("override_precision pair must be (param_type, activation_type)")
        p, a = (as_qtype(v).name for v in value)
        side = lambda n: "fp16" if n == "float16" else n[3:]  # noqa: E731
        pair = f"w{side(p)}a{side(a)}".replace("afp16", "fp16")
        return "fp16" if pair == "wfp16fp16" else pair
    name = as_qtype(value).name
    return "fp16" if name == "float16" else name
