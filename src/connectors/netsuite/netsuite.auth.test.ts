import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256Signature, oauthEncode, signatureBaseString, tbaAuthorization } from './oauth1.js';
import { idFromLocation } from './transport.js';

describe('OAuth 1.0a signing (RFC 5849)', () => {
  it('builds the RFC 5849 §3.4.1.1 example base string and signs it with HMAC-SHA256 under enc(cs)&enc(ts)', () => {
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const oauth = {
      realm: 'Example',
      oauth_consumer_key: '9djdj82h48djs9d2',
      oauth_token: 'kkk9d7dh3k39sjv7',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131201',
      oauth_nonce: '7d8f3e4a',
    };
    const base = signatureBaseString('post', url, oauth, new URLSearchParams('c2&a3=2+q'));
    // The base string printed in RFC 5849 §3.4.1.1.
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
    const expected = createHmac('sha256', 'j49sk3j29djd&dh893hdasih9').update(base).digest('base64');
    expect(hmacSha256Signature(base, 'j49sk3j29djd', 'dh893hdasih9')).toBe(expected);
    expect(oauthEncode("a b!*'()~")).toBe('a%20b%21%2A%27%28%29~');
  });

  it('signs a NetSuite request with realm, HMAC-SHA256 and a port in the base URI', () => {
    const keys = { accountId: '1234567_SB1', consumerKey: 'ck', consumerSecret: 'c s', tokenId: 'tk', tokenSecret: 't&s' };
    const header = tbaAuthorization(
      keys,
      'GET',
      new URL('https://127.0.0.1:8443/services/rest/record/v1/customer?limit=1'),
      1_772_441_600_000,
      'abcdef123456',
    );
    const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2] ?? '')]));
    expect(params).toMatchObject({
      realm: '1234567_SB1',
      oauth_signature_method: 'HMAC-SHA256',
      oauth_timestamp: '1772441600',
      oauth_nonce: 'abcdef123456',
      oauth_version: '1.0',
    });
    const base =
      'GET&https%3A%2F%2F127.0.0.1%3A8443%2Fservices%2Frest%2Frecord%2Fv1%2Fcustomer&limit%3D1%26oauth_consumer_key%3Dck%26oauth_nonce%3Dabcdef123456%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1772441600%26oauth_token%3Dtk%26oauth_version%3D1.0';
    expect(params.oauth_signature).toBe(createHmac('sha256', 'c%20s&t%26s').update(base).digest('base64'));
  });

  it('never repeats a nonce', () => {
    const keys = { accountId: 'A', consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'tk', tokenSecret: 'ts' };
    const url = new URL('https://a.example/x');
    const nonces = Array.from({ length: 5000 }, () => /oauth_nonce="([^"]+)"/.exec(tbaAuthorization(keys, 'GET', url, 0))?.[1]);
    expect(new Set(nonces).size).toBe(5000);
    expect(nonces.every((n) => n !== undefined && n.length >= 6 && n.length <= 64)).toBe(true);
  });

  it('reads the new internal id from a create Location header', () => {
    expect(idFromLocation('https://123.suitetalk.api.netsuite.com/services/rest/record/v1/salesOrder/4711')).toBe('4711');
    expect(idFromLocation('http://127.0.0.1:9/services/rest/record/v1/customer/12/')).toBe('12');
    expect(() => idFromLocation(undefined)).toThrow(/Location/);
    expect(() => idFromLocation('https://x/services/rest/record/v1/customer/eid:abc')).toThrow(/Location/);
  });
});
