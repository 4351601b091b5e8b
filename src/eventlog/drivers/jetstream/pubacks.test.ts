import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectJetStream } from './connect.js';
import { PubAckWindows } from './pubacks.js';
import { deleteStreams, TEST_NATS_URL, uniquePrefixes } from './testing/nats.js';
import { textArray, wellFormed } from './well-formed.js';

describe('PubAckWindows', () => {
  let nc: NatsConnection;
  let prefixes: ReturnType<typeof uniquePrefixes>;

  beforeEach(async () => {
    nc = await connectJetStream(TEST_NATS_URL, { retries: 2 });
    prefixes = uniquePrefixes();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: `${prefixes.streamPrefix}w`,
      subjects: [`${prefixes.subjectPrefix}.w.*`],
      duplicate_window: 60_000_000_000,
    });
  });
  afterEach(async () => {
    await nc.close();
    await deleteStreams(prefixes.streamPrefix);
  });

  it('returns each message’s stream sequence in order, and the first copy’s for a re-sent id', async () => {
    const windows = new PubAckWindows(nc);
    const subject = (p: number) => `${prefixes.subjectPrefix}.w.${p}`;
    const first = await windows.publish(
      [
        { subject: subject(0), data: 'a', msgId: 'id-a' },
        { subject: subject(1), data: 'b', msgId: 'id-b' },
        { subject: subject(0), data: 'c', msgId: 'id-c' },
      ],
      5_000,
    );
    expect(first).toEqual([1, 2, 3]);
    const again = await windows.publish(
      [
        { subject: subject(1), data: 'b', msgId: 'id-b' },
        { subject: subject(1), data: 'd', msgId: 'id-d' },
      ],
      5_000,
    );
    expect(again).toEqual([2, 4]);
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(`${prefixes.streamPrefix}w`)).state.messages).toBe(4);
    windows.close();
  });

  it('refuses a window with a message no stream takes, as a bus error', async () => {
    const windows = new PubAckWindows(nc);
    await expect(
      windows.publish(
        [
          { subject: `${prefixes.subjectPrefix}.w.0`, data: 'a', msgId: 'ok' },
          { subject: `${prefixes.subjectPrefix}.nowhere.0`, data: 'b', msgId: 'lost' },
        ],
        5_000,
      ),
    ).rejects.toMatchObject({ code: 'CD_ERR_BUS_UNAVAILABLE' });
    windows.close();
  });

  it('fails open windows when closed instead of waiting for their timeout', async () => {
    const windows = new PubAckWindows(nc);
    const pending = windows.publish([{ subject: `${prefixes.subjectPrefix}.w.0`, data: 'a', msgId: 'x' }], 60_000);
    windows.close();
    await expect(pending).rejects.toMatchObject({ code: 'CD_ERR_BUS_UNAVAILABLE' });
  });
});

describe('strings sent to PostgreSQL inside one parameter', () => {
  it('replaces lone surrogates as the UTF-8 encoding of a parameter does, and keeps pairs', () => {
    expect(wellFormed('plain')).toBe('plain');
    expect(wellFormed('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormed('\udc00x\ud83d\ude00')).toBe('\ufffdx\ud83d\ude00');
  });

  it('quotes array elements so that commas, quotes, backslashes and braces survive', () => {
    expect(textArray(['a', 'b,c', 'd"e', 'f\\g', '{h}', ''])).toBe('{"a","b,c","d\\"e","f\\\\g","{h}",""}');
  });
});
