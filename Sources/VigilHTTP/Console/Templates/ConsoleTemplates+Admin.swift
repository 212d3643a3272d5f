extension ConsoleTemplates {
    static let users = #"""
        {{<layout}}{{$main}}
        <h1>Users</h1>
        <div class="table-wrap"><table class="list">
        <thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Created</th><th scope="col">Change</th></tr></thead>
        <tbody>
        {{#items}}<tr><td>{{username}}</td><td>{{role}}</td><td>{{#disabled}}disabled{{/disabled}}{{^disabled}}enabled{{/disabled}}</td><td><time datetime="{{created_at}}">{{created_at_text}}</time></td>
        <td><form method="post" action="/admin/users/{{id}}" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label class="visually-hidden" for="role-{{id}}">Role of {{username}}</label>
        <select id="role-{{id}}" name="role">{{#role_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/role_options}}</select>
        <label class="check"><input type="checkbox" name="disabled" value="true"{{#disabled}} checked{{/disabled}}> disabled</label>
        <button type="submit">Save</button></form></td></tr>{{/items}}
        </tbody></table></div>
        <h2>New user</h2>
        <form method="post" action="/admin/users" class="stacked">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="u-name">Username</label><input id="u-name" name="username" required maxlength="64" autocomplete="off">
        <label for="u-password">Password (at least 12 characters)</label><input id="u-password" name="password" type="password" required autocomplete="new-password">
        <label for="u-role">Role</label><select id="u-role" name="role"><option>analyst</option><option>admin</option><option>user</option></select>
        <button type="submit">Create user</button>
        </form>
        {{/main}}{{/layout}}
        """#

    static let apiKeys = #"""
        {{<layout}}{{$main}}
        <h1>API keys</h1>
        {{#created}}
        <section class="notice secret" role="status">
        <h2>Key “{{name}}” created</h2>
        <p>Copy the secret now: it is shown this once and only its hash is stored.</p>
        <p><code id="new-secret" class="secret-value">{{secret}}</code></p>
        </section>
        {{/created}}
        <div class="table-wrap"><table class="list">
        <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
        <tbody>
        {{#items}}<tr><td>{{name}}</td><td><code>{{prefix}}</code></td><td>{{scopes_text}}</td><td>{{created_by}}, <time datetime="{{created_at}}">{{created_at_text}}</time></td><td>{{expires_at_text}}</td><td>{{last_used_at_text}}</td>
        <td>{{#revoked_at}}revoked {{revoked_at_text}}{{/revoked_at}}{{^revoked_at}}<form method="post" action="/admin/api-keys/{{id}}/revoke" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="danger">Revoke</button></form>{{/revoked_at}}</td></tr>{{/items}}
        {{^items}}<tr><td colspan="7" class="empty">No keys yet.</td></tr>{{/items}}
        </tbody></table></div>
        <h2>New key</h2>
        <form method="post" action="/admin/api-keys" class="stacked">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="k-name">Name</label><input id="k-name" name="name" required maxlength="128">
        <fieldset><legend>Scopes</legend>
        {{#scope_options}}<label class="check"><input type="checkbox" name="scopes" value="{{value}}"{{#checked}} checked{{/checked}}> {{value}}</label>{{/scope_options}}
        </fieldset>
        <label for="k-expires">Expires at (RFC 3339, optional)</label><input id="k-expires" name="expires_at" placeholder="2027-01-01T00:00:00Z">
        <button type="submit">Create key</button>
        </form>
        {{/main}}{{/layout}}
        """#

    static let rules = #"""
        {{<layout}}{{$main}}
        <h1>Rules</h1>
        <div class="table-wrap"><table class="list">
        <thead><tr><th scope="col">Name</th><th scope="col">Severity</th><th scope="col">Enabled</th><th scope="col">Updated</th></tr></thead>
        <tbody>
        {{#items}}<tr><td><a href="/admin/rules/{{id}}">{{name}}</a></td><td><span class="sev sev-{{severity}}">{{severity}}</span></td><td>{{#enabled}}yes{{/enabled}}{{^enabled}}no{{/enabled}}</td><td><time datetime="{{updated_at}}">{{updated_at_text}}</time></td></tr>{{/items}}
        </tbody></table></div>
        {{#is_admin}}
        <h2>New rule</h2>
        <form method="post" action="/admin/rules" class="stacked">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="r-definition">Definition (JSON, as for POST /api/v1/rules)</label>
        <textarea id="r-definition" name="definition" rows="10" class="code" required>{{draft}}</textarea>
        <button type="submit">Create rule</button>
        </form>
        {{/is_admin}}
        {{/main}}{{/layout}}
        """#

    static let rule = #"""
        {{<layout}}{{$main}}
        <p class="crumbs"><a href="/admin/rules">Rules</a></p>
        {{#r}}<h1>{{name}}</h1><p>{{description}}</p>{{/r}}
        {{#is_admin}}
        <form method="post" action="/admin/rules/{{r.id}}" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="enabled" value="{{toggle_to}}">
        <button type="submit">{{toggle_label}}</button>
        </form>
        {{/is_admin}}
        <h2>Definition</h2>
        <pre class="json">{{definition_json}}</pre>
        <h2>Backtest</h2>
        <form method="post" action="/admin/rules/{{r.id}}/backtest" class="filter-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="b-from">From (RFC 3339)</label><input id="b-from" name="from" value="{{b.from}}" placeholder="default: 24 hours ago">
        <label for="b-to">To</label><input id="b-to" name="to" value="{{b.to}}" placeholder="default: now">
        <div class="actions"><button type="submit">Run backtest</button></div>
        </form>
        {{#backtest}}
        <p id="backtest-summary">{{events_scanned}} events scanned from <time datetime="{{from}}">{{from_text}}</time> to <time datetime="{{to}}">{{to_text}}</time>; {{alert_count}} alerts{{#truncated}} (truncated){{/truncated}}.</p>
        <div class="table-wrap"><table class="list" id="backtest-results">
        <thead><tr><th scope="col">Severity</th><th scope="col">Title</th><th scope="col">Group</th><th scope="col" class="num">Count</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead>
        <tbody>
        {{#alerts}}<tr><td><span class="sev sev-{{severity}}">{{severity}}</span></td><td>{{title}}</td><td><code>{{group_key}}</code></td><td class="num">{{count}}</td><td>{{first_seen_text}}</td><td>{{last_seen_text}}</td></tr>{{/alerts}}
        {{^alerts}}<tr><td colspan="6" class="empty">This rule would have raised no alert.</td></tr>{{/alerts}}
        </tbody></table></div>
        {{/backtest}}
        {{/main}}{{/layout}}
        """#

    static let channels = #"""
        {{<layout}}{{$main}}
        <h1>Channels</h1>
        {{#tested}}<p role="status" class="notice {{#delivered}}ok{{/delivered}}{{^delivered}}error{{/delivered}}" id="test-result">Test to “{{name}}”: {{#delivered}}delivered{{/delivered}}{{^delivered}}not delivered{{/delivered}}{{#status_code}}, HTTP {{status_code}}{{/status_code}}{{#error}}, {{error}}{{/error}} ({{latency_ms}} ms).</p>{{/tested}}
        {{#created_secret}}<section class="notice secret" role="status"><p>Signing secret of the new channel, shown once:</p><p><code class="secret-value">{{created_secret}}</code></p></section>{{/created_secret}}
        <div class="table-wrap"><table class="list">
        <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Minimum severity</th><th scope="col">Enabled</th><th scope="col">Test</th></tr></thead>
        <tbody>
        {{#items}}<tr><td>{{name}}</td><td>{{kind}}</td><td>{{min_severity}}</td><td>{{#enabled}}yes{{/enabled}}{{^enabled}}no{{/enabled}}</td>
        <td>{{#is_admin}}<form method="post" action="/admin/channels/{{id}}/test" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Send test</button></form>{{/is_admin}}</td></tr>{{/items}}
        {{^items}}<tr><td colspan="5" class="empty">No channels yet.</td></tr>{{/items}}
        </tbody></table></div>
        {{#is_admin}}
        <h2>New channel</h2>
        <form method="post" action="/admin/channels" class="stacked">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="c-definition">Definition (JSON, as for POST /api/v1/channels)</label>
        <textarea id="c-definition" name="definition" rows="8" class="code" required>{{draft}}</textarea>
        <button type="submit">Create channel</button>
        </form>
        {{/is_admin}}
        {{/main}}{{/layout}}
        """#

    static let deliveries = #"""
        {{<layout}}{{$main}}
        <h1>Deliveries</h1>
        <form method="get" action="/admin/deliveries" class="inline">
        <label for="d-status">Status</label>
        <select id="d-status" name="status"><option value="">any</option>{{#status_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/status_options}}</select>
        <button type="submit">Filter</button>
        </form>
        <div class="table-wrap"><table class="list">
        <thead><tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col">Last error</th><th scope="col">Retry</th></tr></thead>
        <tbody>
        {{#items}}<tr><td><time datetime="{{created_at}}">{{created_at_text}}</time></td><td>{{event}}{{#alert_id}} · <a href="/alerts/{{alert_id}}">alert</a>{{/alert_id}}</td><td>{{status}}</td><td class="num">{{attempts}}</td><td>{{last_error}}</td>
        <td>{{#can_retry}}<form method="post" action="/admin/deliveries/{{id}}/retry" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Retry</button></form>{{/can_retry}}</td></tr>{{/items}}
        {{^items}}<tr><td colspan="6" class="empty">No deliveries.</td></tr>{{/items}}
        </tbody></table></div>
        <nav class="pager" aria-label="Pages">{{#next_href}}<a rel="next" href="{{next_href}}">Next page</a>{{/next_href}}</nav>
        {{/main}}{{/layout}}
        """#
}
