// Not API. See README.md: why OpenBLAS is loaded here rather than linked.
#include "ferlab_blas.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                         int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef char *(*string_fn)(void);
typedef void (*set_threads_fn)(int);

// cblas.h's enum values (CBLAS_ORDER, CBLAS_TRANSPOSE).
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static sgemm_fn sgemm;
static string_fn get_config, get_corename;
static int preloaded;
static const char *requested = FERLAB_BLAS_KERNEL_FAMILY;
static char error[512];

// Sets `name` to `value` (NULL: unsets) and returns a copy of what it was (NULL when unset).
static char *swap_env(const char *name, const char *value) {
  const char *old = getenv(name);
  char *saved = old ? strdup(old) : NULL;
  if (value) setenv(name, value, 1); else unsetenv(name);
  return saved;
}

static void restore_env(const char *name, char *saved) {
  if (saved) setenv(name, saved, 1); else unsetenv(name);
  free(saved);
}

__attribute__((constructor)) static void ferlab_blas_load(void) {
  // FERLab's own kernels are compiled for AVX2 + FMA (Package.swift): say so
  // rather than die of an illegal instruction somewhere later.
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    fputs("ferlab: this CPU lacks AVX2 or FMA; FERLab runs on x86-64 CPUs that have both (Intel Haswell, AMD Zen and later)\n",
          stderr);
    exit(1);
  }
  const char *choice = getenv("FERLAB_BLAS_KERNELS");
  if (choice && strcmp(choice, "auto") == 0) requested = "auto";
  const char *library = "libopenblas.so.0";
  preloaded = dlopen(library, RTLD_NOW | RTLD_NOLOAD) != NULL;
  int fixes_family = strcmp(requested, "auto") != 0;
  char *coretype = fixes_family ? swap_env("OPENBLAS_CORETYPE", requested) : NULL;
  char *threads = swap_env("OPENBLAS_NUM_THREADS", "1");
  void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  restore_env("OPENBLAS_NUM_THREADS", threads);
  if (fixes_family) restore_env("OPENBLAS_CORETYPE", coretype);
  if (!handle) {
    snprintf(error, sizeof error, "cannot load OpenBLAS (%s); on Debian: apt-get install libopenblas0", dlerror());
    return;
  }
  sgemm = (sgemm_fn)dlsym(handle, "cblas_sgemm");
  get_config = (string_fn)dlsym(handle, "openblas_get_config");
  get_corename = (string_fn)dlsym(handle, "openblas_get_corename");
  set_threads_fn set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
  if (!sgemm || !get_config || !get_corename || !set_threads) {
    snprintf(error, sizeof error, "%s lacks cblas_sgemm or OpenBLAS's openblas_get_config, openblas_get_corename, "
             "openblas_set_num_threads", library);
    sgemm = NULL;
    return;
  }
  // Every call runs on the calling thread: FERLab splits the work itself, and
  // OpenBLAS's thread count is process-wide state that races its pool when changed.
  set_threads(1);
}

void ferlab_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc) {
  sgemm(ROW_MAJOR, trans_a ? TRANS : NO_TRANS, trans_b ? TRANS : NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c,
        ldc);
}

const char *ferlab_blas_error(void) { return sgemm ? NULL : (error[0] ? error : "OpenBLAS is not loaded"); }
const char *ferlab_blas_config(void) { return get_config ? get_config() : ""; }
const char *ferlab_blas_kernels(void) { return get_corename ? get_corename() : ""; }
const char *ferlab_blas_requested(void) { return requested; }
int ferlab_blas_was_preloaded(void) { return preloaded; }
