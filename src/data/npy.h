// Reader for NumPy .npy files (format versions 1.0-3.0).
#ifndef LITEMP_DATA_NPY_H_
#define LITEMP_DATA_NPY_H_

#include <string>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::data {

// Parses the bytes of a .npy file into a float32 tensor of the stored shape, converting
// little-endian float16/32/64, (u)int8/16/32/64 and bool. C order only.
// NotSupported for fortran_order=True, big-endian or structured/other dtypes;
// InvalidArgument for a malformed header, short data, or NaN/Inf values.
// Messages do not name the file; the caller adds it.
Result<Tensor> ParseNpy(const std::string& bytes);

}  // namespace litemp::data

#endif  // LITEMP_DATA_NPY_H_
