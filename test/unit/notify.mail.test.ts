/** The pure parts of `notify send`: the message, the settings, retries and the breaker, the outbox's back-off. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { deliver } from '../../src/notify/deliver.js';
import { configWarnings } from '../../src/notify/index.js';
import { composeMessage, type MailRow } from '../../src/notify/message.js';
import { messageIdFor, nextAttemptAt } from '../../src/notify/outbox.js';
import { sensitiveText } from '../../src/notify/recipients.js';
import { readJournal, takeSendLock } from '../../src/notify/journal.js';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../helpers/db.js';
import { classifyFailure, parseSender, parseSmtpUrl } from '../../src/notify/smtp.js';

const row = (over: Partial<MailRow>): MailRow => ({
  event_id: 'EV0000000000000001',
  event_type: 'NEW_MUTUAL_CLIENT',
  priority: 2,
  due_date: '2026-11-24',
  case_number: 'B1',
  person_label: 'Maria Lopez, CalWORKs case B1',
  subject: 'CalWORKs person P1',
  details: 'New mutual client MC1.',
  recipient_role: 'CALWORKS_WORKER',
  ...over,
});

describe('the message', () => {
  const rows = [
    row({ event_id: 'EV3', priority: 5, due_date: '2026-12-04', event_type: 'TIER_CHANGED' }),
    row({ event_id: 'EV2', priority: 2, due_date: '2026-11-24', details: 'Move <b>now</b> & "then"' }),
    row({ event_id: 'EV1', priority: 1, due_date: '2026-11-23', event_type: 'CHILD_REMOVED', recipient_role: 'CALWORKS_WORKER;LINKAGES_COORDINATOR' }),
    row({
      event_id: 'EV4',
      priority: 2,
      due_date: '2026-11-24',
      details: 'Sensitive child-welfare record: contact the Linkages coordinator, Ana Ruiz, 510-555-0100.',
      person_label: null,
    }),
  ];
  const m = composeMessage('2026-11-21', { key: 'calworks:EW1', file: 'calworks-EW1', name: 'Tanisha Painter', email: 't@x.gov' }, rows, {
    subjectPrefix: '[Alameda Linkages]',
    coordinator: 'Ana Ruiz, 510-555-0100',
  });

  it('subject: prefix, count, earliest due date with its weekday', () => {
    expect(m.subject).toBe('[Alameda Linkages] 4 notifications, first due Mon 2026-11-23');
  });

  it('lists the items most urgent first, each with person, what to do, due date and reference', () => {
    const ids = [...m.text.matchAll(/Reference: (EV\d)/g)].map((x) => x[1]);
    expect(ids).toEqual(['EV1', 'EV2', 'EV4', 'EV3']);
    expect(m.text).toContain('Hello Tanisha Painter,');
    expect(m.text).toContain('for you as CalWORKs worker and Linkages coordinator');
    expect(m.text).toContain('1. Child removed, due Mon 2026-11-23');
    expect(m.text).toContain('Person:    Maria Lopez, CalWORKs case B1');
    expect(m.text).toContain('To do:     Review the family');
    expect(m.text).toContain('Questions: the Linkages coordinator, Ana Ruiz, 510-555-0100.');
  });

  it('a withheld (SENSITIVE) row says only whom to contact', () => {
    const item = m.text.split('\n\n').find((b) => b.includes('EV4'))!;
    expect(item).toContain('Person:    CalWORKs case B1');
    expect(item).toContain('To do:     Contact the Linkages coordinator before acting on this case.');
  });

  it('the HTML part escapes what the data says', () => {
    expect(m.html).toContain('Move &lt;b&gt;now&lt;/b&gt; &amp; &quot;then&quot;');
    expect(m.html).not.toContain('<b>now</b>');
    expect(m.html.match(/Reference EV\d/g)).toEqual(['Reference EV1', 'Reference EV2', 'Reference EV4', 'Reference EV3']);
  });

  it('one notification: singular', () => {
    const one = composeMessage('2026-11-21', { key: 'k', file: 'f', name: null, email: 'a@b.c' }, [row({})], { subjectPrefix: '' });
    expect(one.subject).toBe('1 notification, first due Tue 2026-11-24');
    expect(one.text).toContain('Hello,');
  });
});

describe('settings from the environment', () => {
  it('smtp:// is STARTTLS when offered, port 25; smtps:// is TLS, port 465; the login is decoded', () => {
    expect(parseSmtpUrl('smtp://relay.county.gov')).toMatchObject({ server: 'smtp://relay.county.gov:25', secure: false, port: 25, requireTLS: false });
    expect(parseSmtpUrl('smtps://u%40x:p%3Ass@relay:4650')).toMatchObject({
      server: 'smtps://relay:4650',
      secure: true,
      auth: { user: 'u@x', pass: 'p:ss' },
    });
    expect(parseSmtpUrl('smtp://relay:587?requireTLS=true')).toMatchObject({ requireTLS: true, ignoreTLS: false });
  });

  it('refuses what it cannot use, without echoing the password', () => {
    for (const bad of ['', 'relay:25', 'http://u:hunter2@relay', 'smtp://u:hunter2@relay?foo=1', 'smtp://u:hunter2@relay?requireTLS=true&ignoreTLS=true']) {
      let message = '';
      try {
        parseSmtpUrl(bad);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, bad).toMatch(/^notify send: LINKAGES_SMTP_URL/);
      expect(message).not.toContain('hunter2');
    }
  });

  it('the sender: "Name <address>" or an address; its domain names the Message-IDs', () => {
    expect(parseSender('Linkages <linkages@County.Example.gov>', true)).toEqual({
      from: 'Linkages <linkages@County.Example.gov>',
      domain: 'county.example.gov',
    });
    expect(parseSender('a@b.c', true).domain).toBe('b.c');
    expect(() => parseSender('', true)).toThrow(/LINKAGES_MAIL_FROM is not set/);
    expect(() => parseSender('not an address', true)).toThrow(/not an e-mail address/);
    expect(messageIdFor('2026-11-21', 'calworks:EW1', 'b.c')).toBe(messageIdFor('2026-11-21', 'calworks:EW1', 'b.c'));
    expect(messageIdFor('2026-11-21', 'calworks:EW1', 'b.c')).not.toBe(messageIdFor('2026-11-22', 'calworks:EW1', 'b.c'));
  });

  it('a refused recipient is about the message; a login refused or a dropped connection is about the server', () => {
    expect(classifyFailure({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 unknown' }).kind).toBe('refused');
    expect(classifyFailure({ code: 'EAUTH', responseCode: 535 }).kind).toBe('server');
    expect(classifyFailure({ code: 'ESOCKET', message: 'connect ECONNREFUSED' }).kind).toBe('server');
    expect(classifyFailure({ code: 'EENVELOPE', responseCode: 451 }).kind).toBe('server');
  });
});

describe('retries and the breaker', () => {
  const opts = { concurrency: 2, attempts: 3, backoffMs: 1, breakerFailures: 4 };
  const record = () => {
    const log: string[] = [];
    return {
      log,
      sent: async (m: number, tries: number) => void log.push(`sent ${m} ${tries}`),
      failed: async (m: number, tries: number) => void log.push(`failed ${m} ${tries}`),
    };
  };

  it('a server that refuses everything is tried a bounded number of times; the rest is left untried', async () => {
    let tries = 0;
    const r = record();
    const res = await deliver(
      Array.from({ length: 50 }, (_, i) => i),
      {
        send: async () => {
          tries++;
          throw Object.assign(new Error('refused'), { code: 'ESOCKET' });
        },
        classify: classifyFailure,
        ...r,
      },
      opts,
    );
    expect(res.breakerOpen).toBe(true);
    expect(tries).toBeLessThanOrEqual(opts.breakerFailures + opts.concurrency - 1);
    expect(res.sent).toBe(0);
    expect(res.failed + res.untried).toBe(50);
    expect(r.log.length).toBe(res.failed);
  });

  it('a passing failure is tried again in the same call; a refused message is not', async () => {
    const seen = new Map<number, number>();
    const r = record();
    const res = await deliver(
      [1, 2, 3],
      {
        send: async (m) => {
          const n = (seen.get(m) ?? 0) + 1;
          seen.set(m, n);
          if (m === 1 && n < 3) throw Object.assign(new Error('busy'), { code: 'EENVELOPE', responseCode: 451 });
          if (m === 2) throw Object.assign(new Error('no such user'), { code: 'EENVELOPE', responseCode: 550 });
          return { response: '250 ok' };
        },
        classify: classifyFailure,
        ...r,
      },
      { ...opts, concurrency: 1 },
    );
    expect(res).toMatchObject({ sent: 2, failed: 1, untried: 0, breakerOpen: false });
    expect(r.log).toEqual(['sent 1 3', 'failed 2 1', 'sent 3 1']);
  });

  it('a failed message waits longer after each failed call, at most 6 hours', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    expect(nextAttemptAt(now, 1, 10).toISOString()).toBe('2026-11-21T10:10:00.000Z');
    expect(nextAttemptAt(now, 2, 10).toISOString()).toBe('2026-11-21T10:20:00.000Z');
    expect(nextAttemptAt(now, 30, 10).toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(nextAttemptAt(now, 3, 0).toISOString()).toBe(now.toISOString());
  });
});

describe('the coordinator and the warnings', () => {
  it('a SENSITIVE row names the coordinator once, with what is configured', () => {
    const cfg = defaultConfig().notify;
    expect(sensitiveText(cfg.coordinator)).toBe('Sensitive child-welfare record: contact the Linkages coordinator.');
    expect(sensitiveText({ name: 'Ana Ruiz', email: 'aruiz@x.gov', phone: '510-555-0100' })).toBe(
      'Sensitive child-welfare record: contact the Linkages coordinator, Ana Ruiz, 510-555-0100, aruiz@x.gov.',
    );
  });

  it('warns when no coordinator or no holidays are configured', () => {
    const cfg = defaultConfig().notify;
    expect(configWarnings(cfg).map((w) => w.split(' (')[0])).toEqual(['no Linkages coordinator configured', 'no holidays configured']);
    expect(configWarnings({ ...cfg, holidays: ['2026-11-26'], coordinator: { name: 'Ana Ruiz', email: 'a@x.gov', phone: '' } })).toEqual([]);
  });
});

describe('the journal and the send lock', () => {
  it('a line cut short by a kill is ignored', async () => {
    await withTempDir(async (dir) => {
      const f = join(dir, 'j.jsonl');
      const e = { run_date: '2026-11-21', recipient_key: 'calworks:EW1', outcome: 'sent', tries: 1, text: '250 ok', at: '2026-11-21T10:00:00.000Z' };
      writeFileSync(f, `${JSON.stringify(e)}\n{"run_date":"2026-11-21","recip`);
      expect(readJournal(f)).toEqual([e]);
      expect(readJournal(join(dir, 'none.jsonl'))).toEqual([]);
    });
  });

  it('one send at a time; a lock left by a dead process is taken over', async () => {
    await withTempDir(async (dir) => {
      const f = join(dir, 'db.mail-lock');
      writeFileSync(f, String(process.ppid)); // a live process that is not this one
      expect(() => takeSendLock(f)).toThrow(/another notify send \(process \d+\) is sending/);
      writeFileSync(f, '999999999'); // no such process
      const release = takeSendLock(f);
      expect(existsSync(f)).toBe(true);
      release();
      expect(existsSync(f)).toBe(false);
    });
  });
});
