// Starts Swagger UI on this server's OpenAPI document, with "Try it" wired to this server. A file of its own
// because the page's Content-Security-Policy allows no inline script.
const TOKEN_KEY = 'harmony.api-reference.token';

/** The token "Try it" sends, kept in this tab's sessionStorage only (never localStorage, never another origin). */
function savedToken() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null');
    return saved && typeof saved.token === 'string' && saved.token ? saved : null;
  } catch {
    return null;
  }
}

const form = document.getElementById('try-token');
const scheme = document.getElementById('try-token-scheme');
const value = document.getElementById('try-token-value');
const status = document.getElementById('try-token-status');
const showStatus = () => {
  const saved = savedToken();
  status.textContent = saved ? `Requests carry your ${saved.scheme || 'raw'} token.` : 'No token: requests go without Authorization.';
};
const restored = savedToken();
if (restored) {
  scheme.value = restored.scheme;
  value.value = restored.token;
}
showStatus();
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = value.value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ scheme: scheme.value, token }));
  else sessionStorage.removeItem(TOKEN_KEY);
  showStatus();
});
document.getElementById('try-token-forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  value.value = '';
  showStatus();
  value.focus();
});

// Where the page is mounted: /docs, or /<prefix>/docs behind a proxy (--public-url with a path).
const base = new URL('.', document.baseURI);
const prefix = base.pathname.replace(/\/$/, '');

window.ui = window.SwaggerUIBundle({
  // Relative to the page, so it works wherever a proxy mounts the server.
  url: new URL('docs/json', document.baseURI).href,
  dom_id: '#api-reference',
  deepLinking: true,
  // A search box over the tags: the document has well over a hundred operations.
  filter: true,
  // Never ?url= or ?configUrl=: the page shows this server's own document and nothing a link points it at.
  queryConfigEnabled: false,
  // The default sends the document to Swagger's public validator, a third party.
  validatorUrl: null,
  // Tokens typed into Swagger's own "Authorize" stay in this page's memory, never in localStorage.
  persistAuthorization: false,
  // Show how long each "Try it" request took.
  displayRequestDuration: true,
  requestInterceptor: (request) => {
    const url = new URL(request.url, document.baseURI);
    // Only this server: a request anywhere else leaves unchanged and without the token.
    if (url.origin !== base.origin) return request;
    // The document's paths are the server's own; behind a path prefix, requests go under it.
    if (prefix && !url.pathname.startsWith(`${prefix}/`)) {
      url.pathname = prefix + url.pathname;
      request.url = url.href;
    }
    const saved = savedToken();
    const headers = request.headers ?? {};
    const named = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    if (saved && !request.loadSpec && !named) headers.Authorization = saved.scheme ? `${saved.scheme} ${saved.token}` : saved.token;
    request.headers = headers;
    return request;
  },
});

// Each operation's summary is a <button> with its deep link (an <a>) inside: a control in a control, which
// keyboard and screen reader users meet as two stops for one thing. The button opens the operation and deep
// linking puts it in the address, so the inner link becomes plain text (an <a> without href).
new MutationObserver(() => {
  for (const link of document.querySelectorAll('.opblock-summary-control a[href]')) link.removeAttribute('href');
}).observe(document.getElementById('api-reference'), { childList: true, subtree: true });
