"""Importing litemp keeps freed memory in the process heap, as the CLI does (RetainFreedMemory
in include/litemp/tensor.h): a large block then comes from the heap, not a fresh mmap(), and
stays there once freed. LITEMP_RETAIN_MEMORY=0 leaves glibc's defaults. Each case runs in a
fresh interpreter: the setting is process-wide."""

import os
import subprocess
import sys

from conftest import BUILD

PROBE = r"""
import ctypes, sys
import litemp
import numpy as np

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                 "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
mapped = libc.mallinfo2().hblkhd
a = np.ones(16 << 20, dtype=np.float32)  # 64 MiB: over glibc's largest mmap threshold
grew = libc.mallinfo2().hblkhd > mapped
del a
print("mmapped" if grew else "heap", libc.mallinfo2().fordblks >= 64 << 20)
"""


def probe(env_extra):
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"), **env_extra)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_import_keeps_freed_memory_in_the_heap():
    assert probe({}) == ["heap", "True"]


def test_opt_out_leaves_glibc_defaults():
    assert probe({"LITEMP_RETAIN_MEMORY": "0"})[0] == "mmapped"
