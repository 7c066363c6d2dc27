/**
 * `linkages notify send` against a real SMTP server on 127.0.0.1 (smtp-server),
 * counting at the server: one message per recipient, never twice (re-run,
 * killed part-way), a refused recipient retried by the next call, a server
 * that is down fails the call after a bounded number of tries and loses
 * nothing; --dry-run's .eml files parse back; no password or message body in
 * any log; SENSITIVE rows name no child-welfare detail.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { CLI, runCli } from '../helpers/cli.js';
import { startSmtp, type TestSmtp } from '../helpers/smtpServer.js';
import { makeNights, NIGHT2, readCsvRows, runNight } from './nights.helpers.js';

const FAMILIES = 300;
const SEED = 4242;
const FROM = 'Linkages Alameda <linkages@county.example.gov>';
const COORDINATOR = { name: 'Ana Ruiz', email: 'aruiz@linkages.example.gov', phone: '510-555-0100' };

let tmp: string;
let baseDb: string;
let out: string;
let config: string;
/** recipient_file -> email, of NIGHT2's addressed recipients. */
let recipients: Map<string, string>;
let sensitiveClients: string[];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process, without blocking this process (the SMTP server runs here). */
function cli(args: string[], env: Record<string, string | undefined> = {}, onSpawn?: (kill: () => void) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -2 : -1), stdout, stderr }));
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}

function freshDb(name: string): string {
  const file = join(tmp, `${name}.duckdb`);
  copyFileSync(baseDb, file);
  return file;
}

function writeConfig(name: string, mail: Record<string, unknown>): string {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({ notify: { coordinator: COORDINATOR, holidays: ['2026-11-26'], mail } }));
  return file;
}

const send = (db: string, port: number, cfg: string, extra: Record<string, string> = {}) =>
  cli(['notify', 'send', '--db', db, '--config', cfg], { LINKAGES_SMTP_URL: `smtp://127.0.0.1:${port}`, LINKAGES_MAIL_FROM: FROM, ...extra });

async function outbox(db: string) {
  const d = await openDatabase(db, { threads: 1, memoryLimit: '512MB' });
  try {
    return await d.all<{
      recipient_file: string;
      recipient_email: string | null;
      status: string;
      attempts: number;
      message_id: string;
      last_error: string | null;
    }>(
      `SELECT recipient_file, recipient_email, status, attempts, message_id, last_error FROM mail_outbox WHERE run_date = DATE '${NIGHT2}' ORDER BY recipient_file`,
    );
  } finally {
    d.close();
  }
}

/** Message-ID -> how many times the server accepted it. */
function perMessage(s: TestSmtp): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of s.accepted) m.set(a.messageId, (m.get(a.messageId) ?? 0) + 1);
  return m;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Mark the first few linked parents' child-welfare records SENSITIVE, on both nights. */
function makeSensitive(nights: string[]): string[] {
  const truth = readCsvRows(join(nights[0]!, 'truth.csv')).filter((t) => t.role === 'PARENT');
  const cws = readCsvRows(join(nights[0]!, 'cws.csv'));
  const open = new Set(
    cws.filter((r) => r.case_status === 'OPEN' && r.service_component && ['FM', 'FR'].includes(r.service_component)).map((r) => r.client_id),
  );
  const chosen = truth
    .filter((t) => open.has(t.cws_client_id!))
    .slice(0, 6)
    .map((t) => t.cws_client_id!);
  for (const dir of nights) {
    const file = join(dir, 'cws.csv');
    const rows = readCsvRows(file);
    for (const r of rows) if (chosen.includes(r.client_id!)) r.sensitivity = 'SENSITIVE';
    writeFileSync(file, `${Papa.unparse(rows, { newline: '\n' })}\n`);
  }
  return chosen;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'linkages-mail-'));
  const nights = await makeNights(join(tmp, 'data'), FAMILIES, SEED);
  sensitiveClients = makeSensitive(nights);
  baseDb = join(tmp, 'base.duckdb');
  out = join(tmp, 'out');
  config = writeConfig('run', {});
  for (const n of nights) {
    const r = runNight(n, baseDb, out, ['--config', config]);
    expect(r.code, r.stderr).toBe(0);
  }
  recipients = new Map();
  for (const r of readCsvRows(join(out, NIGHT2, 'notifications.csv'))) if (r.recipient_email) recipients.set(r.recipient_file!, r.recipient_email);
  expect(recipients.size).toBeGreaterThan(5);
});

afterAll(() => {
  if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
});

describe('notify send', () => {
  it('sends one message per recipient; a second send sends nothing', async () => {
    const smtp = await startSmtp();
    try {
      const db = freshDb('once');
      const cfg = writeConfig('once', { subject_prefix: '[Alameda Linkages]' });
      const r1 = await send(db, smtp.port, cfg);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r1.stdout).toContain(`${recipients.size} sent now`);
      expect(smtp.accepted.length).toBe(recipients.size);
      expect(new Set(smtp.accepted.map((a) => a.to[0])).size).toBe(recipients.size);
      expect([...perMessage(smtp).values()].every((n) => n === 1)).toBe(true);
      // Subject: the county's prefix, the count, the earliest due date; a text and an HTML part.
      for (const a of smtp.accepted) {
        const file = [...recipients].find(([, e]) => e === a.to[0])![0];
        const rows = readCsvRows(join(out, NIGHT2, 'notifications', `${file}.csv`));
        const earliest = rows.map((x) => x.due_date!).sort()[0]!;
        expect(a.parsed.subject).toMatch(new RegExp(`^\\[Alameda Linkages\\] ${rows.length} notifications?, first due \\w{3} ${earliest}$`));
        expect(a.parsed.text).toContain(rows[0]!.event_id);
        expect(a.parsed.html).toContain(rows[0]!.event_id);
        expect(a.parsed.messageId).toMatch(/^<linkages\.2026-11-21\.[0-9a-f]{24}@county\.example\.gov>$/);
      }
      const ob = await outbox(db);
      expect(ob.filter((o) => o.status === 'sent').length).toBe(recipients.size);

      const r2 = await send(db, smtp.port, cfg);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stdout).toContain('0 sent now');
      expect(r2.stdout).toContain('nothing to send: every message of the night was accepted before');
      expect(smtp.accepted.length).toBe(recipients.size);

      // linkages status shows the night's outbox
      const st = runCli(['status', '--db', db, '--json']);
      expect(st.code, st.stderr).toBe(0);
      const night = (JSON.parse(st.stdout) as { nights: { run_date: string; outbox: Record<string, number> | null }[] }).nights.find(
        (x) => x.run_date === NIGHT2,
      );
      expect(night?.outbox).toMatchObject({ sent: recipients.size, pending: 0, failed: 0 });
      expect(runCli(['status', '--db', db]).stdout).toContain(`e-mail: ${recipients.size} sent, 0 pending, 0 failed`);
    } finally {
      await smtp.close();
    }
  });

  it('killed part-way and re-run, delivers each message once (counted at the server)', async () => {
    const smtp = await startSmtp();
    try {
      const db = freshDb('kill');
      const cfg = writeConfig('kill', { concurrency: 2, backoff_ms: 10 });
      // The server accepts 3 messages, then holds the next ones unanswered; the sender is killed while it waits.
      smtp.holdAfter = 3;
      let kill = () => {};
      const running = cli(
        ['notify', 'send', '--db', db, '--config', cfg],
        { LINKAGES_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, LINKAGES_MAIL_FROM: FROM },
        (k) => (kill = k),
      );
      await waitFor(() => smtp.held >= 1);
      await sleep(700);
      // While it sends, the database is free (DuckDB has one writer): another process can open it;
      // a second send is refused rather than sending the same messages.
      const other = await openDatabase(db, { threads: 1, memoryLimit: '512MB' });
      other.close();
      const second = await send(db, smtp.port, cfg);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/^linkages: another notify send \(process \d+\) is sending/);
      kill();
      const killed = await running;
      expect(killed.code).not.toBe(0);
      expect(smtp.accepted.length).toBe(3);
      // What the killed call learnt is on disk, and the next call records it before sending anything.
      const journal = readFileSync(`${db}.mail-journal.jsonl`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(journal.filter((e) => e.outcome === 'sent')).toHaveLength(3);

      smtp.holdAfter = undefined;
      const again = await send(db, smtp.port, cfg);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain(`${recipients.size - 3} sent now`);
      const counts = perMessage(smtp);
      expect(counts.size).toBe(recipients.size);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(new Set((await outbox(db)).map((o) => o.message_id))).toEqual(new Set(counts.keys()));
      expect(existsSync(`${db}.mail-journal.jsonl`)).toBe(false);
      expect(existsSync(`${db}.mail-lock`)).toBe(false);
    } finally {
      await smtp.close();
    }
  });

  it('a refused recipient is left failed and retried by the next call; the others are sent', async () => {
    const smtp = await startSmtp();
    try {
      const db = freshDb('refuse');
      const cfg = writeConfig('refuse', { retry_after_minutes: 0, backoff_ms: 10 });
      const [file, email] = [...recipients][0]!;
      smtp.refuse.add(email.toLowerCase());
      const r1 = await send(db, smtp.port, cfg);
      expect(r1.code).toBe(1);
      expect(r1.stderr.trim().split('\n').at(-1)).toMatch(
        /^linkages: notify send: some messages were not accepted: 1 message\(s\) left for a retry, nothing lost$/,
      );
      expect(smtp.accepted.length).toBe(recipients.size - 1);
      let row = (await outbox(db)).find((o) => o.recipient_file === file)!;
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.last_error).toMatch(/550/);

      const r2 = await send(db, smtp.port, cfg);
      expect(r2.code).toBe(1);
      row = (await outbox(db)).find((o) => o.recipient_file === file)!;
      expect(row).toMatchObject({ status: 'failed', attempts: 2 });
      expect(smtp.accepted.length).toBe(recipients.size - 1);

      smtp.refuse.clear();
      const r3 = await send(db, smtp.port, cfg);
      expect(r3.code, r3.stderr).toBe(0);
      expect(r3.stdout).toContain('1 sent now');
      expect(smtp.accepted.filter((a) => a.to[0] === email).length).toBe(1);
      expect(smtp.accepted.length).toBe(recipients.size);
    } finally {
      await smtp.close();
    }
  });

  it('a later call waits for the next try of a failed message', async () => {
    const smtp = await startSmtp();
    try {
      const db = freshDb('wait');
      const cfg = writeConfig('wait', { retry_after_minutes: 30 });
      const [, email] = [...recipients][1]!;
      smtp.refuse.add(email.toLowerCase());
      expect((await send(db, smtp.port, cfg)).code).toBe(1);
      smtp.refuse.clear();
      const r = await send(db, smtp.port, cfg);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/0 sent now .* 1 failed/);
      expect(r.stdout).toMatch(/tried again by a call after \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
    } finally {
      await smtp.close();
    }
  });

  it('a server that is down fails the call with exit 1 after a bounded number of tries, and loses nothing', async () => {
    const db = freshDb('down');
    const cfg = writeConfig('down', { concurrency: 2, attempts: 3, backoff_ms: 20, breaker_failures: 4, retry_after_minutes: 0 });
    const port = await freePort();
    const t0 = Date.now();
    const r = await send(db, port, cfg);
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(60_000); // no retry storm: a few short waits, then it stops
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^linkages: notify send: the server failed 4 times in a row \(E[A-Z]+\); stopped: \d+ message\(s\) left for a retry, nothing lost$/,
    );
    const ob = await outbox(db);
    expect(ob.length).toBe(recipients.size);
    expect(ob.every((o) => o.status === 'pending' || o.status === 'failed')).toBe(true);
    const tries = ob.reduce((n, o) => n + o.attempts, 0);
    expect(tries).toBeGreaterThanOrEqual(4);
    expect(tries).toBeLessThanOrEqual(4 + 2); // the breaker's count, plus what was in flight when it opened

    // The server is back: the next call delivers everything, once.
    const smtp = await startSmtp();
    try {
      const r2 = await send(db, smtp.port, cfg);
      expect(r2.code, r2.stderr).toBe(0);
      expect(smtp.accepted.length).toBe(recipients.size);
      expect([...perMessage(smtp).values()].every((n) => n === 1)).toBe(true);
    } finally {
      await smtp.close();
    }
  });

  it('no password and no message body reaches stdout, stderr or the log', async () => {
    const pass = 'S3cret-Pa55word';
    const smtp = await startSmtp({ auth: { user: 'linkmail', pass } });
    try {
      const db = freshDb('secret');
      const cfg = writeConfig('secret', {});
      const [, email] = [...recipients][2]!;
      smtp.refuse.add(email.toLowerCase());
      const r = await cli(['notify', 'send', '--db', db, '--config', cfg, '--log-level', 'debug'], {
        LINKAGES_SMTP_URL: `smtp://linkmail:${encodeURIComponent(pass)}@127.0.0.1:${smtp.port}`,
        LINKAGES_MAIL_FROM: FROM,
      });
      expect(r.code).toBe(1);
      expect(smtp.accepted.length).toBe(recipients.size - 1);
      // A wrong password is a server failure: the call stops, nothing is sent.
      const bad = await cli(['notify', 'send', '--db', freshDb('secret2'), '--config', writeConfig('secret2', { breaker_failures: 2, backoff_ms: 10 })], {
        LINKAGES_SMTP_URL: `smtp://linkmail:wrong-${pass}@127.0.0.1:${smtp.port}`,
        LINKAGES_MAIL_FROM: FROM,
      });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/EAUTH/);

      const log = readFileSync(join(out, 'logs', 'linkages.jsonl'), 'utf8');
      const bodyBits = smtp.accepted.flatMap((a) => [a.parsed.text!.split('\n')[0]!, a.parsed.subject!]);
      const details = readCsvRows(join(out, NIGHT2, 'notifications.csv')).flatMap((n) => [n.details!, n.person_label!]);
      for (const text of [r.stdout, r.stderr, bad.stdout, bad.stderr, log]) {
        expect(text).not.toContain(pass);
        expect(text).not.toContain('linkmail:');
        for (const b of [...bodyBits, ...details]) expect(text).not.toContain(b);
      }
      expect(log).toContain('notify send: done');
    } finally {
      await smtp.close();
    }
  });

  it('bad settings are exit 2 with one line that does not echo the URL', async () => {
    const db = freshDb('settings');
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ LINKAGES_SMTP_URL: undefined, LINKAGES_MAIL_FROM: FROM }, /LINKAGES_SMTP_URL is not set/],
      [{ LINKAGES_SMTP_URL: 'http://u:topsecret@host:25', LINKAGES_MAIL_FROM: FROM }, /must start with smtp:\/\/ or smtps:\/\//],
      [{ LINKAGES_SMTP_URL: 'smtp://u:topsecret@host:25', LINKAGES_MAIL_FROM: 'nobody' }, /LINKAGES_MAIL_FROM is not an e-mail address/],
      [{ LINKAGES_SMTP_URL: 'smtp://u:topsecret@host:25?tls=off', LINKAGES_MAIL_FROM: FROM }, /unknown option tls/],
    ];
    for (const [env, msg] of cases) {
      const r = await cli(['notify', 'send', '--db', db], { LINKAGES_SMTP_URL: undefined, ...env });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toContain('topsecret');
    }
    const r = await cli(['notify', 'send', '--db', db, '--run-date', '2026-12-25'], { LINKAGES_SMTP_URL: 'smtp://127.0.0.1:25', LINKAGES_MAIL_FROM: FROM });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/night 2026-12-25 is not published/);
  });

  it('--dry-run writes one valid .eml per addressed recipient into OUT/<run-date>/mail/; SENSITIVE rows name no child-welfare detail', async () => {
    const db = freshDb('dry');
    const r = await cli(['notify', 'send', '--db', db, '--config', config, '--dry-run'], { LINKAGES_SMTP_URL: undefined, LINKAGES_MAIL_FROM: FROM });
    expect(r.code, r.stderr).toBe(0);
    const dir = join(out, NIGHT2, 'mail');
    const files = readdirSync(dir).sort();
    expect(files).toEqual([...recipients.keys()].map((f) => `${f}.eml`).sort());
    const rows = readCsvRows(join(out, NIGHT2, 'notifications.csv'));
    let withheld = 0;
    for (const f of files) {
      const mail = await simpleParser(readFileSync(join(dir, f)));
      const file = f.replace(/\.eml$/, '');
      const mine = rows.filter((x) => x.recipient_file === file);
      expect((mail.to as { value: { address: string }[] }).value[0]!.address).toBe(recipients.get(file));
      expect(mail.from!.value[0]!.address).toBe('linkages@county.example.gov');
      expect(mail.subject).toMatch(new RegExp(`^\\[Linkages\\] ${mine.length} notifications?, first due`));
      expect(mail.text).toBeTruthy();
      expect(mail.html).toBeTruthy();
      // Most urgent first, each with the person (name and case number).
      const ids = [...mail.text!.matchAll(/Reference: (EV[0-9A-F]{16})/g)].map((m) => m[1]);
      expect(ids).toEqual(mine.map((x) => x.event_id));
      for (const x of mine) expect(mail.text).toContain(`Person:    ${x.person_label}`);
      for (const x of mine.filter((y) => y.details!.startsWith('Sensitive child-welfare record'))) {
        withheld++;
        expect(x.details).toBe(
          `Sensitive child-welfare record: contact the Linkages coordinator, ${COORDINATOR.name}, ${COORDINATOR.phone}, ${COORDINATOR.email}.`,
        );
        expect(/CALWORKS_WORKER|REGIONAL_CONTACT/.test(x.recipient_role!)).toBe(true);
      }
      if (mine.some((y) => y.details!.startsWith('Sensitive child-welfare record')) && !mine.some((y) => !y.details!.startsWith('Sensitive'))) {
        for (const c of sensitiveClients) expect(mail.text).not.toContain(c);
        expect(mail.text).not.toMatch(/\bCS[0-9A-Z]{7}\b|\bRF[0-9A-Z]{7}\b|MUTUAL|EARLY_INTERVENTION/);
      }
    }
    expect(withheld).toBeGreaterThan(0);
    // CalWORKs staff's rows of sensitive clients name no child-welfare id, in the mail or the files.
    for (const x of rows.filter((y) => y.details!.startsWith('Sensitive child-welfare record'))) {
      const cell = Object.values(x).join(' ');
      for (const c of sensitiveClients) expect(cell).not.toContain(c);
      expect(cell).not.toMatch(/\bCS[0-9A-Z]{7}\b|\bRF[0-9A-Z]{7}\b|MUTUAL|EARLY_INTERVENTION/);
    }
    expect(existsSync(join(out, NIGHT2, '.mail.partial'))).toBe(false);
    // The outbox is untouched.
    expect((await outbox(db)).length).toBe(0);
  });
});

describe('rows a worker can act on', () => {
  it('the files carry the person (name and case number) and a readable subject', () => {
    const rows = readCsvRows(join(out, NIGHT2, 'notifications.csv'));
    for (const r of rows) {
      expect(r.person_label).toMatch(new RegExp(`(^|, )CalWORKs case ${r.case_number}$`));
      expect(r.subject).toMatch(
        /^(CalWORKs person P\w+|referral \w+|child \w+|child-welfare case \w+|CalWORKs case \w+|address|household|Linkages tier( \w+ to \w+)?)$/,
      );
    }
    expect(rows.filter((r) => /^[A-Z]+ [A-Z]+/.test(r.person_label!)).length).toBeGreaterThan(rows.length / 2);
    const one = readdirSync(join(out, NIGHT2, 'notifications'))[0]!;
    const head = readFileSync(join(out, NIGHT2, 'notifications', one), 'utf8').split('\n')[0];
    expect(head).toContain('person_label');
    expect(head).toContain('subject_key');
  });

  it('warns once, in the log and run_summary.json, when no coordinator or no holidays are configured', async () => {
    const db = join(tmp, 'warn.duckdb');
    const o = join(tmp, 'warn-out');
    const r = runNight(join(tmp, 'data'), db, o, ['--log-level', 'warn'], {});
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(o, '2026-11-20', 'run_summary.json'), 'utf8'));
    expect(summary.notify.warnings).toHaveLength(2);
    expect(summary.notify.warnings[0]).toMatch(/^no Linkages coordinator configured/);
    expect(summary.notify.warnings[1]).toMatch(/^no holidays configured/);
    const log = readFileSync(join(o, 'logs', 'linkages.jsonl'), 'utf8');
    expect(log.split('no Linkages coordinator configured').length - 1).toBe(1);
    expect(log.split('no holidays configured').length - 1).toBe(1);
    // The configured run (coordinator and holidays given) has none.
    expect(JSON.parse(readFileSync(join(out, NIGHT2, 'run_summary.json'), 'utf8')).notify.warnings).toEqual([]);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(25);
  }
}
