import { describe, expect, it } from 'bun:test';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { apiUrlFromGateway, gatewayUrlFromApi, resolveEndpoints } from '../../src/sdk/urls.ts';

describe('resolveEndpoints', () => {
  it('defaults to ws://localhost:3002/gateway and http://localhost:3002/api/v1', () => {
    expect(resolveEndpoints({}, undefined)).toEqual({
      gatewayUrl: 'ws://localhost:3002/gateway',
      apiUrl: 'http://localhost:3002/api/v1',
    });
  });

  it('derives https://x/bot-gateway/api/v1 from wss://x/bot-gateway/gateway, keeping the prefix', () => {
    expect(resolveEndpoints({ url: 'wss://x/bot-gateway/gateway' }, undefined)).toEqual({
      gatewayUrl: 'wss://x/bot-gateway/gateway',
      apiUrl: 'https://x/bot-gateway/api/v1',
    });
  });

  it('derives http from ws, keeping host and port', () => {
    expect(apiUrlFromGateway('ws://127.0.0.1:4000/gateway')).toBe('http://127.0.0.1:4000/api/v1');
  });

  it('drops a trailing slash and query string from the gateway URL when deriving', () => {
    expect(apiUrlFromGateway('wss://chat.example.com/gateway/?v=1')).toBe('https://chat.example.com/api/v1');
  });

  it('appends /api/v1 when the gateway URL does not end in /gateway', () => {
    expect(apiUrlFromGateway('ws://localhost:3002')).toBe('http://localhost:3002/api/v1');
  });

  it('derives the gateway from an apiUrl given alone', () => {
    expect(gatewayUrlFromApi('https://x/bot-gateway/api/v1/')).toBe('wss://x/bot-gateway/gateway');
    expect(resolveEndpoints({ apiUrl: 'http://h:1/api/v1' }, undefined)).toEqual({
      gatewayUrl: 'ws://h:1/gateway',
      apiUrl: 'http://h:1/api/v1',
    });
  });

  it('uses both URLs as given when both are set, without a trailing slash on the REST base', () => {
    expect(resolveEndpoints({ url: 'wss://a/gw', apiUrl: 'https://b/rest/' }, undefined)).toEqual({
      gatewayUrl: 'wss://a/gw',
      apiUrl: 'https://b/rest',
    });
  });

  it('resolves relative URLs against a page location (the web app passes paths only)', () => {
    expect(resolveEndpoints({ url: '/gateway' }, 'https://chat.example.com/app/channels/1')).toEqual({
      gatewayUrl: 'wss://chat.example.com/gateway',
      apiUrl: 'https://chat.example.com/api/v1',
    });
  });
});

describe('new HarmonyClient(token, options)', () => {
  it('exposes the derived REST base for a prefixed wss gateway URL', () => {
    const client = new HarmonyClient('t', { url: 'wss://x/bot-gateway/gateway' });
    expect([client.gatewayUrl, client.apiUrl]).toEqual(['wss://x/bot-gateway/gateway', 'https://x/bot-gateway/api/v1']);
  });

  it('uses the local defaults with no options', () => {
    const client = new HarmonyClient('t');
    expect([client.gatewayUrl, client.apiUrl]).toEqual(['ws://localhost:3002/gateway', 'http://localhost:3002/api/v1']);
    expect(client.user).toBeNull();
    expect(client.sessionId).toBeNull();
  });
});
