// Not API. The fused multiply-add of SIMD vectors, which Swift's standard library
// offers only lane by lane (SIMD8.addingProduct loops over the lanes and leaves
// the optimiser to put the loop back together, which it does not always do: the
// Winograd transforms compiled to scalar FMAs and lane shuffles). Clang's
// element-wise builtin is one vector instruction (vfmadd…ps on AVX2 + FMA).
// ext_vector_type(8) float imports into Swift as SIMD8<Float>.
#pragma once

typedef float ferlab_float8 __attribute__((ext_vector_type(8)));

/// a · b + c, each lane rounded once.
static inline __attribute__((always_inline)) ferlab_float8
ferlab_fma8(ferlab_float8 a, ferlab_float8 b, ferlab_float8 c) {
  return __builtin_elementwise_fma(a, b, c);
}
