/**
 * The dashboard's only stylesheet and script, served by opsgate itself (`/assets/...`): the CSP
 * allows nothing else, no inline script, no third-party asset. Pages work without the script; it
 * only filters table rows as you type and submits a filter form when a select changes.
 */
export const APP_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--info:#0969da}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--info)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header{display:flex;align-items:center;gap:16px;padding:10px 20px;background:#24292f;color:#fff;flex-wrap:wrap}
header .brand{font-weight:700;color:#fff;text-decoration:none}
header .ro{font-size:12px;border:1px solid #8c959f;border-radius:10px;padding:0 8px;color:#d0d7de}
nav a{color:#d0d7de;text-decoration:none;margin-right:14px}nav a.active,nav a:hover{color:#fff;text-decoration:underline}
main{padding:16px 20px;max-width:1400px}
h1{font-size:22px;margin:4px 0 12px}h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:16px 0 6px}
.meta{color:var(--muted);font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px;margin:8px 0 16px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.card .n{font-size:26px;font-weight:700}.card .l{color:var(--muted)}
.card.bad{border-color:var(--bad);background:#ffebe9}.card.warn{border-color:var(--warn);background:#fff8c5}.card.ok{border-color:var(--ok)}
.alarm{border:3px solid var(--bad);background:#ffebe9;border-radius:6px;padding:12px 16px;margin:8px 0 16px}
.alarm h2{color:var(--bad);margin-top:0}
.okbox{border:1px solid var(--ok);background:#dafbe1;border-radius:6px;padding:8px 12px;margin:8px 0}
.badbox{border:1px solid var(--bad);background:#ffebe9;border-radius:6px;padding:8px 12px;margin:8px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;border:1px solid var(--line);background:#fff;white-space:nowrap}
.b-ok{border-color:var(--ok);color:var(--ok)}.b-bad{border-color:var(--bad);color:var(--bad)}.b-warn{border-color:var(--warn);color:var(--warn)}.b-info{border-color:var(--info);color:var(--info)}
form.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:end;background:var(--panel);padding:8px 10px;border:1px solid var(--line);border-radius:6px}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
select,input,button{font:inherit;padding:3px 6px}
.quick{margin:8px 0;width:320px;max-width:100%}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:20px}@media(max-width:900px){.cols{grid-template-columns:1fr}}
svg{max-width:100%;height:auto;background:#fff;border:1px solid var(--line);border-radius:6px}
svg text{font:11px system-ui,sans-serif;fill:#1b1f24}
ol.timeline{list-style:none;padding-left:0;border-left:3px solid var(--line);margin-left:8px}
ol.timeline li{padding:4px 0 8px 14px;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-8px;top:9px;width:12px;height:12px;border-radius:50%;background:var(--info)}
ol.timeline li.audit::before{background:var(--muted)}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
tr.unverified td{background:#ffebe9}
footer{padding:10px 20px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
`;

export const APP_JS = `"use strict";
document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
  var table = document.getElementById(input.getAttribute("data-filter-for"));
  if (!table) return;
  input.hidden = false;
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    table.querySelectorAll("tbody tr").forEach(function (row) {
      row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) === -1;
    });
  });
});
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { if (select.form) select.form.submit(); });
});
`;
