// The login page: posts the user name and password as JSON to /ui/api/session, which sets the
// session cookie, then goes back to the view the user came from (a hash of this UI only).
const SESSION = '/ui/api/session';
const HEADERS = { Accept: 'application/json', 'X-Requested-With': 'opencallback-ui' };

function next() {
  // ?next=#/view from the UI's own redirect, or the #/view the server's redirect carried over
  const wanted = new URLSearchParams(location.search).get('next') || location.hash || '';
  return /^#\/[A-Za-z0-9_\-?=&%.]*$/.test(wanted) ? wanted : '';
}

function showError(message) {
  const error = document.getElementById('login-error');
  error.textContent = message || '';
  error.hidden = !message;
}

async function init() {
  const answer = await fetch(SESSION, { headers: HEADERS, credentials: 'same-origin', cache: 'no-store' });
  if (answer.ok) {
    location.replace(`/ui/${next()}`); // already logged in
    return;
  }
  const body = await answer.json().catch(() => null);
  document.getElementById('demo-hint').hidden = !(body && body.properties && body.properties.demo);
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  showError(null);
  form.querySelector('button').disabled = true;
  try {
    const response = await fetch(SESSION, {
      method: 'POST',
      headers: { ...HEADERS, 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: JSON.stringify({ username: form.elements.username.value, password: form.elements.password.value }),
    });
    if (response.ok) {
      location.replace(`/ui/${next()}`);
      return;
    }
    const body = await response.json().catch(() => null);
    showError(body && body.message ? body.message : `The server answered HTTP ${response.status}`);
    form.elements.password.value = '';
    form.elements.password.focus();
  } catch (error) {
    showError(`Cannot reach the server: ${error.message}`);
  } finally {
    form.querySelector('button').disabled = false;
  }
});

init().catch(() => { /* the form still works */ });
