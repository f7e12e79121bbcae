// Calls an API with an AuthServer token, fetched once and reused until shortly before it expires.
// Node.js 20+, openid-client 6.8.9 (npm ci in this folder). Run: node client.mjs
import * as client from 'openid-client';

const issuer = new URL(process.env.AUTHSERVER_URL);         // e.g. https://auth.example.com/
const keyId = process.env.AUTHSERVER_KEY_ID;                 // the API key's ID: its client_id
const secret = process.env.AUTHSERVER_KEY_SECRET;            // authsk_…, from a secret store
const scope = process.env.AUTHSERVER_SCOPE;                  // e.g. invoices:read
const apiUrl = process.env.API_URL;                          // the API to call
const refreshBefore = 60_000;                                // renew a minute before expiry

// Plain HTTP only for a Development AuthServer on loopback; never in production.
const insecure = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
const config = await client.discovery(issuer, keyId, secret, undefined,
  insecure ? { execute: [client.allowInsecureRequests] } : undefined);

let cached = null; // { accessToken, expiresAt }
let pending = null; // one token request at a time

export async function accessToken() {
  if (cached && Date.now() < cached.expiresAt - refreshBefore) {
    return cached.accessToken;
  }
  pending ??= client.clientCredentialsGrant(config, { scope })
    .then((token) => {
      cached = { accessToken: token.access_token, expiresAt: Date.now() + token.expiresIn() * 1000 };
      return cached.accessToken;
    })
    .finally(() => { pending = null; });
  return pending;
}

export async function callApi(url) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${await accessToken()}` } });
  if (response.status === 401) {
    cached = null; // revoked or expired early: the next call fetches a new token
  }
  return response;
}

for (let call = 1; call <= 2; call++) {
  const response = await callApi(apiUrl);
  console.log(`call ${call}: ${response.status}`);
  if (!response.ok) process.exitCode = 1;
}
