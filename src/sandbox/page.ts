// A plain, server-rendered page: what the simulated Slack and PagerDuty received (the live
// part, page-messages.ts), with the console's sections (page-kill.ts) above them.
import { esc } from './html.ts';

export { esc };

// Live updates (live-events.ts): on each `change` the messages and incidents are fetched again,
// and the console's sections too unless someone is typing into one of them. Message buttons
// are sent with fetch, as the person picked in the command form, so clicking does not reload.
const LIVE = `<script>(()=>{let typed=false;document.addEventListener('input',()=>{typed=true});
const idle=()=>!typed&&!document.activeElement?.closest('#console form');
const put=(id,html)=>{const cur=document.getElementById(id);if(cur)cur.innerHTML=html};
async function refresh(){const live=await fetch('/sandbox/live',{cache:'no-store'});if(live.ok)put('live',await live.text());
if(!idle())return;const page=await fetch('/sandbox',{cache:'no-store'});if(!page.ok)return;
const next=new DOMParser().parseFromString(await page.text(),'text/html').getElementById('console');if(next&&idle())put('console',next.innerHTML)}
new EventSource('/sandbox/events').addEventListener('change',()=>{refresh().catch(()=>{})});
document.addEventListener('submit',async(e)=>{const form=e.target;if(!form.classList?.contains('bk-click'))return;e.preventDefault();
const body=new URLSearchParams(new FormData(form));const who=document.querySelector('form[action="/sandbox/command"] select[name=user]');
if(who)body.set('user',who.value);await fetch(form.action,{method:'POST',body,redirect:'manual'});await refresh()})})()</script>`;

const STYLE = `<style>body{font:15px/1.4 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}li{margin:.5rem 0}
.notice{color:#a00}.modal{border:1px solid #ccc;padding:.5rem;list-style:none}
table{border-collapse:collapse;display:block;max-width:100%;overflow-x:auto}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
.messages{list-style:none;padding:0}.slack-message{border-top:1px solid #ddd;padding-top:.5rem}
.bk-message{margin:.25rem 0}.bk-section,.bk-context,.bk-actions,.bk-header{margin:.35rem 0}
.bk-header{font-weight:700;font-size:1.1em}.bk-context{color:#616061;font-size:.85em}
.bk-fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.35rem 1rem}
.bk-mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.bk-message code{background:#f4f4f4;border:1px solid #ddd;border-radius:3px;padding:0 2px;color:#c01343}
.bk-message blockquote{border-left:4px solid #ddd;margin:.25rem 0;padding-left:.5rem}
.bk-message ul{margin:.25rem 0;padding-left:1.25rem}.bk-unknown{color:#888;font-style:italic}
.bk-actions{display:flex;flex-wrap:wrap;gap:.5rem}.bk-click{display:inline}
.bk-button{font:inherit;font-weight:700;padding:.3rem .8rem;border:1px solid #bbb;border-radius:4px;background:#fff;color:#1d1c1d;cursor:pointer;text-decoration:none}
.bk-primary{background:#007a5a;border-color:#007a5a;color:#fff}.bk-danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
a{color:#1264a3}.slack-message,.channel li,pre,p,li{overflow-wrap:anywhere}select,input,textarea{max-width:100%}</style>`;

export function renderSandboxPage(input: {
  /** The live part: incidents and messages (page-messages.ts renderLive). */
  live: string;
  /** Already-escaped HTML sections (the console's), shown above the incidents. */
  sections?: string[];
}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${LIVE}
<title>Failsafe sandbox</title>
${STYLE}</head><body>
<h1>Failsafe sandbox</h1><p>Simulated Slack, PagerDuty and Unleash. This page updates itself as
they change (not the form you are typing in).</p>
<div id="console">${(input.sections ?? []).join('\n')}</div>
<div id="live">${input.live}</div>
</body></html>`;
}
