/*
 * Node-API face of sgemm.c: spa_native.node, loaded by engine/native/index.ts.
 *
 *   sgemm(heap: ArrayBuffer, aOff, bOff, cOff, batch, m, n, k, transA, transB, aStride, bStride)
 *
 *   transpose(heap: ArrayBuffer, inOff, outOff, batch, rows, cols, elem)
 *     out[b][c][r][0:elem] = in[b][r][c][0:elem], 4-byte elements (transpose.c)
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

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn, isa;
  if (napi_create_function(env, "sgemm", NAPI_AUTO_LENGTH, sgemm, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "sgemm", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "transpose", NAPI_AUTO_LENGTH, transpose, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "transpose", fn) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, spa_sgemm_isa(), NAPI_AUTO_LENGTH, &isa) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "isa", isa) != napi_ok) return NULL;
  return exports;
}
