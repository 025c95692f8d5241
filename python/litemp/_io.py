"""Files written whole or not at all."""

import os
import tempfile


def write_atomic(path, text):
    """Writes `text` to `path` through a temporary file in the same folder and a rename."""
    d = os.path.dirname(path) or "."
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".litemp-")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
