/*
 * Fused forward/backward kernels of the transformer's non-matmul ops, for the wasm backend's
 * heap (see engine/native/fused.ts and engine/model/README.md, "Native kernels").
 *
 * On wasm each of these ops is a chain of small tfjs kernels (attention: 3 products, a softmax,
 * a mask add and JS copies per (sequence, head, query chunk); LayerNorm's backward: ~10
 * elementwise kernels), and the per-kernel overhead plus the JS copies cost more than the
 * arithmetic. Here each op is one pass over memory.
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

/* One (sequence, head) block of a packed qkv [B·T, 3d] copied out contiguous. */
struct head_views {
  float *q;  /* [T][dh], scaled by 1/sqrt(dh) */
  float *k;  /* [T][dh] */
  float *kT; /* [dh][T] */
  float *v;  /* [T][dh] */
  float *vT; /* [dh][T] (backward only) */
};

static void gather_head(const float *qkv, int64_t row0, int T, int d, int h, int dh, float scale, struct head_views *hv) {
  for (int i = 0; i < T; i++) {
    const float *src = qkv + (row0 + i) * 3 * d + (int64_t)h * dh;
    for (int c = 0; c < dh; c++) {
      hv->q[i * dh + c] = src[c] * scale;
      const float kc = src[d + c], vc = src[2 * d + c];
      if (hv->k) hv->k[i * dh + c] = kc;
      hv->kT[(int64_t)c * T + i] = kc;
      hv->v[i * dh + c] = vc;
      if (hv->vT) hv->vT[(int64_t)c * T + i] = vc;
    }
  }
}

/*
 * out[B·T, d] = causal softmax(Q·Kᵀ/√dh)·V per (sequence, head), heads concatenated;
 * lse[B][H][T] = each query row's log Σ_j exp(s_j) (what the backward needs).
 */
int spa_attention_forward(const float *qkv, float *out, float *lse, int B, int T, int H, int dh) {
  const int d = H * dh;
  const float scale = 1.0f / sqrtf((float)dh);
  const size_t block = (size_t)T * dh;
  float *buf = malloc(sizeof(float) * (3 * block + T + dh));
  if (!buf) return -1;
  struct head_views hv = {buf, NULL, buf + block, buf + 2 * block, NULL};
  float *s = buf + 3 * block, *acc = s + T;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      gather_head(qkv, (int64_t)b * T, T, d, h, dh, scale, &hv);
      float *l = lse + ((int64_t)b * H + h) * T;
      for (int i = 0; i < T; i++) {
        const int n = i + 1; /* keys 0..i are visible */
        scores(hv.q + (int64_t)i * dh, hv.kT, T, dh, n, s);
        const float m = max_f(s, n);
        exp_shift(s, s, n, m, 1.0f);
        const float z = sum_f(s, n);
        l[i] = m + logf(z);
        const float inv = 1.0f / z;
        for (int c = 0; c < dh; c++) acc[c] = 0;
        for (int j = 0; j < n; j++) axpy(acc, s[j] * inv, hv.v + (int64_t)j * dh, dh);
        float *dst = out + ((int64_t)b * T + i) * d + (int64_t)h * dh;
        for (int c = 0; c < dh; c++) dst[c] = acc[c];
      }
    }
  }
  free(buf);
  return 0;
}

/*
 * dqkv[B·T, 3d] from qkv, the forward's lse and dy = ∂L/∂out [B·T, d]. Per query row i, with
 * p_j recomputed as exp(s_j − lse_i):
 *   dP_j = dO_i·v_j,  D_i = Σ_j p_j·dP_j,  dS_j = p_j·(dP_j − D_i),
 *   dQ_i = Σ_j dS_j·k_j (× scale),  dK_j += dS_j·q̂_i,  dV_j += p_j·dO_i   (q̂ = scaled q).
 */
int spa_attention_backward(const float *qkv, const float *lse, const float *dy, float *dqkv, int B, int T, int H, int dh) {
  const int d = H * dh;
  const float scale = 1.0f / sqrtf((float)dh);
  const size_t block = (size_t)T * dh;
  float *buf = malloc(sizeof(float) * (9 * block + 3 * (size_t)T));
  if (!buf) return -1;
  struct head_views hv = {buf, buf + block, buf + 2 * block, buf + 3 * block, buf + 4 * block};
  float *dO = buf + 5 * block, *dQ = buf + 6 * block, *dK = buf + 7 * block, *dV = buf + 8 * block;
  float *p = buf + 9 * block, *dp = p + T, *ds = dp + T;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      const int64_t row0 = (int64_t)b * T;
      gather_head(qkv, row0, T, d, h, dh, scale, &hv);
      for (int i = 0; i < T; i++) memcpy(dO + (int64_t)i * dh, dy + (row0 + i) * d + (int64_t)h * dh, sizeof(float) * dh);
      memset(dK, 0, sizeof(float) * block);
      memset(dV, 0, sizeof(float) * block);
      const float *l = lse + ((int64_t)b * H + h) * T;
      for (int i = 0; i < T; i++) {
        const int n = i + 1;
        const float *restrict qi = hv.q + (int64_t)i * dh;
        const float *restrict gi = dO + (int64_t)i * dh;
        scores(qi, hv.kT, T, dh, n, p);
        const float li = l[i];
        exp_shift(p, p, n, li, 1.0f);
        scores(gi, hv.vT, T, dh, n, dp);
        const float D = dot_f(p, dp, n);
        for (int j = 0; j < n; j++) ds[j] = p[j] * (dp[j] - D);
        float *restrict dqi = dQ + (int64_t)i * dh;
        for (int c = 0; c < dh; c++) dqi[c] = 0;
        for (int j = 0; j < n; j++) {
          axpy(dqi, ds[j], hv.k + (int64_t)j * dh, dh);
          axpy(dK + (int64_t)j * dh, ds[j], qi, dh);
          axpy(dV + (int64_t)j * dh, p[j], gi, dh);
        }
      }
      for (int i = 0; i < T; i++) {
        float *dst = dqkv + (row0 + i) * 3 * d + (int64_t)h * dh;
        for (int c = 0; c < dh; c++) {
          dst[c] = dQ[(int64_t)i * dh + c] * scale;
          dst[d + c] = dK[(int64_t)i * dh + c];
          dst[2 * d + c] = dV[(int64_t)i * dh + c];
        }
      }
    }
  }
  free(buf);
  return 0;
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
