/// The console's page templates (Mustache; `{{x}}` is HTML-escaped, and no template uses
/// `{{{x}}}` except for markup the console itself built, such as the SVG chart).
enum ConsoleTemplates {
    /// Every template by name.
    static let all: [String: String] = [
        "layout": layout, "sign-in": signIn, "error": error, "alerts": alerts, "alert-rows": alertRows, "alert": alert,
        "events": events, "event": event, "overview": overview, "users": users, "api-keys": apiKeys, "rules": rules,
        "rule": rule, "channels": channels, "deliveries": deliveries, "docs": docs,
    ]

    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Vigil</title>
        <link rel="stylesheet" href="/assets/console.css">
        <script src="/assets/console.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
        <a class="brand" href="/">Vigil</a>
        {{#user}}
        <nav aria-label="Main">
        <ul>
        <li><a href="/alerts"{{#nav_alerts}} aria-current="page"{{/nav_alerts}}>Alerts</a></li>
        <li><a href="/events"{{#nav_events}} aria-current="page"{{/nav_events}}>Events</a></li>
        <li><a href="/overview"{{#nav_overview}} aria-current="page"{{/nav_overview}}>Overview</a></li>
        {{#is_admin}}
        <li><a href="/admin/users"{{#nav_users}} aria-current="page"{{/nav_users}}>Users</a></li>
        <li><a href="/admin/api-keys"{{#nav_keys}} aria-current="page"{{/nav_keys}}>API keys</a></li>
        {{/is_admin}}
        {{#is_staff}}
        <li><a href="/admin/rules"{{#nav_rules}} aria-current="page"{{/nav_rules}}>Rules</a></li>
        <li><a href="/admin/channels"{{#nav_channels}} aria-current="page"{{/nav_channels}}>Channels</a></li>
        {{/is_staff}}
        {{#is_admin}}
        <li><a href="/admin/deliveries"{{#nav_deliveries}} aria-current="page"{{/nav_deliveries}}>Deliveries</a></li>
        {{/is_admin}}
        <li><a href="/docs"{{#nav_docs}} aria-current="page"{{/nav_docs}}>API</a></li>
        </ul>
        </nav>
        <form class="session" method="post" action="/sign-out">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <span class="who">{{user}} <span class="role">{{role}}</span></span>
        <button type="submit">Sign out</button>
        </form>
        {{/user}}
        {{^user}}<nav aria-label="Main"><ul><li><a href="/docs">API reference</a></li></ul></nav>{{/user}}
        </header>
        <main id="main">
        {{$main}}{{/main}}
        </main>
        <footer class="foot">Vigil {{version}}</footer>
        </body>
        </html>
        """#

    static let error = #"""
        {{<layout}}{{$main}}
        <h1>{{problem_title}}</h1>
        <p role="alert" class="notice error">{{detail}}</p>
        {{#has_errors}}
        <ul class="field-errors">
        {{#errors}}<li><code>{{field}}</code> {{message}}</li>{{/errors}}
        </ul>
        {{/has_errors}}
        <p><a href="/" data-back>Back</a> · <a href="/">Home</a></p>
        {{/main}}{{/layout}}
        """#

    static let signIn = #"""
        {{<layout}}{{$main}}
        <section class="sign-in" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Vigil</h1>
        {{#failure}}<p role="alert" class="notice error">{{failure}}</p>{{/failure}}
        <form method="post" action="/sign-in">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required maxlength="256" value="{{username}}" autofocus>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
        <button type="submit">Sign in</button>
        </form>
        </section>
        {{/main}}{{/layout}}
        """#
}
