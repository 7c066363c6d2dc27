/**
 * A real SMTP server on 127.0.0.1 for the delivery tests (the `smtp-server`
 * package): it keeps every message it accepted, can refuse chosen
 * recipients, require a login, or hold every message after the n-th
 * unanswered (to kill a sender part-way).
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Accepted {
  messageId: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  accepted: Accepted[];
  /** Messages whose data arrived and were not answered (hold mode). */
  held: number;
  /** Connections opened. */
  connections: number;
  refuse: Set<string>;
  /** Hold every message once this many were accepted (undefined: never). */
  holdAfter: number | undefined;
  close(): Promise<void>;
}

export async function startSmtp(opts: { auth?: { user: string; pass: string }; port?: number } = {}): Promise<TestSmtp> {
  const state = {
    accepted: [] as Accepted[],
    held: 0,
    connections: 0,
    refuse: new Set<string>(),
    holdAfter: undefined as number | undefined,
  };
  const pending: ((err?: Error) => void)[] = [];
  let taken = 0; // decided synchronously: parsing is async, and two messages may end at once
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onConnect(_session, cb) {
      state.connections++;
      cb();
    },
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (state.refuse.has(address.address.toLowerCase())) {
        const err = new Error('5.1.1 Recipient address rejected: user unknown') as Error & { responseCode: number };
        err.responseCode = 550;
        cb(err);
      } else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.holdAfter !== undefined && taken >= state.holdAfter) {
          state.held++;
          pending.push(cb);
          return;
        }
        taken++;
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((parsed) => {
          state.accepted.push({ messageId: parsed.messageId ?? '', to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
          cb();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return Object.assign(state, {
    port,
    async close() {
      for (const cb of pending.splice(0)) cb(new Error('closing'));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as TestSmtp;
}
