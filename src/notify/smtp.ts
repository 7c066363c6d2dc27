/**
 * The mail server and sender, from the environment only (never the config
 * file, never a log):
 *
 *   LINKAGES_SMTP_URL   smtp://[user:password@]host[:port]   plain, upgraded with STARTTLS when the server offers it
 *                       smtps://[user:password@]host[:port]  TLS from the first byte (port 465 by default)
 *                       ?requireTLS=true   refuse to send unless STARTTLS succeeds
 *                       ?ignoreTLS=true    never STARTTLS (a relay on localhost)
 *                       ?rejectUnauthorized=false  accept a self-signed certificate
 *   LINKAGES_MAIL_FROM  the sender, `Name <address>` or `address`
 *
 * What is shown anywhere is `server`: scheme, host and port, never the
 * user or password.
 */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { usageError } from '../runtime/errors.js';

export interface SmtpSettings {
  /** scheme://host:port, for messages and logs. */
  server: string;
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  ignoreTLS: boolean;
  rejectUnauthorized: boolean;
  auth?: { user: string; pass: string };
}

export interface Sender {
  /** The From header as given. */
  from: string;
  /** The address's domain: the right side of Message-IDs. */
  domain: string;
}

const ADDRESS = /^[^\s@<>",;]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)$/;

/** `Name <a@b.c>` or `a@b.c`; the sender's domain. */
export function parseSender(value: string | undefined, required: boolean): Sender {
  const v = (value ?? '').trim();
  if (!v) {
    if (required) throw usageError('notify send: LINKAGES_MAIL_FROM is not set (the sender, e.g. "Linkages <linkages@county.example.gov>")');
    return { from: 'Linkages <linkages@localhost.invalid>', domain: 'localhost.invalid' };
  }
  const bracket = /^(?:"?([^"<]*)"?\s*)?<([^<>]+)>$/.exec(v);
  const address = (bracket ? bracket[2]! : v).trim();
  const m = ADDRESS.exec(address);
  if (!m) throw usageError('notify send: LINKAGES_MAIL_FROM is not an e-mail address (expected "Name <address>" or "address")');
  return { from: v, domain: m[1]!.toLowerCase() };
}

const flag = (params: URLSearchParams, name: string, dflt: boolean): boolean => {
  const v = params.get(name);
  if (v === null) return dflt;
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  throw usageError(`notify send: LINKAGES_SMTP_URL: ${name} must be true or false`);
};

/** Never echoes the value: it may hold a password. */
export function parseSmtpUrl(value: string | undefined): SmtpSettings {
  const v = (value ?? '').trim();
  if (!v) throw usageError('notify send: LINKAGES_SMTP_URL is not set (smtp://host:port or smtps://host:port)');
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw usageError('notify send: LINKAGES_SMTP_URL is not a URL (expected smtp://host:port or smtps://host:port)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw usageError(`notify send: LINKAGES_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  if (!url.hostname) throw usageError('notify send: LINKAGES_SMTP_URL has no host');
  for (const key of url.searchParams.keys()) {
    if (!['requireTLS', 'ignoreTLS', 'rejectUnauthorized'].includes(key)) {
      throw usageError(`notify send: LINKAGES_SMTP_URL: unknown option ${key} (requireTLS, ignoreTLS, rejectUnauthorized)`);
    }
  }
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 25;
  const requireTLS = flag(url.searchParams, 'requireTLS', false);
  const ignoreTLS = flag(url.searchParams, 'ignoreTLS', false);
  if (requireTLS && ignoreTLS) throw usageError('notify send: LINKAGES_SMTP_URL: requireTLS and ignoreTLS contradict each other');
  const user = decodeURIComponent(url.username);
  return {
    server: `${url.protocol}//${url.hostname}:${port}`,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    secure,
    requireTLS,
    ignoreTLS,
    rejectUnauthorized: flag(url.searchParams, 'rejectUnauthorized', true),
    ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
  };
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  runDate: string;
}

/** nodemailer's message options: the fixed Message-ID and the headers that mark an automatic message. */
export function mailOptions(m: OutgoingMail): SendMailOptions {
  return {
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Linkages-Run-Date': m.runDate },
  };
}

export interface SmtpClient {
  send(m: OutgoingMail): Promise<{ response: string }>;
  close(): void;
}

/** A pooled SMTP client: at most `connections` connections, each reused for many messages. Nothing is logged. */
export function smtpClient(s: SmtpSettings, connections: number): SmtpClient {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: connections,
    maxMessages: 100,
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: s.requireTLS,
    ignoreTLS: s.ignoreTLS,
    tls: { rejectUnauthorized: s.rejectUnauthorized },
    ...(s.auth ? { auth: s.auth } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  });
  return {
    async send(m) {
      const info = await transport.sendMail(mailOptions(m));
      return { response: String(info.response ?? '') };
    },
    close: () => transport.close(),
  };
}

/** The raw RFC 5322 message (for --dry-run's .eml files), as the SMTP client would send it. */
export async function rawMessage(m: OutgoingMail): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail(mailOptions(m));
  return info.message as Buffer;
}

export interface MailFailure {
  /** The server or network failed (worth another try soon), or this message was refused (5xx). */
  kind: 'server' | 'refused';
  /** For the outbox: code, reply code and the server's words (which may name the address). */
  detail: string;
  /** For logs: codes only. */
  code: string;
}

/** What a nodemailer error means for the message. */
export function classifyFailure(err: unknown): MailFailure {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = String(e.code ?? 'ERROR');
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const words = String(e.response ?? e.message ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
  const detail = `${code}${reply ? ` ${reply}` : ''}: ${words}`;
  // 5xx on the envelope or the message is about this message; a 5xx to the login (EAUTH) is about the server.
  const refused = reply !== undefined && reply >= 500 && code !== 'EAUTH';
  return { kind: refused ? 'refused' : 'server', detail, code: `${code}${reply ? ` ${reply}` : ''}` };
}
