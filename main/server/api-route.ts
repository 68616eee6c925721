/**
 * POST /api/<channel>: the JSON body is the request. Answers `{ok: true, result}` (200),
 * `{ok: false, error}` with 400 for contract errors (unknown channel, bad payload, body not
 * JSON), 413 for a body over its limit, the ServiceError's status (400/404/409) for refusals,
 * and 500 for anything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { ContractError, parseRequest, type ChannelName } from '../../common/ipc-contract';
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
 * The body as text, decoded chunk by chunk as it arrives (one 300 MB Buffer.concat and
 * toString would hold the event loop for a while).
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const parts: string[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume(); // drain without keeping it
        reject(new BodyTooLarge());
        return;
      }
      parts.push(decoder.write(chunk));
    });
    req.on('end', () => resolve(parts.join('') + decoder.end()));
    req.on('error', reject);
  });
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string, service: StudioService): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, { ok: false, error: 'the API takes POST only' });
  }
  const limit = channel === 'runs.import' ? BODY_LIMITS['runs.import'] : BODY_LIMITS.default;
  let payload: unknown;
  try {
    const body = await readBody(req, limit);
    // Sliced: an import's body holds a whole file, and JSON.parse of 100 MB takes about a second.
    payload = body.length === 0 ? {} : await runSliced(parseJsonSliced(body));
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      return sendJson(res, 413, { ok: false, error: `request body over the ${limit / MB} MB limit of ${channel}` });
    }
    return sendJson(res, 400, { ok: false, error: 'request body is not valid JSON' });
  }
  try {
    const { channel: name, request } = parseRequest<ChannelName>(channel, payload);
    const result = await callService(service, name, request);
    sendJson(res, 200, { ok: true, result });
  } catch (e) {
    if (e instanceof ContractError) return sendJson(res, 400, { ok: false, error: e.message });
    if (e instanceof ServiceError) return sendJson(res, e.status, { ok: false, error: e.message });
    // `throw null` or a string has no message: answer with what it is, never fail here.
    sendJson(res, 500, { ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
