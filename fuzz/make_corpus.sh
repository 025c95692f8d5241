#!/usr/bin/env bash
# Builds the seed corpora under OUT (default build-fuzz/corpus/<target>/) from the shared
# models/data (LITEMP_SHARED, default ../shared), ONNX's backend test models (Debian's
# libonnx-testdata), the built-in configs, small generated PNG/.npy/.npz files, and encodings
# written by build/litemp when it exists. Nothing here is copied into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${LITEMP_SHARED:-../shared}
OUT=${1:-build-fuzz/corpus}
mkdir -p "$OUT"/{model,config,encodings,jpeg,png,npy,npz}

# Models: the two small shared models and ONNX's single-node backend models.
cp "$SHARED"/models/mnist_cnn.onnx "$SHARED"/models/resnet8_cifar10.onnx "$OUT/model/"
for m in /usr/share/libonnx-testdata/data/node/*/model.onnx; do
  [ -e "$m" ] && cp "$m" "$OUT/model/$(basename "$(dirname "$m")").onnx"
done

# JPEG: the ten smallest ImageNet sample files that are JPEGs.
for f in $(ls -S -r "$SHARED"/data/imagenet_sample/*.JPEG | head -40); do
  [ "$(head -c 2 "$f" | od -An -tx1 | tr -d ' ')" = ffd8 ] && cp "$f" "$OUT/jpeg/"
done
ls "$OUT/jpeg" | tail -n +11 | sed "s|^|$OUT/jpeg/|" | xargs -r rm

# Configs and encodings: built-in configs, hand-written seeds, litemp's own exports.
python3 - "$OUT" <<'PY'
import re, sys, struct, zlib
out = sys.argv[1]
src = open("src/quant/builtin_configs.cc").read()
for i, body in enumerate(re.findall(r'R"json\((.*?)\)json"', src, re.S)):
    open(f"{out}/config/builtin{i}.json", "w").write(body)

# PNG: every colour type and bit depth the decoder handles, plus Adam7 interlacing.
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
def png(name, w, h, depth, ctype, row, interlace=0, extra=b""):
    chans = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    bpr = (w * chans * depth + 7) // 8
    def rows(ww, hh):
        n = (ww * chans * depth + 7) // 8
        return b"".join(b"\0" + row(y, n) for y in range(hh))
    if interlace:
        raw = b""
        for x0, y0, dx, dy in [(0,0,8,8),(4,0,8,8),(0,4,4,8),(2,0,4,4),(0,2,2,4),(1,0,2,2),(0,1,1,2)]:
            pw, ph = (w - x0 + dx - 1) // dx, (h - y0 + dy - 1) // dy
            if pw > 0 and ph > 0: raw += rows(pw, ph)
    else:
        raw = rows(w, h)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    open(f"{out}/png/{name}.png", "wb").write(data)
grad = lambda y, n: bytes((y * 16 + i * 3) & 255 for i in range(n))
png("gray8", 8, 8, 8, 0, grad)
png("gray1", 9, 5, 1, 0, grad)
png("rgb8", 6, 4, 8, 2, grad)
png("rgb16", 4, 4, 16, 2, grad)
png("rgba8", 5, 5, 8, 6, grad)
png("graya8", 5, 3, 8, 4, grad)
png("palette", 7, 3, 4, 3, grad, extra=chunk(b"PLTE", bytes(range(48))) + chunk(b"tRNS", b"\x80\x40"))
png("interlaced", 11, 9, 8, 2, grad, interlace=1)

# .npy: several dtypes, header versions 1 and 2.
def npy(name, descr, shape, payload, version=1):
    hdr = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    lenfmt = "<H" if version == 1 else "<I"
    pre = 10 if version == 1 else 12
    pad = 64 - (pre + len(hdr) + 1) % 64
    hdr = hdr + " " * pad + "\n"
    open(f"{out}/npy/{name}.npy", "wb").write(b"\x93NUMPY" + bytes([version, 0]) + struct.pack(lenfmt, len(hdr)) + hdr.encode() + payload)
npy("f32", "<f4", "(2, 3)", struct.pack("<6f", *range(6)))
npy("u8", "|u1", "(1, 4, 4, 3)", bytes(range(48)))
npy("f16", "<f2", "(3,)", struct.pack("<3e", 0.5, -1, 2))
npy("i64", "<i8", "(2,)", struct.pack("<2q", 1, -7), version=2)
npy("bool", "|b1", "(4,)", b"\0\1\1\0")
npy("scalar", "<f8", "()", struct.pack("<d", 3.5))

# .npz: zip archives of the .npy seeds, stored and deflated (np.savez / np.savez_compressed
# write the same layout with Python's zipfile), one with zip64 local headers like numpy's.
import zipfile
def npz(name, members, method, zip64=False):
    with zipfile.ZipFile(f"{out}/npz/{name}.npz", "w", method) as z:
        for m in members:
            with z.open(m + ".npy", "w", force_zip64=zip64) as f:
                f.write(open(f"{out}/npy/{m}.npy", "rb").read())
npz("one", ["f32"], zipfile.ZIP_STORED)
npz("two", ["f32", "i64"], zipfile.ZIP_STORED)
npz("two_deflated", ["u8", "f16"], zipfile.ZIP_DEFLATED)
npz("zip64", ["bool", "scalar"], zipfile.ZIP_DEFLATED, zip64=True)
PY
cp fuzz/seeds/config/*.json "$OUT/config/"
cp fuzz/seeds/encodings/*.json "$OUT/encodings/"

# Encodings exported by litemp itself from the MNIST model, in all three versions.
if [ -x build/litemp ]; then
  tmp=$(mktemp -d)
  for v in 1.0.0 0.6.1 2.0.0; do
    ./build/litemp run "$SHARED"/models/mnist_cnn.onnx --idx-images "$SHARED"/data/mnist/t10k-images-idx3-ubyte.gz \
      --idx-labels "$SHARED"/data/mnist/t10k-labels-idx1-ubyte.gz --std 0.00392156862745098 --limit 64 --calib 16 \
      --sens 8 --eval 32 --count 1 --encodings-version "$v" --out "$tmp/$v" >/dev/null
    cp "$tmp/$v/model.encodings" "$OUT/encodings/mnist_$v.json"
  done
  rm -rf "$tmp"
fi
for d in "$OUT"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"; done
