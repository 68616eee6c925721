/*
 * Single-threaded float32 GEMM for the wasm backend's matMul (see engine/model/README.md, "Native kernels").
 *
 * C[b] = op(A[b]) · op(B[b]) for row-major operands living in one ArrayBuffer (the wasm heap),
 * addressed by byte offsets, so the wasm backend needs no copy in or out.
 *
 * The layout is the classic Goto/BLIS one: B is packed into KC×NR column panels, A into
 * MR×KC row panels, and a register-blocked micro-kernel keeps an MR×NR tile of C in vector
 * registers for the whole KC loop (MR·2 accumulators + 2 B vectors + 1 broadcast fit the
 * register file: 12×32 with AVX-512's 32 zmm, 6×16 with AVX2's 16 ymm). Packing also
 * absorbs the transposes, so op(X) costs the same either way. It is written with GCC/Clang
 * vector extensions rather than intrinsics so that one source serves AVX-512, AVX2 and
 * plain SSE/NEON; it is compiled with -march=native on the machine that runs it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__AVX512F__)
#define VL 16
#define MR 12
#define ISA "avx512"
#elif defined(__AVX__)
#define VL 8
#define MR 6
#define ISA "avx2"
#else
#define VL 4
#define MR 6
#define ISA "generic-128"
#endif
#define NR (2 * VL)
/* Cache blocking: the MC×KC block of A (192 KiB at AVX-512) stays in L2 while the KC×NR
   panels of B stream past it; NC bounds the packed B (2 MiB). KC = 512 takes this model's
   K (128 or 512) in one pass; 128/256 and MC = 96–384 were within noise or slower here. */
#ifndef KC
#define KC 512
#endif
#ifndef MC
#define MC (MR * 8)
#endif
#define NC 1024

typedef float vf __attribute__((vector_size(VL * 4)));
/* Same vector, 4-byte aligned: C rows in the wasm heap have no vector alignment. */
typedef float vfu __attribute__((vector_size(VL * 4), aligned(4)));

const char *spa_sgemm_isa(void) { return ISA; }

/* Scalar → all lanes. Written as x − 0, which is exact for every x (x + 0 is not: −0 + 0 = +0),
   so GCC drops the subtraction and emits one vbroadcastss from memory. */
static inline vf bcast(float x) { return x - (vf){0}; }

/* C tile (m ≤ MR rows, n ≤ NR cols, row stride ldc) = (accumulate ? C : 0) + Ap·Bp over kc. */
static void micro_kernel(int kc, const float *restrict ap, const float *restrict bp, float *restrict c, long ldc,
                         int m, int n, int accumulate) {
  vf acc0[MR], acc1[MR];
  for (int i = 0; i < MR; i++) acc0[i] = acc1[i] = (vf){0};
  for (int k = 0; k < kc; k++) {
    const vf b0 = *(const vf *)(bp + (long)k * NR);
    const vf b1 = *(const vf *)(bp + (long)k * NR + VL);
    const float *a = ap + (long)k * MR;
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const vf ai = bcast(a[i]);
      acc0[i] += ai * b0;           /* contracted to FMA (-ffp-contract=fast is GCC's default) */
      acc1[i] += ai * b1;
    }
  }
  if (m == MR && n == NR) {
    for (int i = 0; i < MR; i++) {
      vfu *r0 = (vfu *)(c + i * ldc), *r1 = (vfu *)(c + i * ldc + VL);
      if (accumulate) {
        *r0 += acc0[i];
        *r1 += acc1[i];
      } else {
        *r0 = acc0[i];
        *r1 = acc1[i];
      }
    }
    return;
  }
  /* Edge tile: spill, then copy the valid part. */
  float tile[MR][NR] __attribute__((aligned(64)));
  for (int i = 0; i < MR; i++) {
    *(vf *)&tile[i][0] = acc0[i];
    *(vf *)&tile[i][VL] = acc1[i];
  }
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.f) + tile[i][j];
}

/* B (kc × nc block, element (k, j) at b[k·rs + j·cs]) → NR-wide panels, zero-padded. */
static void pack_b(int kc, int nc, const float *b, long rs, long cs, float *out) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    const int w = nc - j0 < NR ? nc - j0 : NR;
    for (int k = 0; k < kc; k++, out += NR) {
      const float *src = b + k * rs + j0 * cs;
      if (cs == 1 && w == NR) {
        memcpy(out, src, NR * sizeof(float));
      } else {
        int j = 0;
        for (; j < w; j++) out[j] = src[j * cs];
        for (; j < NR; j++) out[j] = 0.f;
      }
    }
  }
}

/* A (mc × kc block, element (i, k) at a[i·rs + k·cs]) → MR-tall panels stored k-major, zero-padded. */
static void pack_a(int mc, int kc, const float *a, long rs, long cs, float *out) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    const int h = mc - i0 < MR ? mc - i0 : MR;
    if (h < MR) memset(out, 0, (size_t)kc * MR * sizeof(float));
    for (int i = 0; i < h; i++) {
      const float *src = a + (i0 + i) * rs;
      for (int k = 0; k < kc; k++) out[k * MR + i] = src[k * cs];
    }
    out += (long)kc * MR;
  }
}

/* Packing buffers: allocated once per thread (Node calls us from its main thread, but a
   worker_thread would get its own), never freed: MC·KC + KC·NC floats ≈ 2.2 MiB. */
static __thread float *pa, *pb;

/* Allocates this thread's packing buffers once; 0, or −1 when out of memory. */
static int ensure_buffers(void) {
  if (pa) return 0;
  pa = aligned_alloc(64, sizeof(float) * MC * KC);
  pb = aligned_alloc(64, sizeof(float) * KC * NC);
  if (pa && pb) return 0;
  free(pa);
  free(pb);
  pa = pb = NULL;
  return -1;
}

/*
 * C (m×n, row stride ldc) = (accumulate ? C : 0) + A·B with arbitrary element strides:
 * A(i, p) = a[i·rsA + p·csA], B(p, j) = b[p·rsB + j·csB]. Transposed and strided views (a head's
 * columns inside a packed qkv matrix) cost nothing extra: packing reads them either way.
 */
int spa_sgemm_strided(int m, int n, int k, const float *a, long rsA, long csA, const float *b, long rsB, long csB, float *c, long ldc, int accumulate) {
  if (ensure_buffers()) return -1;
  if (k == 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++) memset(c + i * ldc, 0, sizeof(float) * (size_t)n);
    return 0;
  }
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = k - pc < KC ? k - pc : KC;
      pack_b(kc, nc, b + pc * rsB + jc * csB, rsB, csB, pb);
      for (int ic = 0; ic < m; ic += MC) {
        const int mc = m - ic < MC ? m - ic : MC;
        pack_a(mc, kc, a + ic * rsA + pc * csA, rsA, csA, pa);
        for (int jr = 0; jr < nc; jr += NR) {
          const int nr = nc - jr < NR ? nc - jr : NR;
          for (int ir = 0; ir < mc; ir += MR) {
            const int mr = mc - ir < MR ? mc - ir : MR;
            micro_kernel(kc, pa + (long)ir * kc, pb + (long)jr * kc, c + (long)(ic + ir) * ldc + jc + jr, ldc, mr, nr, accumulate || pc > 0);
          }
        }
      }
    }
  }
  return 0;
}

/* C (m×n, row stride n) = op(A)·op(B); A is m×k (or k×m when transA), B is k×n (or n×k). */
int spa_sgemm(int m, int n, int k, const float *a, int transA, const float *b, int transB, float *c) {
  const long rsA = transA ? 1 : k, csA = transA ? m : 1;
  if (m == 1 && !transB && k > 0) {
    /* A row vector (sumRows: ones[1, N]·x): stream B's rows once, c += a_k·B[k, :]. Packing B
       for the general path would cost more than the product. */
    memset(c, 0, sizeof(float) * (size_t)n);
    for (int p = 0; p < k; p++) {
      const float ap = a[p * csA];
      const float *restrict br = b + (long)p * n;
      for (int j = 0; j < n; j++) c[j] += ap * br[j];
    }
    return 0;
  }
  return spa_sgemm_strided(m, n, k, a, rsA, csA, b, transB ? 1 : n, transB ? k : 1, c, n, 0);
}
