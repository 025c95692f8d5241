#!/usr/bin/python3
"""Fits the erf polynomials of src/kernels/vec_math.cc (run with Debian's /usr/bin/python3,
which has numpy) and prints them as C++ hex-float arrays.

On [0.75, 2) and [2, 4), erf is a polynomial in u = (x - center) / half_width fitted at
Chebyshev nodes (math.erf as reference, accurate to a double ulp) and converted to powers of
u for Horner's rule. Below 0.75 the kernel uses erf's own Taylor series, so nothing is fitted
there. Prints the largest error of each polynomial on a dense grid (evaluated with numpy's
separate multiplies and adds; the kernel's fma is at least as accurate): it must stay far
below the 2^-8 float ulp window the kernel trusts (2^-32, 2.3e-10, just below 1). What
vouches for the result is the exhaustive test (tests/kernels/elementwise/vec_math_test.cc)."""
import math
import numpy as np

DEGREE = 16
PIECES = [(0.75, 2.0), (2.0, 4.0)]


def horner(c, u):
    p = np.full_like(u, c[-1])
    for a in c[-2::-1]:
        p = p * u + a
    return p


for lo, hi in PIECES:
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    n = 200
    t = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    y = np.array([math.erf(mid + half * v) for v in t])
    cheb = np.polynomial.chebyshev.chebfit(t, y, DEGREE)
    mono = np.polynomial.chebyshev.cheb2poly(cheb)
    xs = np.linspace(lo, hi, 20001)
    ref = np.array([math.erf(v) for v in xs])
    err = np.max(np.abs(horner(mono, (xs - mid) / half) - ref))
    print(f"// [{lo}, {hi}): center {mid}, half width {half}, max error {err:.2e}")
    print("{" + ", ".join(float(v).hex() for v in mono) + "},")
