// FAILSAFE_PUBLIC_URL: the address in every one-tap ack link and the one Slack and PagerDuty
// are told to call. It must reach a running Failsafe, whose /healthz answers 200 {status: ok}.
import { type Fetch, fetchWithTimeout, joinUrl } from '../adapters/http.ts';
import { type Check, fail, pass, whatWentWrong } from './check.ts';

const FIX =
  'start Failsafe there, or set FAILSAFE_PUBLIC_URL to the https address where it runs (the host of manifest.yml’s request URLs)';

export async function checkPublicUrl(publicUrl: string, fetch: Fetch, timeoutMs = 5_000): Promise<Check> {
  const label = `Public URL ${publicUrl}`;
  try {
    const res = await fetchWithTimeout(
      'Failsafe',
      fetch,
      joinUrl(publicUrl, 'healthz'),
      { method: 'GET' },
      timeoutMs,
    );
    const body = (await res.json().catch(() => null)) as { status?: unknown } | null;
    if (res.status === 200 && body?.status === 'ok') return pass(label, '/healthz answers ok');
    return fail(label, `/healthz answered ${res.status}, not Failsafe's {"status":"ok"}`, FIX);
  } catch (error) {
    return fail(label, `/healthz did not answer (${whatWentWrong(error)})`, FIX);
  }
}
