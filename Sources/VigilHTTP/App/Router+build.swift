import Hummingbird
import Metrics
import Prometheus
import VigilCore

/// Routes and middleware. Public routes first; everything under the authenticated group
/// requires a token or gets 401.
func buildRouter(
    configuration: AppConfiguration,
    routes: Routes,
    console: ConsoleController,
    access: AccessControl,
    metrics: any MetricsFactory,
    registry: PrometheusCollectorRegistry,
    ping: @escaping @Sendable () async throws -> Void
) -> Router<VigilRequestContext> {
    let router = Router(context: VigilRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ClientAddressMiddleware(trusted: configuration.trustedProxies, header: configuration.proxyHeader))
    router.add(middleware: HTTPMetricsMiddleware(factory: metrics))
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: ErrorMiddleware())
    let authentication = access.middleware
    OpsController(registry: registry, ping: ping, openAPIDocument: OpenAPIDocument.bytes)
        .addRoutes(to: router, authenticated: router.group().add(middleware: authentication))
    routes.auth.addPublicRoutes(to: router.group("api/v1/auth"))
    routes.telex.addRoutes(to: router)
    let api = router.group("api/v1").add(middleware: authentication)
    routes.auth.addProtectedRoutes(to: api.group("auth"))
    routes.events.addRoutes(to: api)
    routes.users.addRoutes(to: api)
    routes.apiKeys.addRoutes(to: api)
    routes.rules.addRoutes(to: api)
    routes.alerts.addRoutes(to: api)
    routes.channels.addRoutes(to: api)
    routes.deliveries.addRoutes(to: api)
    routes.stats.addRoutes(to: api)
    routes.ledger.addRoutes(to: api)
    routes.retention.addRoutes(to: api)
    console.addRoutes(to: router)
    return router
}
