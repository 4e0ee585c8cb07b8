// Starts Swagger UI on this server's OpenAPI document. A file of its own because the page's
// Content-Security-Policy allows no inline script.
window.ui = window.SwaggerUIBundle({
  // Relative to the page, so it works wherever a proxy mounts the server (--public-url with a path).
  url: new URL('docs/json', document.baseURI).href,
  dom_id: '#api-reference',
  deepLinking: true,
  // A search box over the tags: the document has well over a hundred operations.
  filter: true,
  // Never ?url= or ?configUrl=: the page shows this server's own document and nothing a link points it at.
  queryConfigEnabled: false,
  // The default sends the document to Swagger's public validator, a third party.
  validatorUrl: null,
  // A token pasted into "Authorize" stays in this page's memory, never in localStorage.
  persistAuthorization: false,
});

// Each operation's summary is a <button> with its deep link (an <a>) inside: a control in a control, which
// keyboard and screen reader users meet as two stops for one thing. The button opens the operation and deep
// linking puts it in the address, so the inner link becomes plain text (an <a> without href).
new MutationObserver(() => {
  for (const link of document.querySelectorAll('.opblock-summary-control a[href]')) link.removeAttribute('href');
}).observe(document.getElementById('api-reference'), { childList: true, subtree: true });
