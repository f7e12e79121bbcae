// The page holds a publishable key only. Its tokens come from AuthServer (which answers only allowed origins);
// an end user's identity token comes from this SampleApi's sample backend, which keeps the signing secret.

const USER_TOKEN = 'sampleapi.userToken';
const CORS_REFUSED = "Error: AuthServer could not be read from this page: is this origin among the key's allowed origins?";
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

const $ = (id) => document.getElementById(id);

class PageError extends Error {}

function showStatus(message, isError = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', isError);
}

async function problemText(response, what) {
  const body = await response.json().catch(() => ({}));
  return `Error: ${what} answered ${response.status}: ${body.detail ?? body.error_description ?? body.error ?? body.title ?? response.statusText}`;
}

async function tokenRequest(config, parameters) {
  let response;
  try {
    response = await fetch(new URL('connect/token', config.authServer), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: config.publishableKey, scope: config.scope, ...parameters }),
    });
  } catch (error) {
    // A refused origin gets no CORS grant, and the browser hides the answer: fetch rejects with a TypeError.
    throw error instanceof TypeError ? new PageError(CORS_REFUSED) : error;
  }

  if (!response.ok) {
    throw new PageError(await problemText(response, 'AuthServer'));
  }

  return (await response.json()).access_token;
}

async function backend(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) {
    throw new PageError(await problemText(response, 'The sample backend'));
  }

  return response.status === 204 ? null : response.json();
}

function callApi(path, token, init = {}) {
  return fetch(path, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
}

async function whoami(token) {
  const response = await callApi('/whoami', token);
  if (!response.ok) {
    throw new PageError(await problemText(response, 'The API'));
  }

  return response.json();
}

/** A new user token: a fresh identity token from the sample backend, exchanged at AuthServer. */
async function renewUserToken(config) {
  const { identityToken } = await backend('POST', '/browser/identity-token', {});
  const token = await tokenRequest(config, {
    grant_type: TOKEN_EXCHANGE,
    subject_token: identityToken,
    subject_token_type: JWT_TOKEN_TYPE,
  });
  sessionStorage.setItem(USER_TOKEN, token);
  return token;
}

async function createInvoice(config, invoice) {
  const post = (token) => callApi('/invoices', token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(invoice),
  });
  let response = await post(sessionStorage.getItem(USER_TOKEN) ?? await renewUserToken(config));
  if (response.status === 401) {
    // The token expired (or was refused): one new identity token, one retry, as AuthServer's SDKs do.
    response = await post(await renewUserToken(config));
  }

  if (!response.ok) {
    throw new PageError(await problemText(response, 'The API'));
  }

  return response.json();
}

function showUser(user) {
  $('sign-in').hidden = user !== null;
  $('signed-in').hidden = user === null;
  $('invoice-section').hidden = user === null;
  $('user-name').textContent = user?.name ?? '';
  $('user-id').textContent = user?.id ?? '';
  if (user === null) {
    $('invoice-result').textContent = '';
  }
}

/** Runs one user action: its button is disabled meanwhile, and any error goes to the status region. */
function action(button, work) {
  return async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await work();
    } catch (error) {
      showStatus(error instanceof PageError ? error.message : `Error: ${error.message}`, true);
    } finally {
      button.disabled = false;
    }
  };
}

async function start() {
  const config = await backend('GET', '/browser/config.json');
  $('sign-in-unavailable').hidden = config.signInAvailable;
  if (config.signInAvailable) {
    showUser(config.user);
  }

  $('sign-in').addEventListener('submit', action($('sign-in').querySelector('button'), async () => {
    const user = await backend('POST', '/browser/session', { name: $('name').value });
    const seen = await whoami(await renewUserToken(config));
    showUser(user);
    showStatus(`Signed in: the API sees end user ${seen.endUserId} through key ${seen.keyId}.`);
  }));

  $('sign-out').addEventListener('click', action($('sign-out'), async () => {
    await backend('DELETE', '/browser/session');
    sessionStorage.removeItem(USER_TOKEN);
    showUser(null);
    showStatus('Signed out.');
  }));

  $('invoice').addEventListener('submit', action($('invoice').querySelector('button'), async () => {
    const invoice = await createInvoice(config, {
      customer: $('customer').value,
      amount: Number($('amount').value),
      currency: $('currency').value,
    });
    const text = `Invoice ${invoice.id} created by ${invoice.createdByUser} through key ${invoice.createdBy}.`;
    $('invoice-result').textContent = text;
    showStatus(text);
  }));

  const visitor = await whoami(await tokenRequest(config, { grant_type: 'client_credentials' }));
  const text = `The API sees key ${visitor.keyId} through publishable key ${visitor.publishableKey}.`;
  $('visitor').textContent = text;
  showStatus(text);
}

start().catch((error) => {
  const message = error instanceof PageError ? error.message : `Error: ${error.message}`;
  $('visitor').textContent = message;
  showStatus(message, true);
});
