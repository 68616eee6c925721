/*
 * Node-API face of sgemm.c: spa_native.node, loaded by engine/native/index.ts.
 *
 *   sgemm(heap: ArrayBuffer, aOff, bOff, cOff, batch, m, n, k, transA, transB, aStride, bStride)
 *
 *   transpose(heap: ArrayBuffer, inOff, outOff, batch, rows, cols, elem)
 *     out[b][c][r][0:elem] = in[b][r][c][0:elem], 4-byte elements (transpose.c)
 *
 *   attentionForward/Backward, layerNormForward/Backward, geluForward/Backward,
 *   logProbsForward/Backward(heap, offsets..., sizes...): the fused ops of fused.c, each
 *   documented at its wrapper below.
 *
 * Offsets are byte offsets into `heap` (the wasm backend's memory, so nothing is copied);
 * per batch entry i, A starts at aOff + 4·i·aStride (aStride 0 broadcasts one matrix), same
 * for B, and C is packed [batch, m, n]. Every operand's extent is checked against the
 * buffer's length, so a wrong offset throws instead of scribbling over the heap.
 * Node-API (not V8's C++ API) keeps the binary valid across Node and Electron versions.
 */
#include <node_api.h>
#include <stdint.h>

const char *spa_sgemm_isa(void);
int spa_sgemm(int m, int n, int k, const float *a, int transA, const float *b, int transB, float *c);
void spa_transpose(int64_t batch, int64_t rows, int64_t cols, int64_t elem, const uint32_t *in, uint32_t *out);

#define ARGS 12
typedef unsigned __int128 u128;

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, "SPA_NATIVE", message);
  return NULL;
}

static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = ARGS;
  napi_value argv[ARGS];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != ARGS) return fail(env, "sgemm: expected 12 arguments");
  void *data;
  size_t length;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) return fail(env, "sgemm: argument 0 must be an ArrayBuffer");
  int64_t v[ARGS - 1];
  for (int i = 0; i < ARGS - 1; i++) {
    if (napi_get_value_int64(env, argv[i + 1], &v[i]) != napi_ok || v[i] < 0) return fail(env, "sgemm: arguments 1-11 must be non-negative numbers");
  }
  const int64_t aOff = v[0], bOff = v[1], cOff = v[2], batch = v[3], m = v[4], n = v[5], k = v[6];
  const int transA = v[7] != 0, transB = v[8] != 0;
  const int64_t aStride = v[9], bStride = v[10];
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) return fail(env, "sgemm: dimension too large");
  if ((aOff | bOff | cOff) & 3) return fail(env, "sgemm: offsets must be 4-byte aligned");
  if (batch == 0 || m == 0 || n == 0) return NULL;
  /* Bounds in 128-bit arithmetic: no product of these (each < 2^53) can wrap. */
  const u128 len = length;
  if (aOff + 4 * ((u128)(batch - 1) * aStride + (u128)m * k) > len || bOff + 4 * ((u128)(batch - 1) * bStride + (u128)k * n) > len ||
      cOff + 4 * (u128)batch * m * n > len)
    return fail(env, "sgemm: operand out of the buffer's bounds");
  uint8_t *base = data;
  for (int64_t i = 0; i < batch; i++) {
    const float *a = (const float *)(base + aOff) + i * aStride;
    const float *b = (const float *)(base + bOff) + i * bStride;
    float *c = (float *)(base + cOff) + i * m * n;
    if (spa_sgemm((int)m, (int)n, (int)k, a, transA, b, transB, c) != 0) return fail(env, "sgemm: out of memory");
  }
  return NULL;
}

static napi_value transpose(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 7) return fail(env, "transpose: expected 7 arguments");
  void *data;
  size_t length;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) return fail(env, "transpose: argument 0 must be an ArrayBuffer");
  int64_t v[6];
  for (int i = 0; i < 6; i++) {
    if (napi_get_value_int64(env, argv[i + 1], &v[i]) != napi_ok || v[i] < 0 || (i >= 2 && v[i] > INT32_MAX))
      return fail(env, "transpose: arguments 1-6 must be non-negative numbers (sizes below 2^31)");
  }
  const int64_t inOff = v[0], outOff = v[1], batch = v[2], rows = v[3], cols = v[4], elem = v[5];
  if ((inOff | outOff) & 3) return fail(env, "transpose: offsets must be 4-byte aligned");
  const u128 bytes = (u128)4 * batch * rows * cols * elem; /* each factor < 2^31: no wrap in 128 bits */
  if (inOff + bytes > length || outOff + bytes > length) return fail(env, "transpose: operand out of the buffer's bounds");
  uint8_t *base = data;
  spa_transpose(batch, rows, cols, elem, (const uint32_t *)(base + inOff), (uint32_t *)(base + outOff));
  return NULL;
}

/* ---- fused ops (fused.c) ---- */

int spa_attention_forward(const float *qkv, float *out, float *lse, int B, int T, int H, int dh);
int spa_attention_backward(const float *qkv, const float *lse, const float *dy, float *dqkv, int B, int T, int H, int dh);
void spa_layer_norm_forward(const float *x, const float *g, const float *bias, float *y, float *mean, float *rstd, int64_t N, int d, float eps);
int spa_layer_norm_backward(const float *x, const float *g, const float *mean, const float *rstd, const float *dy, float *dx, float *dg, float *db, int64_t N, int d);
void spa_gelu_forward(const float *x, float *y, int64_t n);
void spa_gelu_backward(const float *x, const float *dy, float *dx, int64_t n);
int spa_log_probs_forward(const float *logits, const int32_t *targets, float *lp, float *lse, int64_t N, int V);
void spa_log_probs_backward(const float *logits, const int32_t *targets, const float *lse, const float *dy, float *dl, int64_t N, int V);
int spa_attention_decode(const float *qkv, float *out, float *kc, float *vc, const int32_t *slots, const int32_t *pos, int n, int H, int dh, int ctx);

/*
 * The calling convention of every fused op: (heap, byte offsets..., sizes...), integers
 * non-negative. heap_args reads argv[0] as the heap and the next `count` arguments as integers
 * into c->v, and checks that exactly `extra` more follow (left in c->argv for the caller);
 * returns 0, or throws and returns -1.
 */
struct heap_call {
  uint8_t *base;
  size_t length;
  int64_t v[14];
  napi_value argv[16];
};

static int heap_args(napi_env env, napi_callback_info info, const char *name, size_t count, size_t extra, struct heap_call *c) {
  size_t argc = 16;
  if (napi_get_cb_info(env, info, &argc, c->argv, NULL, NULL) != napi_ok || argc != 1 + count + extra || count > 14) {
    fail(env, name);
    return -1;
  }
  void *data;
  if (napi_get_arraybuffer_info(env, c->argv[0], &data, &c->length) != napi_ok) {
    fail(env, "fused op: argument 0 must be an ArrayBuffer");
    return -1;
  }
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_int64(env, c->argv[i + 1], &c->v[i]) != napi_ok || c->v[i] < 0) {
      fail(env, "fused op: offsets and sizes must be non-negative numbers");
      return -1;
    }
  }
  c->base = data;
  return 0;
}

/*
 * Whether operand i (byte offset c->v[i], i < n) is 4-byte aligned and its counts[i] elements of
 * 4 bytes lie inside the heap: a wrong offset throws instead of writing over the heap.
 */
static int operands_in_heap(const struct heap_call *c, const u128 *counts, int n) {
  for (int i = 0; i < n; i++)
    if ((c->v[i] & 3) || c->v[i] + 4 * counts[i] > (u128)c->length) return 0;
  return 1;
}

#define SIZE_OK(x) ((x) > 0 && (x) <= INT32_MAX)
#define OUT_OF_BOUNDS(name) fail(env, name ": operand out of the buffer's bounds")
/* Operand i of the call as a pointer into the heap. */
#define AT(c, i) ((void *)((c).base + (c).v[i]))

/* attentionForward(heap, qkvOff, outOff, lseOff, B, T, H, dh) */
static napi_value attention_forward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "attentionForward: expected 8 arguments", 7, 0, &c)) return NULL;
  const int64_t B = c.v[3], T = c.v[4], H = c.v[5], dh = c.v[6];
  if (!SIZE_OK(B) || !SIZE_OK(T) || !SIZE_OK(H) || !SIZE_OK(dh)) return fail(env, "attentionForward: sizes must be in [1, 2^31)");
  const u128 rows = (u128)B * T, d = (u128)H * dh;
  if (!operands_in_heap(&c, (u128[]){rows * 3 * d, rows * d, rows * H}, 3)) return OUT_OF_BOUNDS("attentionForward");
  if (spa_attention_forward(AT(c, 0), AT(c, 1), AT(c, 2), (int)B, (int)T, (int)H, (int)dh)) return fail(env, "attentionForward: out of memory");
  return NULL;
}

/* attentionBackward(heap, qkvOff, lseOff, dyOff, dqkvOff, B, T, H, dh) */
static napi_value attention_backward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "attentionBackward: expected 9 arguments", 8, 0, &c)) return NULL;
  const int64_t B = c.v[4], T = c.v[5], H = c.v[6], dh = c.v[7];
  if (!SIZE_OK(B) || !SIZE_OK(T) || !SIZE_OK(H) || !SIZE_OK(dh)) return fail(env, "attentionBackward: sizes must be in [1, 2^31)");
  const u128 rows = (u128)B * T, d = (u128)H * dh;
  if (!operands_in_heap(&c, (u128[]){rows * 3 * d, rows * H, rows * d, rows * 3 * d}, 4)) return OUT_OF_BOUNDS("attentionBackward");
  if (spa_attention_backward(AT(c, 0), AT(c, 1), AT(c, 2), AT(c, 3), (int)B, (int)T, (int)H, (int)dh)) return fail(env, "attentionBackward: out of memory");
  return NULL;
}

/* layerNormForward(heap, xOff, gOff, bOff, yOff, meanOff, rstdOff, N, d, eps) */
static napi_value layer_norm_forward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "layerNormForward: expected 10 arguments", 8, 1, &c)) return NULL;
  double eps;
  if (napi_get_value_double(env, c.argv[9], &eps) != napi_ok || !(eps > 0)) return fail(env, "layerNormForward: argument 9 (eps) must be a positive number");
  const int64_t N = c.v[6], d = c.v[7];
  if (!SIZE_OK(d)) return fail(env, "layerNormForward: d must be in [1, 2^31)");
  const u128 nd = (u128)N * d;
  if (!operands_in_heap(&c, (u128[]){nd, d, d, nd, N, N}, 6)) return OUT_OF_BOUNDS("layerNormForward");
  spa_layer_norm_forward(AT(c, 0), AT(c, 1), AT(c, 2), AT(c, 3), AT(c, 4), AT(c, 5), N, (int)d, (float)eps);
  return NULL;
}

/* layerNormBackward(heap, xOff, gOff, meanOff, rstdOff, dyOff, dxOff, dgOff, dbOff, N, d) */
static napi_value layer_norm_backward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "layerNormBackward: expected 11 arguments", 10, 0, &c)) return NULL;
  const int64_t N = c.v[8], d = c.v[9];
  if (!SIZE_OK(d)) return fail(env, "layerNormBackward: d must be in [1, 2^31)");
  const u128 nd = (u128)N * d;
  if (!operands_in_heap(&c, (u128[]){nd, d, N, N, nd, nd, d, d}, 8)) return OUT_OF_BOUNDS("layerNormBackward");
  if (spa_layer_norm_backward(AT(c, 0), AT(c, 1), AT(c, 2), AT(c, 3), AT(c, 4), AT(c, 5), AT(c, 6), AT(c, 7), N, (int)d)) return fail(env, "layerNormBackward: out of memory");
  return NULL;
}

/* geluForward(heap, xOff, yOff, n) */
static napi_value gelu_forward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "geluForward: expected 4 arguments", 3, 0, &c)) return NULL;
  const u128 n = c.v[2];
  if (!operands_in_heap(&c, (u128[]){n, n}, 2)) return OUT_OF_BOUNDS("geluForward");
  spa_gelu_forward(AT(c, 0), AT(c, 1), c.v[2]);
  return NULL;
}

/* geluBackward(heap, xOff, dyOff, dxOff, n) */
static napi_value gelu_backward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "geluBackward: expected 5 arguments", 4, 0, &c)) return NULL;
  const u128 n = c.v[3];
  if (!operands_in_heap(&c, (u128[]){n, n, n}, 3)) return OUT_OF_BOUNDS("geluBackward");
  spa_gelu_backward(AT(c, 0), AT(c, 1), AT(c, 2), c.v[3]);
  return NULL;
}

/* Every target id in [0, V): a bad id would index outside its logits row. */
static int targets_ok(const int32_t *t, int64_t N, int64_t V) {
  for (int64_t i = 0; i < N; i++)
    if (t[i] < 0 || t[i] >= V) return 0;
  return 1;
}

/* logProbsForward(heap, logitsOff, targetsOff, lpOff, lseOff, N, V) */
static napi_value log_probs_forward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "logProbsForward: expected 7 arguments", 6, 0, &c)) return NULL;
  const int64_t N = c.v[4], V = c.v[5];
  if (!SIZE_OK(V)) return fail(env, "logProbsForward: V must be in [1, 2^31)");
  if (!operands_in_heap(&c, (u128[]){(u128)N * V, N, N, N}, 4)) return OUT_OF_BOUNDS("logProbsForward");
  if (!targets_ok(AT(c, 1), N, V)) return fail(env, "logProbsForward: a target id is outside [0, V)");
  if (spa_log_probs_forward(AT(c, 0), AT(c, 1), AT(c, 2), AT(c, 3), N, (int)V)) return fail(env, "logProbsForward: out of memory");
  return NULL;
}

/* logProbsBackward(heap, logitsOff, targetsOff, lseOff, dyOff, dlOff, N, V) */
static napi_value log_probs_backward(napi_env env, napi_callback_info info) {
  struct heap_call c;
  if (heap_args(env, info, "logProbsBackward: expected 8 arguments", 7, 0, &c)) return NULL;
  const int64_t N = c.v[5], V = c.v[6];
  if (!SIZE_OK(V)) return fail(env, "logProbsBackward: V must be in [1, 2^31)");
  const u128 nv = (u128)N * V;
  if (!operands_in_heap(&c, (u128[]){nv, N, N, N, nv}, 5)) return OUT_OF_BOUNDS("logProbsBackward");
  if (!targets_ok(AT(c, 1), N, V)) return fail(env, "logProbsBackward: a target id is outside [0, V)");
  spa_log_probs_backward(AT(c, 0), AT(c, 1), AT(c, 2), AT(c, 3), AT(c, 4), N, (int)V);
  return NULL;
}

/* The data and length (in elements) of a typed array of the given type, or NULL. */
static void *typed(napi_env env, napi_value value, napi_typedarray_type want, size_t *length) {
  napi_typedarray_type type;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, &data, &buffer, &offset) != napi_ok || type != want) return NULL;
  return data;
}

/*
 * attentionDecode(qkv: Float32Array [n·3d], out: Float32Array [n·d], k: Float32Array, v: Float32Array,
 *                 slots: Int32Array [n], positions: Int32Array [n], nHeads, context)
 * Plain JS typed arrays (the cache lives outside the wasm heap); see spa_attention_decode.
 */
static napi_value attention_decode(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 8) return fail(env, "attentionDecode: expected 8 arguments");
  size_t nq, no, nk, nv, ns, np;
  const float *qkv = typed(env, argv[0], napi_float32_array, &nq);
  float *out = typed(env, argv[1], napi_float32_array, &no);
  float *k = typed(env, argv[2], napi_float32_array, &nk);
  float *v = typed(env, argv[3], napi_float32_array, &nv);
  const int32_t *slots = typed(env, argv[4], napi_int32_array, &ns);
  const int32_t *pos = typed(env, argv[5], napi_int32_array, &np);
  int64_t H, ctx;
  if (!qkv || !out || !k || !v || !slots || !pos) return fail(env, "attentionDecode: arguments 0-3 must be Float32Arrays and 4-5 Int32Arrays");
  if (napi_get_value_int64(env, argv[6], &H) != napi_ok || napi_get_value_int64(env, argv[7], &ctx) != napi_ok || H < 1 || ctx < 1 || ctx > 65536)
    return fail(env, "attentionDecode: nHeads and context must be positive (context at most 65536)");
  const size_t n = ns;
  if (n == 0) return NULL;
  if (np != n || no % n || nq != 3 * no || (no / n) % H) return fail(env, "attentionDecode: qkv, out, slots and positions disagree on the shape");
  const int64_t d = no / n, dh = d / H;
  if (nk != nv || nk % (H * dh * ctx)) return fail(env, "attentionDecode: the caches must be [slots, heads, context, dh]");
  const int64_t capacity = nk / (H * dh * ctx);
  for (size_t i = 0; i < n; i++)
    if (slots[i] < 0 || slots[i] >= capacity || pos[i] < 0 || pos[i] >= ctx) return fail(env, "attentionDecode: a slot or position is outside the cache");
  if (spa_attention_decode(qkv, out, k, v, slots, pos, (int)n, (int)H, (int)dh, (int)ctx)) return fail(env, "attentionDecode: out of memory");
  return NULL;
}

static const struct {
  const char *name;
  napi_callback fn;
} FUNCTIONS[] = {
    {"sgemm", sgemm},
    {"transpose", transpose},
    {"attentionForward", attention_forward},
    {"attentionBackward", attention_backward},
    {"layerNormForward", layer_norm_forward},
    {"layerNormBackward", layer_norm_backward},
    {"geluForward", gelu_forward},
    {"geluBackward", gelu_backward},
    {"logProbsForward", log_probs_forward},
    {"logProbsBackward", log_probs_backward},
    {"attentionDecode", attention_decode},
};

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn, isa;
  for (size_t i = 0; i < sizeof FUNCTIONS / sizeof FUNCTIONS[0]; i++) {
    if (napi_create_function(env, FUNCTIONS[i].name, NAPI_AUTO_LENGTH, FUNCTIONS[i].fn, NULL, &fn) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, FUNCTIONS[i].name, fn) != napi_ok) return NULL;
  }
  if (napi_create_string_utf8(env, spa_sgemm_isa(), NAPI_AUTO_LENGTH, &isa) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "isa", isa) != napi_ok) return NULL;
  return exports;
}
