/*
 * Fused forward/backward kernels of the transformer's non-matmul ops, for the wasm backend's
 * heap (registered by engine/native/fused-kernels.ts; see engine/model/README.md, "Native kernels"),
 * and the KV-cache attention of generation.
 *
 * On wasm each of these ops is a chain of small tfjs kernels (attention: 3 products, a softmax,
 * a mask add and JS copies per (sequence, head, query chunk); LayerNorm's backward: ~10
 * elementwise kernels), and the per-kernel overhead plus the JS copies cost more than the
 * arithmetic. Here each op is one kernel call: one pass over memory, or for attention a few
 * GEMMs per query chunk (sgemm.c) reading Q, K and V in place.
 *
 * Every function computes exactly the function of its TF.js counterpart in engine/model/ops/
 * (same formulas, float32, a different summation order): causal attention with the
 * 1/sqrt(dh) scale, LayerNorm with eps, GELU as x·sigmoid(1.702x), log-softmax at a target.
 * Attention keeps only the per-row log-sum-exp from the forward and recomputes the
 * probabilities in the backward (as FlashAttention does), so its memory is O(B·H·T), not
 * O(B·H·T²).
 *
 * Loops are written so that -O3 -march=native vectorises them without -ffast-math: inner
 * loops are element-wise over a contiguous axis (axpy forms, never a dot product over a
 * strided one), and reductions keep LANES independent partial sums.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LANES 16

/* 16 floats as one GCC vector (one zmm with AVX-512; the compiler splits it on narrower ISAs). */
typedef float vf __attribute__((vector_size(64)));
typedef int32_t vi __attribute__((vector_size(64)));
#define VN 16

/*
 * e^x per lane (Cephes' expf: x = n·ln2 + r, a degree-6 polynomial for e^r, 2^n built in the
 * exponent bits; relative error < 1e-7, inputs clamped to [−87, 88]). Written with vector
 * extensions because GCC does not vectorise the bit cast in a scalar loop.
 */
static inline vf exp_v(vf x) {
  const vf lo = (vf){0} - 87.0f, hi = (vf){0} + 88.0f;
  const vi below = x < lo, above = x > hi;
  x = (vf)(((vi)x & ~below) | ((vi)lo & below));
  x = (vf)(((vi)x & ~above) | ((vi)hi & above));
  const vi ni = __builtin_convertvector(x * 1.44269504088896341f + 128.5f, vi) - 128; /* floor(x·log2(e) + 1/2) */
  const vf n = __builtin_convertvector(ni, vf);
  const vf r = x - n * 0.693359375f + n * 2.12194440e-4f;
  vf p = r * 1.9875691500e-4f + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * (vf)((ni + 127) << 23);
}

/* The first len ≤ VN floats of a as a vector (the rest 0), and back; a full vector is one load/store. */
static inline vf load_v(const float *a, int64_t len) {
  vf x = {0};
  if (len == VN) memcpy(&x, a, sizeof x);
  else memcpy(&x, a, sizeof(float) * len);
  return x;
}
static inline void store_v(float *a, vf x, int64_t len) {
  if (len == VN) memcpy(a, &x, sizeof x);
  else memcpy(a, &x, sizeof(float) * len);
}

/* dst[j] = a·exp(src[j] − shift) for j < n (dst may be src). */
static void exp_shift(float *dst, const float *src, int64_t n, float shift, float a) {
  for (int64_t j = 0; j < n; j += VN) {
    const int64_t len = n - j < VN ? n - j : VN;
    store_v(dst + j, exp_v(load_v(src + j, len) - shift) * a, len);
  }
}

/* y[0..n) += a·x[0..n). */
static inline void axpy(float *restrict y, float a, const float *restrict x, int n) {
  for (int c = 0; c < n; c++) y[c] += a * x[c];
}

static float sum_f(const float *restrict a, int n) {
  float acc[LANES] = {0};
  int j = 0;
  for (; j + LANES <= n; j += LANES)
    for (int l = 0; l < LANES; l++) acc[l] += a[j + l];
  float s = 0;
  for (; j < n; j++) s += a[j];
  for (int l = 0; l < LANES; l++) s += acc[l];
  return s;
}

static float dot_f(const float *restrict a, const float *restrict b, int n) {
  float acc[LANES] = {0};
  int j = 0;
  for (; j + LANES <= n; j += LANES)
    for (int l = 0; l < LANES; l++) acc[l] += a[j + l] * b[j + l];
  float s = 0;
  for (; j < n; j++) s += a[j] * b[j];
  for (int l = 0; l < LANES; l++) s += acc[l];
  return s;
}

static float max_f(const float *restrict a, int n) {
  float acc[LANES];
  for (int l = 0; l < LANES; l++) acc[l] = -INFINITY;
  int j = 0;
  for (; j + LANES <= n; j += LANES)
    for (int l = 0; l < LANES; l++) acc[l] = a[j + l] > acc[l] ? a[j + l] : acc[l];
  float m = -INFINITY;
  for (; j < n; j++) m = a[j] > m ? a[j] : m;
  for (int l = 0; l < LANES; l++) m = acc[l] > m ? acc[l] : m;
  return m;
}

/* s[0..n) = Σ_c q[c]·kT[c][0..n)  (kT is [dh][T]; vectorised over keys, no horizontal sums). */
static void scores(const float *restrict q, const float *restrict kT, int T, int dh, int n, float *restrict s) {
  for (int j = 0; j < n; j++) s[j] = 0;
  for (int c = 0; c < dh; c++) {
    const float a = q[c];
    const float *restrict k = kT + (int64_t)c * T;
    for (int j = 0; j < n; j++) s[j] += a * k[j];
  }
}

int spa_sgemm_strided(int m, int n, int k, const float *a, long rsA, long csA, const float *b, long rsB, long csB, float *c, long ldc, int accumulate);

/* Query rows per chunk: chunk [c0, c1) attends keys [0, c1) only, so most of the masked upper
   triangle is never computed (T = 256: 5/8 of the square). */
#define ATTN_CHUNK 64

/*
 * One score row s [keys] of query i (visible = i + 1 keys) → probabilities in place:
 * p_j = exp(scale·s_j − lse) for j ≤ i, 0 above the diagonal. known = 0 (forward): lse is the
 * row's own log-sum-exp, computed and returned; known = 1 (backward): the saved lse is used.
 */
static float softmax_row(float *restrict s, int visible, int keys, float scale, float lse, int known) {
  for (int j = 0; j < visible; j++) s[j] *= scale;
  if (!known) {
    const float m = max_f(s, visible);
    exp_shift(s, s, visible, m, 1.0f);
    const float z = sum_f(s, visible);
    lse = m + logf(z);
    const float inv = 1.0f / z;
    for (int j = 0; j < visible; j++) s[j] *= inv;
  } else {
    exp_shift(s, s, visible, lse, 1.0f);
  }
  for (int j = visible; j < keys; j++) s[j] = 0;
  return lse;
}

/*
 * out[B·T, d] = causal softmax(Q·Kᵀ/√dh)·V per (sequence, head), heads concatenated;
 * lse[B][H][T] = each query row's log Σ_j exp(s_j) (what the backward needs). Q, K and V are
 * read in place from qkv [B·T, 3d] as strided views; per query chunk, S = Q·Kᵀ and O = P·V are
 * two GEMMs (sgemm.c).
 */
int spa_attention_forward(const float *qkv, float *out, float *lse, int B, int T, int H, int dh) {
  const long d = (long)H * dh, ld = 3 * d;
  const float scale = 1.0f / sqrtf((float)dh);
  float *S = malloc(sizeof(float) * (size_t)ATTN_CHUNK * T);
  if (!S) return -1;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      const float *q = qkv + (long)b * T * ld + (long)h * dh, *k = q + d, *v = q + 2 * d;
      float *l = lse + ((long)b * H + h) * T;
      for (int c0 = 0; c0 < T; c0 += ATTN_CHUNK) {
        const int c1 = c0 + ATTN_CHUNK < T ? c0 + ATTN_CHUNK : T, rows = c1 - c0;
        /* S [rows, c1] = Q[c0:c1]·K[0:c1]ᵀ */
        if (spa_sgemm_strided(rows, c1, dh, q + c0 * ld, ld, 1, k, 1, ld, S, c1, 0)) goto oom;
        for (int r = 0; r < rows; r++) l[c0 + r] = softmax_row(S + (long)r * c1, c0 + r + 1, c1, scale, 0, 0);
        /* O[c0:c1] = P·V[0:c1], written into this head's columns of out */
        if (spa_sgemm_strided(rows, dh, c1, S, c1, 1, v, ld, 1, out + ((long)b * T + c0) * d + (long)h * dh, d, 0)) goto oom;
      }
    }
  }
  free(S);
  return 0;
oom:
  free(S);
  return -1;
}

/*
 * dqkv[B·T, 3d] from qkv, the forward's lse and dy = ∂L/∂out [B·T, d]. Per query chunk, with
 * P recomputed as exp(scale·Q·Kᵀ − lse):
 *   dP = dO·Vᵀ,  D_i = Σ_j P_ij·dP_ij,  dS = scale·P ⊙ (dP − D),
 *   dQ = dS·K,  dK += dSᵀ·Q,  dV += Pᵀ·dO   (five GEMMs; dK and dV accumulate over chunks).
 */
int spa_attention_backward(const float *qkv, const float *lse, const float *dy, float *dqkv, int B, int T, int H, int dh) {
  const long d = (long)H * dh, ld = 3 * d;
  const float scale = 1.0f / sqrtf((float)dh);
  float *P = malloc(sizeof(float) * 2 * (size_t)ATTN_CHUNK * T);
  if (!P) return -1;
  float *dP = P + (size_t)ATTN_CHUNK * T;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      const float *q = qkv + (long)b * T * ld + (long)h * dh, *k = q + d, *v = q + 2 * d;
      const float *g = dy + (long)b * T * d + (long)h * dh;
      float *dq = dqkv + (long)b * T * ld + (long)h * dh, *dk = dq + d, *dv = dq + 2 * d;
      const float *l = lse + ((long)b * H + h) * T;
      for (int i = 0; i < T; i++) {
        memset(dk + i * ld, 0, sizeof(float) * dh);
        memset(dv + i * ld, 0, sizeof(float) * dh);
      }
      for (int c0 = 0; c0 < T; c0 += ATTN_CHUNK) {
        const int c1 = c0 + ATTN_CHUNK < T ? c0 + ATTN_CHUNK : T, rows = c1 - c0;
        if (spa_sgemm_strided(rows, c1, dh, q + c0 * ld, ld, 1, k, 1, ld, P, c1, 0)) goto oom; /* S */
        for (int r = 0; r < rows; r++) softmax_row(P + (long)r * c1, c0 + r + 1, c1, scale, l[c0 + r], 1);
        if (spa_sgemm_strided(rows, c1, dh, g + c0 * d, d, 1, v, 1, ld, dP, c1, 0)) goto oom; /* dP = dO·Vᵀ */
        for (int r = 0; r < rows; r++) {
          float *restrict pr = P + (long)r * c1, *restrict dpr = dP + (long)r * c1;
          const int visible = c0 + r + 1;
          const float D = dot_f(pr, dpr, visible);
          for (int j = 0; j < visible; j++) dpr[j] = scale * pr[j] * (dpr[j] - D); /* dP becomes dS */
          for (int j = visible; j < c1; j++) dpr[j] = 0;
        }
        if (spa_sgemm_strided(rows, dh, c1, dP, c1, 1, k, ld, 1, dq + c0 * ld, ld, 0)) goto oom;     /* dQ = dS·K */
        if (spa_sgemm_strided(c1, dh, rows, dP, 1, c1, q + c0 * ld, ld, 1, dk, ld, 1)) goto oom;     /* dK += dSᵀ·Q */
        if (spa_sgemm_strided(c1, dh, rows, P, 1, c1, g + c0 * d, d, 1, dv, ld, 1)) goto oom;        /* dV += Pᵀ·dO */
      }
    }
  }
  free(P);
  return 0;
oom:
  free(P);
  return -1;
}

/* y = (x − mean)·rstd·g + b per row of x [N, d]; mean and rstd [N] kept for the backward. */
void spa_layer_norm_forward(const float *x, const float *g, const float *bias, float *y, float *mean, float *rstd, int64_t N, int d, float eps) {
  for (int64_t r = 0; r < N; r++) {
    const float *restrict xr = x + r * d;
    float *restrict yr = y + r * d;
    const float mu = sum_f(xr, d) / (float)d;
    for (int c = 0; c < d; c++) yr[c] = xr[c] - mu; /* y holds x − mean until the last loop */
    const float rs = 1.0f / sqrtf(dot_f(yr, yr, d) / (float)d + eps);
    for (int c = 0; c < d; c++) yr[c] = yr[c] * rs * g[c] + bias[c];
    mean[r] = mu;
    rstd[r] = rs;
  }
}

/*
 * x̂ = (x − mean)·rstd, dx̂ = dy·g:  dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))·rstd,
 * dg = Σ_rows dy·x̂, db = Σ_rows dy.
 */
int spa_layer_norm_backward(const float *x, const float *g, const float *mean, const float *rstd, const float *dy, float *dx, float *dg, float *db, int64_t N, int d) {
  float *xh = malloc(sizeof(float) * 2 * (size_t)d);
  if (!xh) return -1;
  float *gx = xh + d;
  memset(dg, 0, sizeof(float) * d);
  memset(db, 0, sizeof(float) * d);
  for (int64_t r = 0; r < N; r++) {
    const float *restrict xr = x + r * d;
    const float *restrict dyr = dy + r * d;
    float *restrict dxr = dx + r * d;
    const float mu = mean[r], rs = rstd[r];
    for (int c = 0; c < d; c++) {
      xh[c] = (xr[c] - mu) * rs;
      gx[c] = dyr[c] * g[c];
      dg[c] += dyr[c] * xh[c];
      db[c] += dyr[c];
    }
    const float m1 = sum_f(gx, d) / (float)d;
    const float m2 = dot_f(gx, xh, d) / (float)d;
    for (int c = 0; c < d; c++) dxr[c] = (gx[c] - m1 - xh[c] * m2) * rs;
  }
  free(xh);
  return 0;
}

#define GELU_K 1.702f

/* y = x·σ(1.702·x). */
void spa_gelu_forward(const float *x, float *y, int64_t n) {
  for (int64_t j = 0; j < n; j += VN) {
    const int64_t len = n - j < VN ? n - j : VN;
    const vf xv = load_v(x + j, len);
    store_v(y + j, xv / (1.0f + exp_v(xv * -GELU_K)), len);
  }
}

/* dx = dy·(σ + 1.702·x·σ·(1 − σ)), σ = σ(1.702·x). */
void spa_gelu_backward(const float *x, const float *dy, float *dx, int64_t n) {
  for (int64_t j = 0; j < n; j += VN) {
    const int64_t len = n - j < VN ? n - j : VN;
    const vf xv = load_v(x + j, len);
    const vf s = 1.0f / (1.0f + exp_v(xv * -GELU_K));
    store_v(dx + j, load_v(dy + j, len) * (s + GELU_K * xv * s * (1.0f - s)), len);
  }
}

/* lp[r] = logits[r][t_r] − lse[r], lse[r] = log Σ_v exp(logits[r][v]); targets are checked by the caller. */
int spa_log_probs_forward(const float *logits, const int32_t *targets, float *lp, float *lse, int64_t N, int V) {
  float *scratch = malloc(sizeof(float) * V);
  if (!scratch) return -1;
  for (int64_t r = 0; r < N; r++) {
    const float *restrict lr = logits + r * V;
    const float m = max_f(lr, V);
    exp_shift(scratch, lr, V, m, 1.0f);
    const float z = m + logf(sum_f(scratch, V));
    lse[r] = z;
    lp[r] = lr[targets[r]] - z;
  }
  free(scratch);
  return 0;
}

/* dlogits[r][v] = (onehot(t_r)[v] − softmax(logits[r])[v])·dy[r]. */
void spa_log_probs_backward(const float *logits, const int32_t *targets, const float *lse, const float *dy, float *dl, int64_t N, int V) {
  for (int64_t r = 0; r < N; r++) {
    const float *restrict lr = logits + r * V;
    float *restrict dr = dl + r * V;
    const float z = lse[r], g = dy[r];
    exp_shift(dr, lr, V, z, -g);
    dr[targets[r]] += g;
  }
}

/*
 * One new token per row against a key/value cache (generation). Row i has cache slot slots[i]
 * and position t = pos[i]: its k and v (from qkv [n, 3d]) are written at t, then
 * out[i] = softmax(q̂·K[0..t]ᵀ)·V[0..t] per head. Layouts: kc [slot][head][dh][ctx] (keys
 * transposed, so the scores are an axpy over positions), vc [slot][head][ctx][dh].
 */
int spa_attention_decode(const float *qkv, float *out, float *kc, float *vc, const int32_t *slots, const int32_t *pos, int n, int H, int dh, int ctx) {
  const int d = H * dh;
  const float scale = 1.0f / sqrtf((float)dh);
  float *s = malloc(sizeof(float) * ((size_t)ctx + 2 * (size_t)dh));
  if (!s) return -1;
  float *q = s + ctx, *acc = q + dh;
  for (int i = 0; i < n; i++) {
    const int t = pos[i];
    const float *src = qkv + (int64_t)i * 3 * d;
    for (int h = 0; h < H; h++) {
      float *kT = kc + (((int64_t)slots[i] * H + h) * dh) * ctx;
      float *v = vc + (((int64_t)slots[i] * H + h) * ctx) * dh;
      for (int c = 0; c < dh; c++) {
        q[c] = src[h * dh + c] * scale;
        kT[(int64_t)c * ctx + t] = src[d + h * dh + c];
        v[(int64_t)t * dh + c] = src[2 * d + h * dh + c];
      }
      scores(q, kT, ctx, dh, t + 1, s);
      const float m = max_f(s, t + 1);
      exp_shift(s, s, t + 1, m, 1.0f);
      const float inv = 1.0f / sum_f(s, t + 1);
      for (int c = 0; c < dh; c++) acc[c] = 0;
      for (int j = 0; j <= t; j++) axpy(acc, s[j] * inv, v + (int64_t)j * dh, dh);
      memcpy(out + (int64_t)i * d + h * dh, acc, sizeof(float) * dh);
    }
  }
  free(s);
  return 0;
}
