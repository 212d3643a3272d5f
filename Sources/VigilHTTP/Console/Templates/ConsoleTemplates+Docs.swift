extension ConsoleTemplates {
    static let docs = #"""
        {{<layout}}{{$main}}
        <h1>{{doc_title}} <span class="muted">{{doc_version}}</span></h1>
        <p>{{doc_description}}</p>
        <p>Rendered from <a href="/openapi.json">/openapi.json</a>, the OpenAPI 3.1 document this server serves. Every error is <code>application/problem+json</code> with a stable <code>code</code>.</p>
        <nav class="toc" aria-label="Routes"><h2>Routes</h2>
        {{#groups}}<h3>{{name}}</h3><ul class="plain">{{#operations}}<li><a href="#{{anchor}}"><span class="method method-{{method}}">{{method}}</span> <code>{{path}}</code></a> {{summary}}</li>{{/operations}}</ul>{{/groups}}
        </nav>
        {{#groups}}{{#operations}}
        <section class="operation" id="{{anchor}}" aria-labelledby="{{anchor}}-title">
        <h2 id="{{anchor}}-title"><span class="method method-{{method}}">{{method}}</span> <code>{{path}}</code></h2>
        <p><strong>{{summary}}</strong></p>
        {{#description}}<p class="description">{{description}}</p>{{/description}}
        {{#security}}<p class="muted">Authentication: {{security}}</p>{{/security}}
        {{#has_parameters}}<h3>Parameters</h3>
        <div class="table-wrap"><table class="list compact"><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead><tbody>
        {{#parameters}}<tr><td><code>{{name}}</code></td><td>{{in}}</td><td><code>{{type}}</code></td><td>{{#required}}yes{{/required}}{{^required}}no{{/required}}</td><td>{{description}}</td></tr>{{/parameters}}
        </tbody></table></div>{{/has_parameters}}
        {{#request}}<h3>Request body <span class="muted">{{content_type}}</span></h3>
        <div class="schema-pair"><div><h4>Schema</h4><pre class="json">{{schema}}</pre></div><div><h4>Example</h4><pre class="json">{{example}}</pre></div></div>
        {{#has_refs}}<p class="refs">See {{#refs}}<a href="#schema-{{.}}">{{.}}</a> {{/refs}}</p>{{/has_refs}}{{/request}}
        <h3>Responses</h3>
        {{#responses}}<div class="response"><h4><span class="status-code">{{status}}</span> {{description}}{{#content_type}} <span class="muted">{{content_type}}</span>{{/content_type}}</h4>
        {{#schema}}<details><summary>Schema and example</summary><div class="schema-pair"><div><pre class="json">{{schema}}</pre></div><div><pre class="json">{{example}}</pre></div></div>
        {{#has_refs}}<p class="refs">See {{#refs}}<a href="#schema-{{.}}">{{.}}</a> {{/refs}}</p>{{/has_refs}}</details>{{/schema}}</div>{{/responses}}
        </section>
        {{/operations}}{{/groups}}
        <h2>Schemas</h2>
        {{#schemas}}<section class="schema" id="schema-{{name}}"><h3>{{name}}</h3><pre class="json">{{schema}}</pre></section>{{/schemas}}
        {{/main}}{{/layout}}
        """#
}
