/**
 * The review page's guards, as pure functions of the request:
 *
 * - loopback by default; on any other address every request needs the access
 *   token printed at start (given once as ?token=..., then kept in an
 *   HttpOnly, SameSite=Strict cookie);
 * - the Host header must name the server (a web page elsewhere cannot reach
 *   the loopback server through a rebound DNS name);
 * - a POST must come from the page itself: its Origin is the server's and it
 *   carries the page's CSRF token in a header (a cross-site form can send
 *   neither; a cross-site fetch with a custom header is stopped by the
 *   browser's preflight, which this server never grants).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export const TOKEN_COOKIE = 'linkages_review_token';

export const newSecret = () => randomBytes(24).toString('base64url');

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

export function sameSecret(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

const hostOf = (h: string) => (h.includes(':') && !h.includes(']') && isIP(h) === 6 ? `[${h}]` : h);

/** Host headers the server answers to. Bound to every address (0.0.0.0), any name (the token guards it). */
export function allowedHosts(bindHost: string, port: number): Set<string> | null {
  if (bindHost === '0.0.0.0' || bindHost === '::') return null;
  const names = isLoopback(bindHost) ? ['127.0.0.1', 'localhost', '[::1]', hostOf(bindHost)] : [hostOf(bindHost)];
  return new Set(names.map((n) => `${n}:${port}`.toLowerCase()));
}

export function hostAllowed(hostHeader: string | undefined, allowed: Set<string> | null): boolean {
  if (!hostHeader) return false;
  return allowed === null || allowed.has(hostHeader.toLowerCase());
}

/** A POST is the page's own: same origin (scheme, host and port) and the CSRF token. */
export function postAllowed(
  headers: { origin?: string | undefined; host?: string | undefined; csrf?: string | undefined; contentType?: string | undefined },
  csrf: string,
): { ok: true } | { ok: false; why: string } {
  if (!headers.origin || !headers.host || headers.origin.toLowerCase() !== `http://${headers.host.toLowerCase()}`) {
    return { ok: false, why: 'cross-site request refused' };
  }
  if (!sameSecret(headers.csrf, csrf)) return { ok: false, why: 'missing or wrong CSRF token' };
  if (!/^application\/json\b/i.test(headers.contentType ?? '')) return { ok: false, why: 'expected application/json' };
  return { ok: true };
}

/** Response headers of every page: nothing loads from anywhere, no framing, no referrer, no caching of personal data. */
export function securityHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
