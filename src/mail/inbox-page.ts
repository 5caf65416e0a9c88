/**
 * The staff inbox page: static, with no data in it. A browser cannot send a bearer token by
 * navigating, so the page signs in with POST /auth/login itself (the token stays in this
 * tab's sessionStorage) and reads the staff-only JSON routes. Messages are shown in a
 * sandboxed iframe without scripts; every other value is set as text, never as HTML.
 */
export const INBOX_PAGE = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Registrar — mail inbox</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1f2933; }
  header { background: #1d4f7a; color: #fff; padding: 12px 20px; display: flex; justify-content: space-between; align-items: center; }
  main { display: grid; grid-template-columns: minmax(280px, 38%) 1fr; height: calc(100vh - 52px); }
  #list { overflow: auto; border-right: 1px solid #d9dee3; margin: 0; padding: 0; list-style: none; }
  #list li { padding: 10px 16px; border-bottom: 1px solid #eef1f4; cursor: pointer; }
  #list li:hover, #list li.selected { background: #eef4fa; }
  #list .subject { font-weight: 600; } #list .meta { font-size: 13px; color: #52606d; }
  #view { overflow: auto; padding: 16px; }
  #view iframe { width: 100%; height: 70vh; border: 1px solid #d9dee3; }
  #login { max-width: 320px; margin: 80px auto; display: grid; gap: 8px; }
  .error { color: #b42318; } .muted { color: #52606d; } pre { white-space: pre-wrap; }
  button { cursor: pointer; }
</style>
</head>
<body>
<header><strong>Registrar — mail inbox (development)</strong><span><button id="more" hidden>Meer</button> <button id="logout" hidden>Afmelden</button></span></header>
<form id="login" hidden>
  <p>Meld u aan als medewerker om de verzonden mail te zien.</p>
  <input id="email" type="email" placeholder="e-mail" autocomplete="username" required>
  <input id="password" type="password" placeholder="wachtwoord" autocomplete="current-password" required>
  <button type="submit">Aanmelden</button>
  <p id="login-error" class="error"></p>
</form>
<main id="inbox" hidden>
  <ul id="list"></ul>
  <section id="view"><p class="muted">Kies een bericht.</p></section>
</main>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem('registrar.inbox.token');
  let page = 1;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token } });
    if (response.status === 401) { signOut(); throw new Error('Niet (meer) aangemeld'); }
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || response.statusText);
    return body;
  }

  function signOut() {
    token = null;
    sessionStorage.removeItem('registrar.inbox.token');
    $('inbox').hidden = true; $('logout').hidden = true; $('more').hidden = true; $('login').hidden = false;
  }

  async function load(reset) {
    if (reset) { page = 1; $('list').replaceChildren(); }
    const result = await api('/mail/inbox/messages?pageSize=50&page=' + page);
    if (result.total === 0) $('list').append(el('li', 'Nog geen mail verstuurd.', 'muted'));
    for (const message of result.items) {
      const item = el('li');
      item.append(el('div', message.subject || '(geen onderwerp)', 'subject'), el('div', message.to, 'meta'),
        el('div', new Date(message.date).toLocaleString('nl-NL'), 'meta'));
      item.addEventListener('click', () => {
        for (const other of $('list').children) other.classList.remove('selected');
        item.classList.add('selected');
        show(message.file).catch((error) => $('view').replaceChildren(el('p', error.message, 'error')));
      });
      $('list').append(item);
    }
    $('more').hidden = page * result.pageSize >= result.total;
  }

  async function show(file) {
    const message = await api('/mail/inbox/messages/' + encodeURIComponent(file));
    const view = $('view');
    view.replaceChildren(el('h2', message.subject), el('p', 'Van: ' + message.from, 'meta'), el('p', 'Aan: ' + message.to, 'meta'),
      el('p', 'Message-ID: ' + (message.messageId || '—'), 'muted'));
    const files = message.attachments.filter((a) => !a.inline);
    if (files.length) view.append(el('p', 'Bijlagen: ' + files.map((a) => a.filename + ' (' + a.contentType + ', ' + a.size + ' bytes)').join(', ')));
    if (message.html) {
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', '');
      frame.srcdoc = message.html;
      view.append(frame);
    }
    view.append(el('h3', 'Tekstversie'), el('pre', message.text || ''));
  }

  $('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-error').textContent = '';
    const response = await fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: $('email').value, password: $('password').value }) });
    const body = await response.json();
    if (!response.ok) { $('login-error').textContent = body.detail || 'Aanmelden mislukt'; return; }
    token = body.accessToken;
    sessionStorage.setItem('registrar.inbox.token', token);
    start();
  });
  $('logout').addEventListener('click', signOut);
  $('more').addEventListener('click', () => { page++; load(false).catch((error) => alert(error.message)); });

  function start() {
    $('login').hidden = true; $('inbox').hidden = false; $('logout').hidden = false;
    load(true).catch((error) => { $('login-error').textContent = error.message; });
  }
  if (token) start(); else signOut();
})();
</script>
</body>
</html>
`;
