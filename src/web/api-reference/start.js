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

// Relative to the page, so it works wherever a proxy mounts the server.
const documentUrl = new URL('docs/json', document.baseURI).href;

// The document is fetched here and handed over parsed: given a URL, Swagger UI reads the JSON with its YAML parser,
// seconds of work on a document this size.
const documentLoaded = fetch(documentUrl, { credentials: 'same-origin' }).then((response) => {
  if (!response.ok) throw new Error(`GET docs/json answered ${response.status}`);
  return response.json();
});

documentLoaded.then(start, (error) => {
  document.getElementById('api-reference').textContent = `The API document could not be loaded: ${error.message}`;
});

/**
 * The document with its local references (`#/components/...`) replaced by what they point at, as Swagger UI's
 * resolver leaves them (the reference kept as `$$ref`, a reference into itself left as it is). Null when some
 * reference is not local: then Swagger UI's own resolver does it.
 */
function dereferenced(value, root, stack = []) {
  if (Array.isArray(value)) {
    const out = [];
    for (const item of value) {
      const resolved = dereferenced(item, root, stack);
      if (resolved === null && item !== null) return null;
      out.push(resolved);
    }
    return out;
  }
  if (!value || typeof value !== 'object') return value;
  const { $ref: ref, ...siblings } = value;
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) return null;
    if (stack.includes(ref)) return value;
    let target = root;
    for (const part of ref.slice(2).split('/')) target = target?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (target === undefined) return null;
    const resolved = dereferenced(target, root, [...stack, ref]);
    if (resolved === null) return null;
    const rest = dereferenced(siblings, root, stack);
    if (rest === null) return null;
    return typeof resolved === 'object' && !Array.isArray(resolved) ? { ...resolved, ...rest, $$ref: ref } : resolved;
  }
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = dereferenced(item, root, stack);
    if (resolved === null && item !== null) return null;
    out[key] = resolved;
  }
  return out;
}

/**
 * Swagger UI resolves each part of an OpenAPI 3.1 document it shows (the security schemes at once, an operation
 * when it is opened) by converting the whole document again: about six seconds each on a loaded machine with this
 * document. Its parts only refer within the document, so they are resolved here in milliseconds instead.
 */
function localReferences(spec) {
  return {
    statePlugins: {
      spec: {
        wrapActions: {
          requestResolvedSubtree: (original, system) => (path) => {
            let part = spec;
            for (const key of path) part = part?.[key];
            // OpenID Connect schemes also need their discovery document fetched, which the resolver does.
            const resolved = part === undefined || JSON.stringify(part).includes('openIdConnect') ? null : dereferenced(part, spec);
            if (resolved === null) return original(path);
            return system.specActions.updateResolvedSubtree(path, resolved);
          },
        },
      },
    },
  };
}

function start(spec) {
  window.ui = window.SwaggerUIBundle({
    spec,
    plugins: [() => localReferences(spec)],
    dom_id: '#api-reference',
    deepLinking: true,
    // A search box over the tags: the document has well over a hundred operations.
    filter: true,
    // Light on a loaded machine: the tags start collapsed and a tag's operations are rendered only once it is
    // opened (with some 270 operations, rendering them all took tens of seconds), and the schemas section, which
    // would render every model, starts hidden (each operation still shows its own).
    docExpansion: 'none',
    defaultModelsExpandDepth: -1,
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
}

// Each operation's summary is a <button> with its deep link (an <a>) inside: a control in a control, which
// keyboard and screen reader users meet as two stops for one thing. The button opens the operation and deep
// linking puts it in the address, so the inner link becomes plain text (an <a> without href).
new MutationObserver(() => {
  for (const link of document.querySelectorAll('.opblock-summary-control a[href]')) link.removeAttribute('href');
}).observe(document.getElementById('api-reference'), { childList: true, subtree: true });
