/**
 * The health-centre (保健所) screen: register a positive patient, issue a processing number, list the
 * numbers with their state. Served as HTML by a handler; its script calls the control API with the
 * token, which it takes from `?token=` or from the login field (kept in sessionStorage only).
 */
export interface WebScreenOptions {
  readonly verifyPath: string;
  readonly parameterName: string;
  /** Today on the stub's clock (YYYY-MM-DD): the test date the form starts with. */
  readonly today: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderWebScreen(options: WebScreenOptions): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>HER-SYS 保健所画面 (dummy) — Health centre screen</title>
<style>
body { font-family: sans-serif; margin: 2em; max-width: 60em; }
label { display: block; margin: .4em 0; }
small { color: #666; }
table { border-collapse: collapse; margin-top: 1em; }
td, th { border: 1px solid #999; padding: .2em .6em; }
#issued-number { font-size: 2em; font-family: monospace; }
.error { color: #b00; }
.banner { background: #fee; padding: .5em; border: 1px solid #b00; }
</style>
</head>
<body>
<p class="banner">ダミー HER-SYS（試験用・架空データのみ） <small>Dummy HER-SYS for testing — synthetic data only</small></p>
<h1>保健所画面 <small>Health centre screen</small></h1>

<section>
<h2>ログイン <small>Login</small></h2>
<label>制御トークン <small>Control token</small>
<input id="token" name="token" type="password" autocomplete="off"></label>
<button id="login" type="button">ログイン <small>Log in</small></button>
<span id="login-status"></span>
</section>

<section>
<h2>陽性者登録・処理番号発行 <small>Register a positive patient and issue a processing number</small></h2>
<form id="register">
<label>検査日 <small>Test date</small> <input id="testDate" name="testDate" type="date" required></label>
<label>発症日（無症状なら空欄） <small>Symptom onset date (empty if asymptomatic)</small>
<input id="symptomOnsetDate" name="symptomOnsetDate" type="date"></label>
<label>検査種別 <small>Test type</small>
<select id="testType" name="testType"><option value="PCR">PCR</option><option value="antigen">抗原 (antigen)</option></select></label>
<button id="issue" type="submit">登録して発行 <small>Register and issue</small></button>
</form>
<p>発行された処理番号 <small>Issued processing number</small>: <output id="issued-number" data-testid="issued-number"></output></p>
<p id="error" class="error" role="alert"></p>
</section>

<section>
<h2>発行済み処理番号 <small>Issued numbers</small> <small id="numbers-shown"></small></h2>
<table id="numbers">
<thead><tr><th>患者ID <small>Patient</small></th><th>氏名 <small>Name</small></th><th>処理番号 <small>Number</small></th>
<th>状態 <small>State</small></th><th>発行 <small>Issued</small></th><th>期限 <small>Expires</small></th></tr></thead>
<tbody></tbody>
</table>
</section>
<p><small>Verification API: POST ${escapeHtml(options.verifyPath)} {"${escapeHtml(options.parameterName)}": "12345678"}</small></p>

<script>
const SHOWN_NUMBERS = 50;
const STATE_JA = { issued: '発行済 (issued)', used: '使用済 (used)', expired: '期限切れ (expired)', revoked: '取消 (revoked)' };
const params = new URLSearchParams(location.search);
if (params.get('token')) sessionStorage.setItem('hersysToken', params.get('token'));
const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('hersysToken') || '';
const errorEl = document.getElementById('error');
// The stub's day, not the browser's: the stub may run on the run's clock (stubs/hersys/clock.ts).
const today = ${JSON.stringify(options.today.replace(/[^0-9-]/g, ''))};
document.getElementById('testDate').value = today;

async function control(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { authorization: 'Bearer ' + tokenInput.value, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error((json && json.reason) || res.statusText);
  return json;
}

async function refresh() {
  const { numbers, patients, total } = await control('GET', '/control/numbers?recent=' + SHOWN_NUMBERS);
  document.getElementById('numbers-shown').textContent =
    total > numbers.length ? '（新しい ' + numbers.length + ' 件 / 全 ' + total + ' 件）(newest ' + numbers.length + ' of ' + total + ')' : '';
  const names = new Map(patients.map((p) => [p.patientId, p.name]));
  const tbody = document.querySelector('#numbers tbody');
  tbody.replaceChildren();
  for (const n of numbers) {
    const tr = document.createElement('tr');
    tr.dataset.number = n.processingNumber;
    tr.dataset.state = n.state;
    for (const v of [n.patientId, names.get(n.patientId), n.processingNumber, STATE_JA[n.state] || n.state, n.issuedAt, n.expiresAt]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    tbody.append(tr);
  }
}

document.getElementById('login').addEventListener('click', async () => {
  sessionStorage.setItem('hersysToken', tokenInput.value);
  const status = document.getElementById('login-status');
  try { await refresh(); status.textContent = 'OK'; errorEl.textContent = ''; }
  catch (e) { status.textContent = ''; errorEl.textContent = 'ログイン失敗 (login failed): ' + e.message; }
});

document.getElementById('register').addEventListener('submit', async (event) => {
  event.preventDefault();
  errorEl.textContent = '';
  const onset = document.getElementById('symptomOnsetDate').value;
  try {
    const issued = await control('POST', '/control/patients', {
      testDate: document.getElementById('testDate').value,
      symptomOnsetDate: onset === '' ? null : onset,
      testType: document.getElementById('testType').value,
    });
    document.getElementById('issued-number').textContent = issued.processingNumber;
    await refresh();
  } catch (e) {
    errorEl.textContent = '登録失敗 (registration failed): ' + e.message;
  }
});

if (tokenInput.value) refresh().catch((e) => { errorEl.textContent = e.message; });
</script>
</body>
</html>
`;
}
