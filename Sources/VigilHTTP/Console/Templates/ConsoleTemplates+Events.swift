extension ConsoleTemplates {
    static let events = #"""
        {{<layout}}{{$main}}
        <h1>Events</h1>
        <form method="get" action="/events" class="filter-form" aria-label="Event search">
        <label for="e-q">Full text</label><input id="e-q" name="q" value="{{f.q}}" placeholder="words in the description">
        <label for="e-type">Type</label><input id="e-type" name="type" value="{{f.type}}" placeholder="auth.login.failed or auth.*">
        <label for="e-actor">Actor</label><input id="e-actor" name="actor" value="{{f.actor}}">
        <label for="e-ip">Address</label><input id="e-ip" name="ip" value="{{f.ip}}" placeholder="203.0.113.7 or 10.0.0.0/8">
        <label for="e-source">Source</label><input id="e-source" name="source" value="{{f.source}}">
        <label for="e-entity-type">Entity type</label><input id="e-entity-type" name="entity_type" value="{{f.entity_type}}">
        <label for="e-entity-id">Entity id</label><input id="e-entity-id" name="entity_id" value="{{f.entity_id}}">
        <label for="e-location">Location</label><input id="e-location" name="location" value="{{f.location}}">
        <label for="e-severity">Severity</label>
        <select id="e-severity" name="severity"><option value="">any</option>{{#severity_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/severity_options}}</select>
        <label for="e-min">Minimum severity</label>
        <select id="e-min" name="min_severity"><option value="">any</option>{{#min_severity_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/min_severity_options}}</select>
        <label for="e-outcome">Outcome</label>
        <select id="e-outcome" name="outcome"><option value="">any</option>{{#outcome_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/outcome_options}}</select>
        <label for="e-from">From (RFC 3339)</label><input id="e-from" name="from" value="{{f.from}}" placeholder="2026-01-01T00:00:00Z">
        <label for="e-to">Before</label><input id="e-to" name="to" value="{{f.to}}">
        <label for="e-details">Details (key=value, one per line)</label>
        <textarea id="e-details" name="details" rows="2" placeholder="port=22">{{f.details}}</textarea>
        <label for="e-order">Order</label>
        <select id="e-order" name="order"><option value="desc"{{^order_asc}} selected{{/order_asc}}>newest first</option><option value="asc"{{#order_asc}} selected{{/order_asc}}>oldest first</option></select>
        <label for="e-limit">Per page</label><input id="e-limit" name="limit" value="{{f.limit}}" inputmode="numeric" placeholder="50">
        <div class="actions"><button type="submit">Search</button> <a href="/events">Reset</a></div>
        </form>
        {{#is_admin}}
        <p class="exports">Export these filters:
        <a class="button" href="/events/export?format=csv{{export_query}}" download>CSV</a>
        <a class="button" href="/events/export?format=ndjson{{export_query}}" download>NDJSON</a></p>
        {{/is_admin}}
        <div class="table-wrap"><table class="list" id="event-results">
        <caption class="visually-hidden">Events</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Severity</th><th scope="col">Type</th><th scope="col">Actor</th><th scope="col">Address</th><th scope="col">Outcome</th><th scope="col">Description</th></tr></thead>
        <tbody>
        {{#items}}<tr><td><a href="/events/{{id}}"><time datetime="{{occurred_at}}">{{occurred_at_text}}</time></a></td><td><span class="sev sev-{{severity}}">{{severity}}</span></td><td>{{type}}</td><td>{{actor}}</td><td>{{ip}}</td><td>{{outcome}}</td><td>{{description}}</td></tr>{{/items}}
        {{^items}}<tr><td colspan="7" class="empty">No events match.</td></tr>{{/items}}
        </tbody></table></div>
        <nav class="pager" aria-label="Pages">{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}{{#next_href}} <a rel="next" href="{{next_href}}">Next page</a>{{/next_href}}</nav>
        {{/main}}{{/layout}}
        """#

    static let event = #"""
        {{<layout}}{{$main}}
        <p class="crumbs"><a href="/events">Events</a></p>
        {{#e}}
        <h1>{{type}}</h1>
        <dl class="fields">
        <dt>Occurred</dt><dd><time datetime="{{occurred_at}}">{{occurred_at_text}}</time></dd>
        <dt>Received</dt><dd><time datetime="{{received_at}}">{{received_at_text}}</time></dd>
        <dt>Severity</dt><dd><span class="sev sev-{{severity}}">{{severity}}</span></dd>
        <dt>Outcome</dt><dd>{{outcome}}</dd>
        <dt>Actor</dt><dd>{{actor}}</dd>
        <dt>Address</dt><dd>{{ip}}</dd>
        <dt>Source</dt><dd>{{source}}</dd>
        <dt>Entity</dt><dd>{{entity_type}} {{entity_id}}</dd>
        <dt>Location</dt><dd>{{location}}</dd>
        <dt>Description</dt><dd>{{description}}</dd>
        <dt>Ingested by</dt><dd>{{ingested_by}}</dd>
        <dt>Id</dt><dd><code>{{id}}</code></dd>
        </dl>
        {{/e}}
        <h2>Details</h2>
        <pre class="json" id="event-details">{{details_json}}</pre>
        {{/main}}{{/layout}}
        """#

    static let overview = #"""
        {{<layout}}{{$main}}
        <h1>Overview</h1>
        <nav class="windows" aria-label="Window">{{#windows}}<a href="/overview?window={{value}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a> {{/windows}}</nav>
        <p class="muted">From <time datetime="{{s.from}}">{{s.from_text}}</time> to <time datetime="{{s.to}}">{{s.to_text}}</time>: {{s.total}} events.</p>
        <section class="cards" aria-label="Events by severity">
        {{#severity_counts}}<a class="card sev-card-{{severity}}" href="/events?severity={{severity}}&amp;from={{s.from}}"><span class="label">{{severity}}</span><span class="count">{{count}}</span></a>{{/severity_counts}}
        </section>
        <h2>Timeline</h2>
        <figure class="chart">{{{chart}}}<figcaption>Events per {{s.bucket}}</figcaption></figure>
        <div class="columns">
        <section><h2>Top addresses</h2><table class="list compact"><thead><tr><th scope="col">Address</th><th scope="col" class="num">Events</th></tr></thead><tbody>
        {{#top_ips}}<tr><td><a href="/events?ip={{ip}}">{{ip}}</a></td><td class="num">{{count}}</td></tr>{{/top_ips}}
        {{^top_ips}}<tr><td colspan="2" class="empty">None</td></tr>{{/top_ips}}
        </tbody></table></section>
        <section><h2>Top actors</h2><table class="list compact"><thead><tr><th scope="col">Actor</th><th scope="col" class="num">Events</th></tr></thead><tbody>
        {{#top_actors}}<tr><td><a href="/events?actor={{actor}}">{{actor}}</a></td><td class="num">{{count}}</td></tr>{{/top_actors}}
        {{^top_actors}}<tr><td colspan="2" class="empty">None</td></tr>{{/top_actors}}
        </tbody></table></section>
        <section><h2>Failed logins</h2><p class="big"><a href="/events?type=auth.login.failed">{{failed_logins}}</a></p>
        {{#alert_counts}}<h2>Alerts opened</h2><ul class="plain">{{#items}}<li><span class="sev sev-{{severity}}">{{severity}}</span> {{count}}</li>{{/items}}</ul>{{/alert_counts}}
        </section>
        </div>
        {{/main}}{{/layout}}
        """#
}
