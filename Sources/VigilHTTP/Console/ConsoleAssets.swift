/// The console's stylesheet and script, compiled in (no CDN, nothing fetched at run time).
/// The script only enhances: every page works without it.
enum ConsoleAssets {
    static let css = #"""
        :root{--bg:#f6f7f9;--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--card:#fff;--accent:#0b57d0;--focus:#ffbf47;
        --info:#3d5a80;--low:#1a7f37;--medium:#9a6700;--high:#bc4c00;--critical:#b3261e;font-size:16px}
        *{box-sizing:border-box}
        body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
        a{color:var(--accent)}
        a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid var(--focus);outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;background:#16202c;color:#fff;padding:.5rem 1rem}
        .top a{color:#fff;text-decoration:none}.top a[aria-current=page]{border-bottom:3px solid var(--focus)}
        .brand{font-weight:700;font-size:1.2rem;letter-spacing:.04em}
        .top ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
        .session{margin-left:auto;display:flex;gap:.5rem;align-items:center}.role{opacity:.8;font-size:.85em}
        main{max-width:1200px;margin:0 auto;padding:1rem}
        .foot{text-align:center;color:var(--muted);font-size:.85rem;padding:1rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        .table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:6px}
        table.list{border-collapse:collapse;width:100%}
        .list th,.list td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        .list th{background:#eef1f4;font-weight:600;white-space:nowrap}
        .list.compact td,.list.compact th{padding:.25rem .5rem}
        .list time{white-space:nowrap}.triage h2{margin-top:0}.assign button{align-self:flex-start}
        .num{text-align:right;font-variant-numeric:tabular-nums}.empty,.muted{color:var(--muted)}
        .sev{display:inline-block;min-width:5.2em;text-align:center;border-radius:4px;padding:0 .4em;font-size:.85em;font-weight:600;color:#fff}
        .sev-info{background:var(--info)}.sev-low{background:var(--low)}.sev-medium{background:var(--medium)}.sev-high{background:var(--high)}.sev-critical{background:var(--critical)}
        .status{font-size:.85em;border:1px solid var(--line);border-radius:4px;padding:0 .4em;background:#fff}
        .filters{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin-bottom:1rem}
        .filter-form{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:.25rem 1rem;align-items:end;margin-bottom:1rem}
        .filter-form label{font-size:.9rem;display:block;margin-top:.4rem}
        .filter-form fieldset{grid-column:1/-1;border:0;padding:0;margin:.3rem 0}
        .filter-form .actions{grid-column:1/-1}
        .stacked{display:flex;flex-direction:column;gap:.3rem;max-width:560px}
        input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #8c959f;border-radius:4px;background:#fff;color:var(--fg);width:100%}
        input[type=checkbox]{width:auto}.check{display:inline-flex;gap:.3rem;margin-right:1rem;align-items:center}
        textarea.code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
        button,.button{font:inherit;cursor:pointer;padding:.35rem .9rem;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:#fff;text-decoration:none;display:inline-block}
        .session button{background:transparent;border-color:#fff}
        button.danger{background:var(--critical);border-color:var(--critical)}
        form.inline{display:inline-flex;gap:.4rem;align-items:center;flex-wrap:wrap}form.inline select{width:auto}
        .notice{padding:.6rem 1rem;border-radius:6px;border:1px solid var(--line);background:#fff}
        .notice.error{border-color:var(--critical);color:var(--critical)}.notice.ok{border-color:var(--low);color:var(--low)}
        .secret-value{font-size:1.05rem;word-break:break-all;background:#fff3c4;padding:.2rem .4rem}
        .sign-in{max-width:380px;margin:3rem auto;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1.5rem}
        .sign-in form{display:flex;flex-direction:column;gap:.4rem}.sign-in button{margin-top:.8rem}
        dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem}
        dl.fields dt{font-weight:600}dl.fields dd{margin:0;word-break:break-word}
        .triage{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem;margin-top:1rem}
        .triage .actions{display:flex;gap:.5rem;flex-wrap:wrap;margin:.5rem 0}.assign{margin-top:.8rem;display:flex;flex-direction:column;gap:.3rem;max-width:420px}
        .history{padding-left:1.2rem}.history blockquote{margin:.2rem 0 .5rem 1rem;color:var(--muted)}
        pre.json{background:#0f1720;color:#e6edf3;padding:.8rem;border-radius:6px;overflow:auto;max-height:32rem}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.6rem}
        .card{display:flex;flex-direction:column;background:var(--card);border:1px solid var(--line);border-left:6px solid;border-radius:6px;padding:.6rem;text-decoration:none;color:var(--fg)}
        .card .count{font-size:1.6rem;font-weight:700}
        .sev-card-info{border-left-color:var(--info)}.sev-card-low{border-left-color:var(--low)}.sev-card-medium{border-left-color:var(--medium)}.sev-card-high{border-left-color:var(--high)}.sev-card-critical{border-left-color:var(--critical)}
        .chart{margin:0;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem}.chart svg{width:100%;height:auto}
        .chart figcaption{color:var(--muted);font-size:.85rem}
        .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1rem}
        .big{font-size:2rem;margin:0}.plain{list-style:none;padding:0}.windows a{margin-right:.8rem}
        .pager{margin:1rem 0;display:flex;gap:1rem}
        .method{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;color:#fff;font-size:.8em;font-weight:700;background:#57606a}
        .method-GET{background:#0b57d0}.method-POST{background:#1a7f37}.method-PATCH{background:#9a6700}.method-DELETE{background:#b3261e}
        .operation{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
        .schema-pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:.5rem}
        .status-code{font-family:ui-monospace,monospace;font-weight:700}
        @media (max-width:640px){.session{margin-left:0}main{padding:.5rem}.list th,.list td{padding:.3rem}dl.fields{grid-template-columns:1fr}}
        """#

    static let javascript = #"""
        "use strict";
        // Live update of the alert queue: the rows are fetched again every 15 seconds, rendered
        // by the server exactly as on page load. Without script the page still works (reload).
        (function () {
          var body = document.querySelector("[data-live]");
          var status = document.querySelector("[data-live-status]");
          if (body) {
            var refresh = function () {
              fetch(body.getAttribute("data-live"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (response) {
                  if (response.redirected || response.status === 401) { window.location.reload(); return null; }
                  return response.ok ? response.text() : null;
                })
                .then(function (html) {
                  if (html === null || html === undefined) { return; }
                  body.innerHTML = html;
                  if (status) { status.textContent = "Updated " + new Date().toLocaleTimeString() + "."; }
                })
                .catch(function () { if (status) { status.textContent = "Live update paused: Vigil is not answering."; } });
            };
            window.setInterval(refresh, 15000);
          }
          var back = document.querySelector("[data-back]");
          if (back && window.history.length > 1) {
            back.addEventListener("click", function (event) { event.preventDefault(); window.history.back(); });
          }
        })();
        """#
}
