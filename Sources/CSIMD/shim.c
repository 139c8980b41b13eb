// Not API: this target is the header include/ferlab_simd.h; a C target needs one source file.
