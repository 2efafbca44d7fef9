// Sends a burst of bad AI quality signals to a running Failsafe (the `npm start` sandbox by
// default), enough to burn a 98% budget at 30× in the 1 h and 5 min windows: the next
// evaluation (within 30 s) opens an incident and pages the feature's owner.
//
//   node scripts/send-bad-signals.mjs [feature]
//
// FAILSAFE_URL (default http://localhost:3000) and FAILSAFE_ALERT_TOKEN (default: the token
// the sandbox keeps in $FAILSAFE_DATA_DIR/sandbox-alert-token) say where to send them.
import { readFile } from 'node:fs/promises';

const url = process.env.FAILSAFE_URL ?? 'http://localhost:3000';
const token =
  process.env.FAILSAFE_ALERT_TOKEN ??
  (await readFile(`${process.env.FAILSAFE_DATA_DIR ?? '.failsafe'}/sandbox-alert-token`, 'utf8')).trim();
const feature = process.argv[2] ?? 'ai-support-bot';

for (let i = 0; i < 5; i++) {
  const body = {
    batch_id: `burst-${Date.now()}-${i}`,
    signals: [{ feature, kind: 'eval', at: new Date().toISOString(), good: 40, bad: 60 }],
  };
  const res = await fetch(`${url}/signals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  console.log(res.status, await res.text());
  if (!res.ok) process.exit(1);
}
console.log(`Sent 500 signals for ${feature}, 60% bad. Watch ${url}/sandbox: the page arrives within 30 s.`);
