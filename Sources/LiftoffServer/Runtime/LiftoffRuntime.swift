import AutotaskAPI
import Fluent
import Foundation
import Leaf
import LeafKit
import Vapor
import WallClock

/// How `liftoff serve` and `liftoff demo` set up the server; tests set the same things.
public struct LiftoffServerOptions: Sendable {
    public var configuration: LiftoffConfiguration
    /// `LIFTOFF_API_TOKEN`: an admin API token given by configuration.
    public var apiToken: String?
    /// Marks the session cookie `Secure`; on whenever Liftoff is reached over HTTPS.
    public var secureCookies: Bool
    /// Where the key that encrypts stored secrets lives, unless `LIFTOFF_SECRET_KEY` is set.
    public var keyFile: String
    /// Runs Calendar Reflow on its schedule.
    public var schedule: Bool
    /// The first admin's password when the Store has no users yet (else one is generated and logged).
    public var initialAdminPassword: String?
    /// The metrics in Prometheus's text format, served at `/metrics`, when the process exports
    /// them (the command bootstraps swift-metrics once per process; tests leave it out).
    public var metrics: (@Sendable () -> String)?
    /// Where the server reads the time: the machine's clock, or a start instant given with `--now`,
    /// or a test's pinned clock.
    public var clock: LiftoffClock
    /// `--writing on|off` / `LIFTOFF_WRITING`: sets the Store's writing switch on start, for
    /// scripted set-ups; nil leaves it as the Store has it (a new Store starts in preview).
    public var writing: WritingMode?
    /// `--trusted-proxies`: the reverse proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: TrustedProxies
    /// `LIFTOFF_REFLOW_LEASE_SECONDS`: how long a reflow holds the Store's lease between renewals,
    /// so how long an instance that died mid-run keeps the others from taking over.
    public var reflowLeaseSeconds: TimeInterval
    /// `LIFTOFF_SMTP_URL`: the relay booking confirmations go through; nil sends none (the booking
    /// page is the customer's receipt).
    public var smtp: SMTPConfiguration?
    /// `LIFTOFF_PUBLIC_URL`: where customers reach this Liftoff (``PublicURL``); nil takes it from
    /// each request.
    public var publicURL: String?
    /// Replaces the SMTP client (tests record the mails instead).
    var mailTransport: (any MailTransport)?

    public init(
        configuration: LiftoffConfiguration, apiToken: String? = nil, secureCookies: Bool = false,
        keyFile: String = "liftoff.key", schedule: Bool = true, initialAdminPassword: String? = nil,
        metrics: (@Sendable () -> String)? = nil, clock: LiftoffClock = .system, writing: WritingMode? = nil,
        trustedProxies: TrustedProxies = .none, reflowLeaseSeconds: TimeInterval = 120,
        smtp: SMTPConfiguration? = nil, publicURL: String? = nil
    ) {
        self.smtp = smtp
        self.publicURL = publicURL
        self.reflowLeaseSeconds = reflowLeaseSeconds
        self.trustedProxies = trustedProxies
        self.writing = writing
        self.clock = clock
        self.metrics = metrics
        self.configuration = configuration
        self.apiToken = apiToken
        self.secureCookies = secureCookies
        self.keyFile = keyFile
        self.schedule = schedule
        self.initialAdminPassword = initialAdminPassword
    }
}

/// What every request handler shares: the plan cache and the Autotask connection.
public final class LiftoffRuntime: Sendable {
    let planCache: PlanCache
    public let connection: AutotaskConnection
    let box: SecretBox
    let watcher: PlanVersionWatcher
    /// The one clock every handler, plan and job of this server reads.
    public let clock: LiftoffClock
    let trustedProxies: TrustedProxies
    let loginLimit = LoginLimit()
    /// Sends booking confirmations; nil when no relay is configured.
    let mailer: BookingMailer?
    /// The relay as Settings shows it.
    let smtp: SMTPConfiguration?
    let publicURL: String?

    init(
        connection: AutotaskConnection, box: SecretBox, watcher: PlanVersionWatcher, clock: LiftoffClock,
        trustedProxies: TrustedProxies, mailer: BookingMailer?, smtp: SMTPConfiguration?, publicURL: String?
    ) {
        self.publicURL = publicURL
        self.mailer = mailer
        self.smtp = smtp
        self.clock = clock
        self.trustedProxies = trustedProxies
        self.planCache = PlanCache(clock: clock)
        self.connection = connection
        self.box = box
        self.watcher = watcher
    }

    /// After a change that moves the plan: live pages update (through the plan version), ticket
    /// statuses go out now, and a reflow follows shortly.
    func changed() async {
        await connection.changed()
        await mailer?.pull()
    }

    /// Saves an Autotask connection (secret encrypted) and switches to it, as the Settings page does.
    public func saveConnection(integrationCode: String, userName: String, secret: String, discoveryURL: URL)
        async throws
    {
        try await connection.save(
            StoredConnection(
                integrationCode: integrationCode, userName: userName, secret: secret,
                discoveryURL: discoveryURL.absoluteString))
    }

    /// Stores the site's scheduling settings (a plan-format `settings` object), checked as Settings
    /// and `PUT /api/v1/settings/site` check them.
    public func saveSiteSettings(json: String) async throws {
        let settings = try APIRoutes.parseJSON(Array(json.utf8))
        try SchedulingSettingsForm.check(settings, site: true)
        try await SettingsStore.set(
            SettingsStore.siteKey, String(decoding: settings.serialized, as: UTF8.self), on: connection.database)
        try await PlanVersion.bump(on: connection.database)
    }

    /// Adds an appointment type from the API's JSON (docs/booking.md), checked as the API checks it.
    public func addAppointmentType(json: String) async throws {
        let definition = try BadInput.jsonDecoder.decode(AppointmentTypeDefinition.self, from: Data(json.utf8))
        _ = try await AppointmentTypes.save(definition, id: nil, now: clock.now(), on: connection.database)
    }

    /// Runs Calendar Reflow now (import, plan, write), as "Reflow now" does.
    public func reflowNow(trigger: String, fullImport: Bool = false) async throws -> CalendarReflowJob.Summary {
        guard let coordinator = await connection.coordinator else {
            throw ConfigurationError(
                message: "Autotask is not connected: configure LIFTOFF_AUTOTASK_* or save a connection")
        }
        return try await coordinator.run(trigger: trigger, fullImport: fullImport)
    }

    /// Adds an account, as an admin does on the Settings page.
    /// How many service calls Liftoff owns in Autotask now: the calendar it wrote, whichever run wrote it.
    public func ownedServiceCallCount() async throws -> Int {
        try await ServiceCallLinkRecord.query(on: connection.database).filter(\.$serviceCallID != nil).count()
    }

    public func addUser(username: String, displayName: String, password: String, role: Role, resourceID: Int?)
        async throws
    {
        _ = try await Accounts.create(
            username: username, displayName: displayName, password: password, role: role, resourceID: resourceID,
            now: clock.now(), on: connection.database)
    }

    /// Active technicians as (Autotask resource id, name), by resource id.
    public func technicians() async throws -> [(id: Int, name: String)] {
        try await TechnicianRecord.query(on: connection.database).filter(\.$isActive == true).sort(\.$resourceID).all()
            .map { ($0.resourceID, $0.name) }
    }

    /// Stops scheduled work; call before shutting the application down.
    public func stop() async {
        await mailer?.stop()
        await watcher.stop()
        await connection.stop()
    }
}

extension Application {
    /// Sets the Store's writing switch (``WritingMode``), as `--writing` does; the Store must be open.
    public func setWriting(_ mode: WritingMode, by who: String, at now: Date) async throws {
        try await WritingSwitch.set(mode, by: who, at: now, on: db)
        logger.notice(
            mode == .on
                ? "writing to Autotask is on"
                : "preview: Liftoff plans but writes nothing to Autotask until writing is switched on",
            metadata: ["by": "\(who)"])
    }
}

extension Application {
    /// Sets a user's password from the server's command line (`liftoff admin reset-password`): the
    /// recovery path that needs no login. The Store must be open.
    public func resetPassword(username: String, to password: String) async throws {
        do {
            try await Accounts.reset(username: username, to: password, on: db)
        } catch let abort as AbortError {
            throw ConfigurationError(message: abort.reason)
        }
        logger.notice("password reset from the command line", metadata: ["username": "\(username)"])
    }
}

struct LiftoffRuntimeKey: StorageKey {
    typealias Value = LiftoffRuntime
}

extension Application {
    /// Sets up the whole Liftoff server on this application: the Store, sessions, pages, the API
    /// and the Autotask connection. Call ``LiftoffRuntime/connection``'s `stop()` before shutdown.
    @discardableResult
    public func configureLiftoff(_ options: LiftoffServerOptions) async throws -> LiftoffRuntime {
        try await openStore(options.configuration.database)
        if let writing = options.writing {
            try await setWriting(writing, by: "configuration", at: options.clock.now())
        }
        let box = try SecretBox.load(environment: ProcessInfo.processInfo.environment, keyFile: options.keyFile)
        let connection = AutotaskConnection(
            database: db, logger: logger, box: box, configured: options.configuration.autotask,
            intervalMinutes: options.configuration.reflowIntervalMinutes, clock: options.clock,
            leaseSeconds: options.reflowLeaseSeconds)
        try await connection.start(schedule: options.schedule)
        var mailer: BookingMailer?
        if let smtp = options.smtp {
            mailer = BookingMailer(
                database: db, transport: options.mailTransport ?? SMTPClient(configuration: smtp), from: smtp.from,
                tokens: BookingToken(box: box), publicURL: options.publicURL, clock: options.clock, logger: logger)
            if options.schedule { await mailer?.start() }
            logger.notice("booking confirmations are e-mailed", metadata: ["relay": "\(smtp.summary)"])
        }
        let runtime = LiftoffRuntime(
            connection: connection, box: box,
            watcher: PlanVersionWatcher(
                database: db, logger: logger, postgresURL: options.configuration.database.postgresURL),
            clock: options.clock, trustedProxies: options.trustedProxies, mailer: mailer, smtp: options.smtp,
            publicURL: options.publicURL)
        storage[LiftoffRuntimeKey.self] = runtime
        try await PlanVersion.ensure(on: db)
        try await Accounts.bootstrap(
            on: db, adminPassword: options.initialAdminPassword, now: options.clock.now(), logger: logger)

        sessions.use(.fluent)
        let secure = options.secureCookies
        // The cookie's expiry is read by the visitor's browser against its own real clock, so it is
        // the one time here taken from the machine's clock and not the server's (which `--now` may set).
        sessions.configuration = SessionsConfiguration(cookieName: "liftoff-session") { id in
            HTTPCookies.Value(
                string: id.string, expires: Date().addingTimeInterval(7 * 86_400), maxAge: 7 * 86_400, path: "/",
                isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }
        // Not `.default`: its "visible files only" rule refuses the build directory `.build`.
        let views = Bundle.module.resourcePath.map { $0 + "/Views/" } ?? "Views/"
        leaf.sources = .singleSource(
            NIOLeafFiles(
                fileio: fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views, viewDirectory: views)
        )
        leaf.cache.isEnabled = true
        self.views.use(.leaf)

        middleware = Middlewares()
        middleware.use(SecurityHeaders())
        middleware.use(RouteLoggingMiddleware(logLevel: .info))
        middleware.use(PageErrorMiddleware(environment: environment))
        middleware.use(MethodNotAllowed())
        middleware.use(sessions.middleware)
        middleware.use(AccountMiddleware(configuredToken: options.apiToken, clock: options.clock))
        try register(collection: PublicRoutes(runtime: runtime))
        try register(collection: BookingPages(runtime: runtime))
        if let metrics = options.metrics {
            // Behind an account like everything else: scrapers send an API token.
            grouped(RequireAccount(answer: .unauthorized), RequireRole(.dispatcher)).get("metrics") { _ in
                Response(
                    status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(string: metrics()))
            }
        }
        try register(collection: PageRoutes(runtime: runtime))
        try register(collection: APIRoutes(runtime: runtime))
        try register(collection: AdminAPIRoutes(runtime: runtime))
        try register(collection: BookingAPIRoutes(runtime: runtime))
        try register(collection: SetupAPIRoutes(runtime: runtime))
        return runtime
    }
}
