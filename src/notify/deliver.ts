/**
 * Sending a batch of messages: a few at a time (p-queue), each tried again
 * with a doubling wait while the server fails, and a circuit breaker: after
 * `breakerFailures` failed tries in a row (any message, any kind) the call
 * stops trying; what it did not try stays as it was for the next call.
 * A message the server refused (5xx) is not tried again in the same call.
 *
 * Each outcome is recorded (by the caller's `record`) before the next
 * message of the same slot starts, so a kill loses at most the messages in
 * flight: they are sent again by the next call, with the same Message-ID.
 */
import PQueue from 'p-queue';
import type { MailFailure } from './smtp.js';

export interface DeliveryOptions {
  concurrency: number;
  attempts: number;
  backoffMs: number;
  breakerFailures: number;
}

export interface DeliveryCallbacks<M> {
  send(message: M): Promise<{ response: string }>;
  classify(err: unknown): MailFailure;
  sent(message: M, tries: number, response: string): Promise<void>;
  failed(message: M, tries: number, failure: MailFailure): Promise<void>;
}

export interface DeliveryResult {
  sent: number;
  failed: number;
  /** Not tried: the breaker opened first. */
  untried: number;
  breakerOpen: boolean;
  /** The last failure's codes (no text), for the one-line reason. */
  lastFailure: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deliver<M>(messages: M[], cb: DeliveryCallbacks<M>, o: DeliveryOptions): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, failed: 0, untried: 0, breakerOpen: false, lastFailure: null };
  let consecutive = 0;
  const queue = new PQueue({ concurrency: o.concurrency });

  const one = async (m: M) => {
    let tries = 0;
    let last: MailFailure | null = null;
    for (;;) {
      if (result.breakerOpen) {
        // Stopped while this one waited: a message tried before is recorded failed, one never tried stays as it was.
        if (last) {
          await cb.failed(m, tries, last);
          result.failed++;
        } else result.untried++;
        return;
      }
      tries++;
      try {
        const r = await cb.send(m);
        consecutive = 0;
        await cb.sent(m, tries, r.response);
        result.sent++;
        return;
      } catch (err) {
        last = cb.classify(err);
        result.lastFailure = last.code;
        consecutive++;
        if (consecutive >= o.breakerFailures) result.breakerOpen = true;
        if (last.kind === 'refused' || tries >= o.attempts || result.breakerOpen) {
          await cb.failed(m, tries, last);
          result.failed++;
          return;
        }
        await sleep(o.backoffMs * 2 ** (tries - 1));
      }
    }
  };

  await Promise.all(messages.map((m) => queue.add(() => one(m))));
  return result;
}
