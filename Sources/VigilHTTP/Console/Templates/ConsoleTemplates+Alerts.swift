extension ConsoleTemplates {
    static let alerts = #"""
        {{<layout}}{{$main}}
        <h1>Alert queue</h1>
        <details class="filters"{{#filtered}} open{{/filtered}}>
        <summary>Filters</summary>
        <form method="get" action="/alerts" class="filter-form">
        <fieldset><legend>Status</legend>
        {{#statuses}}<label class="check"><input type="checkbox" name="status" value="{{value}}"{{#checked}} checked{{/checked}}> {{value}}</label>{{/statuses}}
        </fieldset>
        <fieldset><legend>Severity</legend>
        {{#severities}}<label class="check"><input type="checkbox" name="severity" value="{{value}}"{{#checked}} checked{{/checked}}> {{value}}</label>{{/severities}}
        </fieldset>
        <label for="f-min">Minimum severity</label>
        <select id="f-min" name="min_severity"><option value="">any</option>{{#min_severities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/min_severities}}</select>
        <label for="f-rule">Rule id</label><input id="f-rule" name="rule_id" value="{{f.rule_id}}">
        <label for="f-assignee">Assignee</label><input id="f-assignee" name="assignee" value="{{f.assignee}}">
        <label for="f-q">Text</label><input id="f-q" name="q" value="{{f.q}}" placeholder="title, rule or group">
        <label for="f-from">Created from (RFC 3339)</label><input id="f-from" name="from" value="{{f.from}}" placeholder="2026-01-01T00:00:00Z">
        <label for="f-to">Created before</label><input id="f-to" name="to" value="{{f.to}}">
        <label for="f-sort">Sort</label>
        <select id="f-sort" name="sort"><option value="severity"{{#sort_severity}} selected{{/sort_severity}}>most severe first</option><option value="created"{{^sort_severity}} selected{{/sort_severity}}>by time</option></select>
        <label for="f-order">Order</label>
        <select id="f-order" name="order"><option value="desc"{{^order_asc}} selected{{/order_asc}}>descending (newest first)</option><option value="asc"{{#order_asc}} selected{{/order_asc}}>ascending</option></select>
        <label for="f-limit">Per page</label><input id="f-limit" name="limit" value="{{f.limit}}" inputmode="numeric" placeholder="50">
        <div class="actions"><button type="submit">Apply</button> <a href="/alerts">Reset</a></div>
        </form>
        </details>
        <p class="live" aria-live="polite"><span data-live-status>Updates every 15 seconds.</span></p>
        <div class="table-wrap">
        <table class="list">
        <caption class="visually-hidden">Alerts</caption>
        <thead><tr><th scope="col">Severity</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Count</th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col">Assignee</th></tr></thead>
        <tbody id="alert-rows" data-live="/alerts/rows{{live_query}}">
        {{>alert-rows}}
        </tbody>
        </table>
        </div>
        <nav class="pager" aria-label="Pages">{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}{{#next_href}} <a rel="next" href="{{next_href}}">Next page</a>{{/next_href}}</nav>
        {{/main}}{{/layout}}
        """#

    static let alertRows = #"""
        {{#items}}
        <tr>
        <td><span class="sev sev-{{severity}}">{{severity}}</span></td>
        <td><a href="/alerts/{{id}}">{{title}}</a></td>
        <td><span class="status status-{{status}}">{{status}}</span></td>
        <td class="num">{{count}}</td>
        <td><time datetime="{{first_seen}}">{{first_seen_text}}</time></td>
        <td><time datetime="{{last_seen}}">{{last_seen_text}}</time></td>
        <td>{{assignee}}{{^assignee}}<span class="muted">unassigned</span>{{/assignee}}</td>
        </tr>
        {{/items}}
        {{^items}}<tr><td colspan="7" class="empty">No alerts match.</td></tr>{{/items}}
        """#

    static let alert = #"""
        {{<layout}}{{$main}}
        <p class="crumbs"><a href="/alerts">Alert queue</a></p>
        {{#a}}
        <h1><span class="sev sev-{{severity}}">{{severity}}</span> {{title}}</h1>
        <dl class="fields">
        <dt>Status</dt><dd><span class="status status-{{status}}" id="alert-status">{{status}}</span></dd>
        <dt>Assignee</dt><dd>{{assignee}}{{^assignee}}<span class="muted">unassigned</span>{{/assignee}}</dd>
        <dt>Rule</dt><dd>{{rule_name}}</dd>
        <dt>Group</dt><dd><code>{{group_key}}</code></dd>
        <dt>Count</dt><dd>{{count}}</dd>
        <dt>First seen</dt><dd><time datetime="{{first_seen}}">{{first_seen_text}}</time></dd>
        <dt>Last seen</dt><dd><time datetime="{{last_seen}}">{{last_seen_text}}</time></dd>
        <dt>Id</dt><dd><code>{{id}}</code></dd>
        </dl>
        {{/a}}
        {{#can_triage}}
        <section class="triage" aria-labelledby="triage-title">
        <h2 id="triage-title">Triage</h2>
        <form method="post" action="/alerts/{{a.id}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="t-note">Note (optional)</label>
        <textarea id="t-note" name="note" maxlength="2000" rows="2"></textarea>
        <div class="actions">
        {{#actions}}<button type="submit" name="status" value="{{status}}" class="action-{{status}}">{{label}}</button> {{/actions}}
        </div>
        </form>
        <form method="post" action="/alerts/{{a.id}}" class="assign">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="t-assignee">Assign to (username of an admin or analyst; empty to unassign)</label>
        <input id="t-assignee" name="assignee" value="{{a.assignee}}" maxlength="64">
        <input type="hidden" name="assign" value="1">
        <button type="submit">Assign</button>
        </form>
        </section>
        {{/can_triage}}
        {{^can_triage}}<p class="muted">Read-only: only admins triage alerts.</p>{{/can_triage}}
        <h2>Evidence</h2>
        <div class="table-wrap"><table class="list">
        <thead><tr><th scope="col">Time</th><th scope="col">Type</th><th scope="col">Actor</th><th scope="col">Address</th><th scope="col">Description</th></tr></thead>
        <tbody>
        {{#evidence}}<tr><td><a href="/events/{{event_id}}"><time datetime="{{occurred_at}}">{{occurred_at_text}}</time></a></td><td>{{type}}</td><td>{{actor}}</td><td>{{ip}}</td><td>{{description}}</td></tr>{{/evidence}}
        {{^evidence}}<tr><td colspan="5" class="empty">No evidence kept.</td></tr>{{/evidence}}
        </tbody></table></div>
        <h2>History</h2>
        <ol class="history">
        {{#history}}<li><time datetime="{{at}}">{{at_text}}</time> <strong>{{by}}</strong>: {{from}}{{^from}}created{{/from}} → {{to}}{{#assignee}} (assignee {{assignee}}){{/assignee}}{{#note}}<blockquote>{{note}}</blockquote>{{/note}}</li>{{/history}}
        {{^history}}<li class="muted">No changes yet.</li>{{/history}}
        </ol>
        {{/main}}{{/layout}}
        """#
}
