/**
 * POST /api/<channel>: the JSON body is the request. `runs.import` also takes the file itself
 * as the body (Content-Type application/octet-stream, its name in x-spa-file-name,
 * percent-encoded): it streams into the importer as it arrives, which is how the studio page
 * sends a file (a 100 MB import never exists as one string). Answers `{ok: true, result}` (200),
 * `{ok: false, error}` with 400 for contract errors (unknown channel, bad payload, body not
 * JSON), 413 for a body over its limit, the ServiceError's status (400/404/409) for refusals,
 * and 500 for anything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { CHANNELS, ContractError, MAX_IMPORT_BYTES, parseRequest, type ChannelName } from '../../common/ipc-contract';
import { callService, type StudioService } from '../services/studio-service';
import { ServiceError } from '../services/studio/errors';
import { parseJsonSliced, runSliced } from '../io/json-slices';

const MB = 1024 * 1024;
/** Imports carry a whole file (the contract allows 256 MB of text, JSON escaping adds some). */
export const BODY_LIMITS = { 'runs.import': 300 * MB, default: 1 * MB } as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

class BodyTooLarge extends Error {}

/**
 * The body as text, decoded chunk by chunk while it arrives; throws BodyTooLarge past `limit`
 * bytes. When the reader stops early (a refused file), the rest of the body is drained, not
 * the socket destroyed, so the client still gets the answer that says why.
 */
async function* bodyText(req: IncomingMessage, limit: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let size = 0;
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new BodyTooLarge();
      yield decoder.write(chunk);
    }
    const tail = decoder.end();
    if (tail) yield tail;
  } finally {
    if (!req.readableEnded) req.resume();
  }
}

/** The whole body as text (bodyText's pieces joined: never one 300 MB Buffer.concat + toString). */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge();
  const parts: string[] = [];
  for await (const part of bodyText(req, limit)) parts.push(part);
  return parts.join('');
}

function tooLarge(res: ServerResponse, what: string): void {
  res.setHeader('Connection', 'close');
  sendJson(res, 413, { ok: false, error: what });
}

function answerError(res: ServerResponse, e: unknown): void {
  if (e instanceof ServiceError) return sendJson(res, e.status, { ok: false, error: e.message });
  // `throw null` or a string has no message: answer with what it is, never fail here.
  sendJson(res, 500, { ok: false, error: e instanceof Error ? e.message : String(e) });
}

async function handleUpload(req: IncomingMessage, res: ServerResponse, service: StudioService): Promise<void> {
  let fileName = '';
  try {
    fileName = decodeURIComponent(String(req.headers['x-spa-file-name'] ?? ''));
  } catch {
    // left empty: refused below
  }
  const named = CHANNELS['runs.import'].request.shape.fileName.safeParse(fileName);
  if (!named.success) return sendJson(res, 400, { ok: false, error: 'runs.import: the x-spa-file-name header must name the file (1–255 characters, percent-encoded)' });
  const over = `${fileName} is over the ${MAX_IMPORT_BYTES / MB} MB import limit`;
  if (Number(req.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES) return tooLarge(res, over);
  try {
    sendJson(res, 200, { ok: true, result: await service.importStream(named.data, bodyText(req, MAX_IMPORT_BYTES)) });
  } catch (e) {
    if (e instanceof BodyTooLarge) return tooLarge(res, over);
    answerError(res, e);
  }
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string, service: StudioService): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, { ok: false, error: 'the API takes POST only' });
  }
  if (channel === 'runs.import' && /^application\/octet-stream\b/i.test(String(req.headers['content-type'] ?? ''))) return handleUpload(req, res, service);
  const limit = channel === 'runs.import' ? BODY_LIMITS['runs.import'] : BODY_LIMITS.default;
  let payload: unknown;
  try {
    const body = await readBody(req, limit);
    // Sliced: an import's body holds a whole file, and JSON.parse of 100 MB takes about a second.
    payload = body.length === 0 ? {} : await runSliced(parseJsonSliced(body));
  } catch (e) {
    if (e instanceof BodyTooLarge) return tooLarge(res, `request body over the ${limit / MB} MB limit of ${channel}`);
    return sendJson(res, 400, { ok: false, error: 'request body is not valid JSON' });
  }
  try {
    const { channel: name, request } = parseRequest<ChannelName>(channel, payload);
    const result = await callService(service, name, request);
    sendJson(res, 200, { ok: true, result });
  } catch (e) {
    if (e instanceof ContractError) return sendJson(res, 400, { ok: false, error: e.message });
    answerError(res, e);
  }
}
