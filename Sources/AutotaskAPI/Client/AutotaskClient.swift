import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1

/// Liftoff's client for one Autotask tenant.
///
/// ```swift
/// let client = AutotaskClient(configuration: .init(integrationCode: code, userName: user, secret: secret))
/// let open = try await client.query(Ticket.self, filter: [.noteq("status", 5)])
/// let id = try await client.create(ServiceCall(companyID: 174, description: "…", startDateTime: s, endDateTime: e))
/// ```
///
/// Every call goes through one path that finds the tenant's zone, sends the authentication headers,
/// keeps at most three requests in flight per endpoint, counts requests against the hourly budget,
/// and retries what is safe to retry with jittered exponential backoff. Reads, updates and deletes
/// are retried after timeouts and server errors; a create is retried only when Autotask refused it
/// unexecuted (thread limit) — otherwise the caller gets ``AutotaskError/outcomeUnknown(_:)`` and must
/// look the record up before creating it again.
public final class AutotaskClient: Sendable {
    public let configuration: AutotaskConfiguration
    private let http: HTTPClient
    private let logger: Logger
    private let zone = ZoneCache()
    private let limiter: EndpointLimiter
    private let budget: RequestBudget
    private let sleep: @Sendable (Duration) async throws -> Void
    private let randomUnit: @Sendable () -> Double
    /// Why the configured credentials cannot be sent at all, decided once (``unsendableCredential(_:)``).
    private let credentialRefusal: AutotaskError?

    /// - Parameters:
    ///   - sleep: how backoff and slow-down waits happen; tests pass a recording one.
    ///   - randomUnit: the jitter source, a value in 0…1.
    public init(
        configuration: AutotaskConfiguration, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "liftoff.autotask"),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        randomUnit: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.http = httpClient
        self.logger = logger
        self.limiter = EndpointLimiter(limit: configuration.maximumConcurrentRequestsPerEndpoint)
        self.budget = RequestBudget(policy: configuration.budget)
        self.sleep = sleep
        self.randomUnit = randomUnit
        self.credentialRefusal = Self.unsendableCredential(configuration)
    }

    // MARK: - Zone and budget

    /// Asks the discovery host where the tenant's API lives. Needs no credentials and costs no budget.
    public func zoneInformation() async throws(AutotaskError) -> ZoneInformation {
        let user =
            configuration.userName.addingPercentEncoding(
                withAllowedCharacters: .urlQueryAllowed.subtracting(["@", "+", "&", "="])) ?? configuration.userName
        var base = configuration.discoveryURL.absoluteString
        if !base.hasSuffix("/") { base += "/" }
        let url = base + "v1.0/zoneInformation?user=" + user
        let (status, body) = try await perform(method: .GET, url: url, body: nil, authenticated: false)
        guard status == 200 else { throw Self.classify(status: status, body: body) }
        return try decode(ZoneInformation.self, body)
    }

    /// How much of the hourly budget is used, as far as this client knows.
    public func usage() async -> APIUsage {
        await budget.usage()
    }

    /// The tenant's budget as Autotask reports it; also becomes the client's new reading.
    public func thresholdInformation(priority: RequestPriority = .normal) async throws(AutotaskError)
        -> ThresholdInformation
    {
        let body = try await send(
            .GET, "ThresholdInformation", endpoint: "ThresholdInformation", kind: .read, priority: priority)
        let information = try decode(ThresholdInformation.self, body)
        await budget.update(with: information)
        return information
    }

    // MARK: - Reading

    /// Every record matching `filter`, following `nextPageUrl` until the last page.
    public func query<Entity: AutotaskEntity>(
        _ type: Entity.Type, filter: [QueryFilter], includeFields: [String]? = nil, pageSize: Int = 500,
        priority: RequestPriority = .normal
    ) async throws(AutotaskError) -> [Entity] {
        var records: [Entity] = []
        try await forEachPage(
            type, filter: filter, includeFields: includeFields, pageSize: pageSize, priority: priority
        ) {
            records.append(contentsOf: $0)
        }
        return records
    }

    /// Calls `body` with each page of records matching `filter`, so long reads can show progress.
    public func forEachPage<Entity: AutotaskEntity>(
        _ type: Entity.Type, filter: [QueryFilter], includeFields: [String]? = nil, pageSize: Int = 500,
        priority: RequestPriority = .normal, _ body: ([Entity]) async -> Void
    ) async throws(AutotaskError) {
        try await refreshBudgetIfNeeded(priority: priority)
        let query = EntityQuery(
            filter: filter.isEmpty ? [.all] : filter, includeFields: includeFields, maxRecords: pageSize)
        var next: String? = nil
        var first = true
        while first || next != nil {
            let bytes: [UInt8]
            if let url = next {
                bytes = try await send(
                    .POST, absoluteURL: url, body: query.body, endpoint: Entity.entityName, kind: .read,
                    priority: priority)
            } else {
                bytes = try await send(
                    .POST, "\(Entity.entityName)/query", body: query.body, endpoint: Entity.entityName, kind: .read,
                    priority: priority)
            }
            first = false
            let page = try decode(QueryPage<Entity>.self, bytes)
            await body(page.items)
            next = page.pageDetails?.nextPageUrl
        }
    }

    /// How many records match `filter`.
    public func count<Entity: AutotaskEntity>(
        _ type: Entity.Type, filter: [QueryFilter], priority: RequestPriority = .normal
    ) async throws(AutotaskError) -> Int {
        let query = EntityQuery(filter: filter.isEmpty ? [.all] : filter)
        let body = try await send(
            .POST, "\(Entity.entityName)/query/count", body: query.body, endpoint: Entity.entityName, kind: .read,
            priority: priority)
        return try decode(QueryCount.self, body).queryCount
    }

    /// The record with `id`, or `nil` when there is none (Autotask answers either 404 or `item: null`).
    public func get<Entity: AutotaskEntity>(_ type: Entity.Type, id: Int, priority: RequestPriority = .normal)
        async throws(AutotaskError) -> Entity?
    {
        do {
            let body = try await send(
                .GET, "\(Entity.entityName)/\(id)", endpoint: Entity.entityName, kind: .read, priority: priority)
            return try decode(SingleItem<Entity>.self, body).item
        } catch .notFound {
            return nil
        }
    }

    /// The entity's field metadata, including picklists.
    public func fields<Entity: AutotaskEntity>(_ type: Entity.Type, priority: RequestPriority = .normal)
        async throws(AutotaskError) -> [FieldInformation]
    {
        let body = try await send(
            .GET, "\(Entity.entityName)/entityInformation/fields", endpoint: Entity.entityName, kind: .read,
            priority: priority)
        return try decode(FieldList.self, body).fields
    }

    // MARK: - Writing

    /// Creates `entity` and returns its new id. Never retried after an unknown outcome.
    public func create<Entity: AutotaskEntity>(_ entity: Entity, priority: RequestPriority = .normal)
        async throws(AutotaskError) -> Int
    {
        try await create(entity, path: Entity.entityName, endpoint: Entity.entityName, priority: priority)
    }

    /// Creates a child `entity` under its parent's URL and returns its new id.
    public func create<Entity: AutotaskChildEntity>(_ entity: Entity, priority: RequestPriority = .normal)
        async throws(AutotaskError) -> Int
    {
        try await create(
            entity, path: "\(Entity.parentEntityName)/\(entity.parentID)/\(Entity.childCollectionName)",
            endpoint: Entity.entityName, priority: priority)
    }

    private func create<Entity: AutotaskEntity>(
        _ entity: Entity, path: String, endpoint: String, priority: RequestPriority
    ) async throws(AutotaskError) -> Int {
        let payload: Data
        do {
            payload = try AutotaskDate.encoder.encode(entity)
        } catch {
            throw .validation(messages: ["cannot encode \(Entity.entityName): \(error)"], status: 0)
        }
        let body = try await send(
            .POST, path, body: Array(payload), endpoint: endpoint, kind: .create, priority: priority)
        return try decode(ItemID.self, body).itemId
    }

    /// Changes only `fields` of the record `id` (PATCH); other fields stay as they are.
    public func update<Entity: AutotaskEntity>(
        _ type: Entity.Type, id: Int, fields: [String: QueryValue], priority: RequestPriority = .normal
    ) async throws(AutotaskError) -> Int {
        var object: [String: Any] = fields.mapValues(\.json)
        object["id"] = id
        let payload = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        let body = try await send(
            .PATCH, Entity.entityName, body: Array(payload), endpoint: Entity.entityName, kind: .idempotentWrite,
            priority: priority)
        return try decode(ItemID.self, body).itemId
    }

    /// Deletes the record `id`. Deleting what is already gone throws ``AutotaskError/notFound(_:)``.
    public func delete<Entity: AutotaskEntity>(_ type: Entity.Type, id: Int, priority: RequestPriority = .normal)
        async throws(AutotaskError)
    {
        _ = try await send(
            .DELETE, "\(Entity.entityName)/\(id)", endpoint: Entity.entityName, kind: .idempotentWrite,
            priority: priority)
    }

    /// Deletes the child record `id` under its parent's URL.
    public func delete<Entity: AutotaskChildEntity>(
        _ type: Entity.Type, id: Int, parentID: Int, priority: RequestPriority = .normal
    ) async throws(AutotaskError) {
        _ = try await send(
            .DELETE, "\(Entity.parentEntityName)/\(parentID)/\(Entity.childCollectionName)/\(id)",
            endpoint: Entity.entityName, kind: .idempotentWrite, priority: priority)
    }

    // MARK: - The one path every request takes

    enum Kind {
        case read, idempotentWrite, create
    }

    private func refreshBudgetIfNeeded(priority: RequestPriority) async throws(AutotaskError) {
        // The reading is fetched even when the budget holds other work back: it is how a pause ends.
        if await budget.needsReading { _ = try await thresholdInformation(priority: .urgent) }
    }

    private func send(
        _ method: HTTPMethod, _ path: String = "", absoluteURL: String? = nil, body: [UInt8]? = nil, endpoint: String,
        kind: Kind, priority: RequestPriority
    ) async throws(AutotaskError) -> [UInt8] {
        if let credentialRefusal { throw credentialRefusal }
        var refreshedZone = false
        var attempt = 0
        // Discovery's failures are counted apart: a flaky discovery host must not use up the
        // attempts of the request it only prepares.
        var discoveryAttempt = 0
        while true {
            attempt += 1
            switch await budget.admit(priority) {
            case .failure(let error): throw error
            case .success(let delay?): try? await sleep(delay)
            case .success(nil): break
            }
            let url: String
            if let absoluteURL {
                url = absoluteURL
            } else {
                do {
                    url = try await zone.baseURL(using: self) + "V1.0/" + path
                } catch {
                    // Nothing of this request has been sent yet, so a failed discovery is retried as the
                    // read it is, whatever the request: a slow or flaky discovery host must not fail a
                    // create or a whole import on its first try.
                    discoveryAttempt += 1
                    attempt -= 1
                    guard Self.mayRetry(error, kind: .read), discoveryAttempt < configuration.retry.maximumAttempts
                    else {
                        throw error
                    }
                    await waitBeforeRetry(
                        endpoint: "zoneInformation", method: .GET, attempt: discoveryAttempt, error: error)
                    continue
                }
            }
            // Autotask limits threads per endpoint of the URL (a child create under ServiceCalls/{id}/Tickets
            // counts against ServiceCalls), so that is what the limiter counts too.
            let limitKey =
                absoluteURL == nil ? String(path.split(separator: "/").first ?? Substring(endpoint)) : endpoint
            await limiter.acquire(limitKey)
            let started = ContinuousClock.now
            let outcome: Result<(Int, [UInt8]), AutotaskError>
            do {
                outcome = .success(try await perform(method: method, url: url, body: body, authenticated: true))
            } catch {
                outcome = .failure(error)
            }
            await limiter.release(limitKey)
            let elapsed = ContinuousClock.now - started
            await budget.record(elapsed: elapsed)
            let error: AutotaskError
            switch outcome {
            case .success((200, let bytes)):
                Self.count(endpoint: endpoint, method: method, outcome: "200", elapsed: elapsed)
                return bytes
            case .success((let status, let bytes)):
                Self.count(endpoint: endpoint, method: method, outcome: String(status), elapsed: elapsed)
                error = Self.classify(status: status, body: bytes)
            case .failure(let failure):
                Self.count(endpoint: endpoint, method: method, outcome: "transport", elapsed: elapsed)
                error = failure
            }
            if case .authentication = error, !refreshedZone, absoluteURL == nil {
                // The tenant may have moved zones: ask again once.
                refreshedZone = true
                await zone.forget()
                attempt -= 1
                continue
            }
            guard Self.mayRetry(error, kind: kind), attempt < configuration.retry.maximumAttempts else {
                if kind == .create, Self.leavesOutcomeUnknown(error) {
                    throw .outcomeUnknown(error.description)
                }
                throw error
            }
            await waitBeforeRetry(endpoint: endpoint, method: method, attempt: attempt, error: error)
        }
    }

    /// Counts the retry, says so in the log and waits the policy's back-off.
    private func waitBeforeRetry(endpoint: String, method: HTTPMethod, attempt: Int, error: AutotaskError) async {
        await budget.recordRetry()
        let wait = configuration.retry.delay(afterAttempt: attempt, randomUnit: randomUnit())
        logger.notice(
            "retrying Autotask request",
            metadata: [
                "endpoint": "\(endpoint)", "method": "\(method.rawValue)", "attempt": "\(attempt)",
                "error": "\(error)",
                "waitMs": "\(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)",
            ])
        try? await sleep(wait)
    }

    /// A credential that cannot travel in an HTTP header (a control character, e.g. a line break pasted
    /// with the secret) fails every request the same way: refused at once, named, and never retried —
    /// the HTTP client would otherwise report it as a transport error that looks worth retrying.
    static func unsendableCredential(_ configuration: AutotaskConfiguration) -> AutotaskError? {
        let fields = [
            ("integration code", configuration.integrationCode), ("user name", configuration.userName),
            ("secret", configuration.secret),
        ]
        for (name, value) in fields
        where value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            return .authentication(
                "the \(name) holds a control character (a pasted line break?), which cannot be sent to Autotask")
        }
        return nil
    }

    /// Whether sending the same request again is safe and may help.
    static func mayRetry(_ error: AutotaskError, kind: Kind) -> Bool {
        switch (error, kind) {
        case (.threadLimit, _): return true  // refused unexecuted
        case (.transport, .read), (.transport, .idempotentWrite): return true
        case (.unexpectedResponse(let status, _), .read), (.unexpectedResponse(let status, _), .idempotentWrite):
            return status >= 500
        default: return false
        }
    }

    /// Whether a failed create may nevertheless have been applied.
    static func leavesOutcomeUnknown(_ error: AutotaskError) -> Bool {
        switch error {
        case .transport: return true
        case .unexpectedResponse(let status, _): return status >= 500
        default: return false
        }
    }

    private static func count(endpoint: String, method: HTTPMethod, outcome: String, elapsed: Duration) {
        Counter(
            label: "autotask_requests_total",
            dimensions: [("endpoint", endpoint), ("method", method.rawValue), ("outcome", outcome)]
        ).increment()
        Metrics.Timer(label: "autotask_request_duration", dimensions: [("endpoint", endpoint)]).recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// Turns a non-200 answer into an error, keeping Autotask's messages.
    static func classify(status: Int, body: [UInt8]) -> AutotaskError {
        let messages = (try? JSONDecoder().decode(ErrorBody.self, from: Data(body)))?.errors ?? []
        let text =
            messages.isEmpty ? String(decoding: body.prefix(300), as: UTF8.self) : messages.joined(separator: "; ")
        let lower = text.lowercased()
        if lower.contains("thread threshold") { return .threadLimit(text) }
        if status == 429 || (lower.contains("threshold") && lower.contains("exceeded")) {
            return .budgetExhausted(text)
        }
        switch status {
        case 401, 403: return .authentication(text.isEmpty ? "HTTP \(status)" : text)
        case 404: return .notFound(text.isEmpty ? "HTTP 404" : text)
        case 500 where lower.contains("integrationcode is invalid"): return .authentication(text)
        case 500 where lower.contains("no matching records found"): return .notFound(text)
        case 500 where !messages.isEmpty && !lower.contains("unexpected error"):
            return .validation(messages: messages, status: 500)
        default: return .unexpectedResponse(status: status, body: text)
        }
    }

    func perform(method: HTTPMethod, url: String, body: [UInt8]?, authenticated: Bool) async throws(AutotaskError) -> (
        Int, [UInt8]
    ) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if authenticated {
            request.headers.add(name: "ApiIntegrationCode", value: configuration.integrationCode)
            request.headers.add(name: "UserName", value: configuration.userName)
            request.headers.add(name: "Secret", value: configuration.secret)
            if let impersonation = configuration.impersonationResourceID, method != .GET {
                request.headers.add(name: "ImpersonationResourceId", value: String(impersonation))
            }
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let timeout = configuration.requestTimeout.components
            let response = try await http.execute(
                request, timeout: .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000))
            var collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
            return (Int(response.status.code), collected.readBytes(length: collected.readableBytes) ?? [])
        } catch {
            throw .transport(String(describing: error))
        }
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ bytes: [UInt8]) throws(AutotaskError) -> Value {
        do {
            return try AutotaskDate.decoder.decode(Value.self, from: Data(bytes))
        } catch {
            throw .unexpectedResponse(
                status: 200,
                body: "cannot read \(Value.self): \(error) in \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }
}

/// The tenant's API base URL, discovered once and forgotten when a call says the credentials no
/// longer fit (the tenant may have moved zones).
actor ZoneCache {
    private var url: String?

    func baseURL(using client: AutotaskClient) async throws(AutotaskError) -> String {
        if let url { return url }
        var discovered = try await client.zoneInformation().url
        if !discovered.hasSuffix("/") { discovered += "/" }
        url = discovered
        return discovered
    }

    func forget() {
        url = nil
    }
}

struct QueryPage<Entity: Decodable>: Decodable {
    var items: [Entity]
    var pageDetails: PageDetails?
}

/// Autotask's paging cursor: follow `nextPageUrl` (POSTing the same body) until it is null.
struct PageDetails: Decodable {
    var count: Int?
    var requestCount: Int?
    var prevPageUrl: String?
    var nextPageUrl: String?
}

struct SingleItem<Entity: Decodable>: Decodable {
    var item: Entity?
}

struct QueryCount: Decodable {
    var queryCount: Int
}

struct ItemID: Decodable {
    var itemId: Int
}

struct FieldList: Decodable {
    var fields: [FieldInformation]
}

struct ErrorBody: Decodable {
    var errors: [String]
}
