// Not API. Brings OpenBLAS's cblas interface (Debian: libopenblas-dev) into Swift.
#pragma once
#include <cblas.h>
// OpenBLAS extension: the number of threads its GEMM uses.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
