"""litemp's own data reading: the samples `litemp run` feeds, as numpy arrays."""

from . import _litemp
from ._flags import to_argv


class Dataset:
    """Samples from an image folder (JPEG/PNG, raw u8 .bin, .npy, .npz) or MNIST idx files,
    decoded and preprocessed exactly as the CLI does. Keywords are the CLI's data flags:

        Dataset(images="imagenet_sample", labels="imagenet_sample/labels.csv",
                label_offset=1, resize=256, crop=224, mean=0.5, std=0.5)

    images, labels, idx_images, idx_labels, raw_shape=(H, W, C), resize=N or (H, W),
    crop=N or (H, W), grayscale=True, layout="nhwc", mean, std (a number or per channel),
    label_offset, limit. Without labels, label(i) is -1 and has_labels is False.
    """

    def __init__(self, **flags):
        self._native = _litemp._Dataset(to_argv(flags))

    def __len__(self):
        return len(self._native)

    @property
    def has_labels(self):
        return self._native.has_labels

    def name(self, i):
        """The file name of sample i."""
        return self._native.name(i)

    def label(self, i):
        return self._native.label(i)

    def labels(self):
        """Every label as an int64 array (-1 without labels)."""
        return self._native.labels()

    def load(self, i):
        """Sample i as a float32 array ([C, H, W] for images)."""
        return self._native.load(i)

    def load_batch(self, indices):
        """Samples stacked: a float32 [N, ...] array (decoded in parallel)."""
        return self._native.load_batch(list(indices))

    def load_inputs(self, i):
        """Every array of sample i: {name: array} (an .npz's members; "" for other files)."""
        return self._native.load_inputs(i)

    def load_batch_inputs(self, input_names, indices):
        """One stacked array per model input (.npz samples of multi-input models)."""
        return self._native.load_batch_inputs(list(input_names), list(indices))

    def batches(self, indices, batch_size=32):
        """Yields (samples [n, ...], labels [n]) for `indices` in order, batch_size at a time."""
        indices = list(indices)
        labels = self.labels()
        for start in range(0, len(indices), batch_size):
            chunk = indices[start:start + batch_size]
            yield self.load_batch(chunk), labels[chunk]


def make_split(n, calib=100, sens=32, eval_max=0, seed=0):
    """The split `litemp run` uses, as {"order", "calib", "sens", "eval"} index lists."""
    return _litemp.make_split(n, calib, sens, eval_max, seed)
