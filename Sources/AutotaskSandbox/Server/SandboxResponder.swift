import Foundation
import LiftoffCore
import Vapor

/// Answers every request the way Autotask would: it parses the path itself, case-insensitively
/// (`/ATServicesRest/V1.0/Tickets/query` and `/atservicesrest/v1.0/tickets/query` are the same),
/// checks credentials and limits, injects faults, and dispatches to the store.
struct SandboxResponder: AsyncMiddleware {
    let server: SandboxServer

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let parts = request.url.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let lower = parts.map { $0.lowercased() }
        guard lower.count >= 3, lower[0] == "atservicesrest", lower[1] == "v1.0" else {
            return Self.json(404, SandboxError(404, "No route for \(request.url.path)").body)
        }
        let route = Array(parts.dropFirst(2))
        if lower[2] == "zoneinformation" {
            // Only scripted faults reach discovery (entity "zoneinformation"): tests of the client's retry
            // of a failed discovery inject them; random fault rates stay on the API itself.
            switch await server.limits.scriptedFault(method: request.method.rawValue, entity: "zoneinformation") {
            case .serverError?:
                return Self.json(500, SandboxError(500, "An unexpected error has occurred. (sandbox fault)").body)
            case .timeout?:
                try? await Task.sleep(for: await server.limits.faults.timeoutDuration)
                return Self.json(500, SandboxError(500, "An unexpected error has occurred. (sandbox timeout)").body)
            case .dropAfterWrite?: return Self.droppedConnection()
            case .threadLimit?, .budgetExhausted?, nil: return zoneInformation(request)
            }
        }
        if let refusal = authenticate(request) { return Self.json(refusal.status, refusal.body) }

        let endpoint = route[0].lowercased()
        if let refusal = await server.limits.admit(endpoint: endpoint, now: server.now()) {
            return Self.json(refusal.status, refusal.body)
        }
        let isWrite =
            request.method == .POST && !lower.contains("query") || [.PATCH, .PUT, .DELETE].contains(request.method)
        let fault = await server.limits.fault(method: request.method.rawValue, entity: endpoint, isWrite: isWrite)
        let outcome = await answer(request, route: route, fault: fault)
        await server.limits.finish(endpoint: endpoint)
        switch outcome {
        case .success(let value):
            if isWrite { await server.limits.recordWrite() }
            if fault == .dropAfterWrite && isWrite { return Self.droppedConnection() }
            return Self.json(200, value)
        case .failure(let error):
            return Self.json(error.status, error.body)
        }
    }

    private func answer(_ request: Request, route: [String], fault: SandboxFault?) async -> Result<
        JSONValue, SandboxError
    > {
        let faults = await server.limits.faults
        if faults.latency > .zero { try? await Task.sleep(for: faults.latency) }
        switch fault {
        case .serverError?: return .failure(SandboxError(500, "An unexpected error has occurred. (sandbox fault)"))
        case .timeout?:
            try? await Task.sleep(for: faults.timeoutDuration)
            return .failure(SandboxError(500, "An unexpected error has occurred. (sandbox timeout)"))
        case .threadLimit?:
            return .failure(SandboxError(429, SandboxLimits.threadMessage(server.configuration.threadLimit)))
        case .budgetExhausted?:
            return .failure(SandboxError(429, SandboxLimits.budgetMessage(await server.limits.hourlyThreshold)))
        case .dropAfterWrite?, nil: break
        }
        do {
            return .success(try await dispatch(request, route: route))
        } catch let error as SandboxError {
            return .failure(error)
        } catch {
            return .failure(SandboxError(500, "\(error)"))
        }
    }

    // MARK: Routes

    private func dispatch(_ request: Request, route: [String]) async throws -> JSONValue {
        let store = server.store
        let method = request.method
        let lower = route.map { $0.lowercased() }
        if lower == ["thresholdinformation"] {
            guard method == .GET else { throw Self.methodNotAllowed(method) }
            return [
                "externalRequestThreshold": .integer(Int64(await server.limits.hourlyThreshold)),
                "requestThresholdTimeframe": 60,
                "currentTimeframeRequestCount": .integer(
                    Int64(await server.limits.requestsThisHour(now: server.now()))),
            ]
        }
        if lower == ["versioninformation"] { return ["apiVersions": ["1.0"]] }
        guard let schema = SandboxCatalog.entity(named: route[0]) else {
            if route.count >= 3, let child = SandboxCatalog.child(parent: route[0], collection: route[2]) {
                return try await childRoute(request, route: route, schema: child)
            }
            throw SandboxError(404, "The entity \(route[0]) does not exist.")
        }
        switch (lower.dropFirst().first, route.count) {
        case (nil, 1):
            switch method {
            case .POST:
                guard schema.canCreate, schema.parent == nil else { throw Self.methodNotAllowed(method) }
                return ["itemId": .integer(try await store.create(schema, body: try await Self.body(request)))]
            case .PATCH, .PUT:
                guard schema.canUpdate, schema.parent == nil else { throw Self.methodNotAllowed(method) }
                return [
                    "itemId": .integer(
                        try await store.update(schema, body: try await Self.body(request), replace: method == .PUT))
                ]
            default: throw Self.methodNotAllowed(method)
            }
        case ("query", 2):
            let query = try await Self.query(request, schema: schema)
            return await page(request, schema: schema, query: query.model, afterID: nil, search: query.search)
        case ("query", 3) where lower[2] == "next":
            guard let token = request.query[String.self, at: "paging"], let paging = Self.paging(token) else {
                throw SandboxError.validation(["The paging token is missing or invalid."])
            }
            if method == .GET && request.query[String.self, at: "search"] == nil {
                throw SandboxError(405, "The requested resource does not support http method 'GET'.")
            }
            let query = try await Self.query(request, schema: schema)
            return await page(request, schema: schema, query: query.model, afterID: paging, search: query.search)
        case ("query", 3) where lower[2] == "count":
            let query = try await Self.query(request, schema: schema)
            return ["queryCount": .integer(Int64(await store.count(schema, query: query.model)))]
        case ("entityinformation", 2):
            return [
                "info": [
                    "name": .string(schema.name), "canCreate": .bool(schema.canCreate),
                    "canDelete": .bool(schema.canDelete),
                    "canQuery": true, "canUpdate": .bool(schema.canUpdate), "hasUserDefinedFields": false,
                    "supportsWebhookCallouts": .bool(schema.name == "Tickets"),
                ]
            ]
        case ("entityinformation", 3) where lower[2] == "fields":
            let fields = SandboxCatalog.fields(of: schema, zoneLabels: server.configuration.zoneLabels)
            return ["fields": .array(fields.map(Self.fieldInformation))]
        case ("entityinformation", 3) where lower[2] == "userdefinedfields":
            return ["fields": []]
        case (let idText?, 2):
            guard let id = Int64(idText) else {
                throw SandboxError(404, "No route for \(route.joined(separator: "/"))")
            }
            switch method {
            case .GET:
                if let record = await store.get(schema, id: id) { return ["item": .object(record)] }
                if server.configuration.missingItemAsNull { return ["item": nil] }
                throw SandboxError(404, "No matching records found. id \(id) of \(schema.name)")
            case .DELETE:
                guard schema.canDelete, schema.parent == nil else { throw Self.methodNotAllowed(method) }
                return ["itemId": .integer(try await store.delete(schema, id: id))]
            default: throw Self.methodNotAllowed(method)
            }
        default:
            if route.count >= 3, let child = SandboxCatalog.child(parent: route[0], collection: route[2]) {
                return try await childRoute(request, route: route, schema: child)
            }
            throw SandboxError(404, "No route for \(route.joined(separator: "/"))")
        }
    }

    /// `{Parent}/{parentId}/{Collection}[/{id}]`: create, update, list and delete children.
    private func childRoute(_ request: Request, route: [String], schema: EntitySchema) async throws -> JSONValue {
        guard let parentID = Int64(route[1]), let link = schema.parent else { throw SandboxError(404, "No route") }
        let store = server.store
        switch (request.method, route.count) {
        case (.POST, 3):
            guard schema.canCreate else { throw Self.methodNotAllowed(request.method) }
            return [
                "itemId": .integer(
                    try await store.create(schema, body: try await Self.body(request), parentID: parentID))
            ]
        case (.PATCH, 3), (.PUT, 3):
            guard schema.canUpdate else { throw Self.methodNotAllowed(request.method) }
            return [
                "itemId": .integer(
                    try await store.update(
                        schema, body: try await Self.body(request), replace: request.method == .PUT, parentID: parentID)
                )
            ]
        case (.GET, 3):
            let query = try SandboxQuery(
                ["filter": [["op": "eq", "field": .string(link.field), "value": .integer(parentID)]]], schema: schema)
            return await page(request, schema: schema, query: query, afterID: nil, search: nil)
        case (.DELETE, 4):
            guard schema.canDelete, let id = Int64(route[3]) else { throw Self.methodNotAllowed(request.method) }
            return ["itemId": .integer(try await store.delete(schema, id: id, parentID: parentID))]
        default: throw Self.methodNotAllowed(request.method)
        }
    }

    private func page(_ request: Request, schema: EntitySchema, query: SandboxQuery, afterID: Int64?, search: String?)
        async -> JSONValue
    {
        let result = await server.store.page(schema, query: query, afterID: afterID)
        var next: JSONValue = nil
        if result.more, let last = result.lastID {
            let paging = "{\"pageSize\":\(query.maxRecords),\"previousIds\":[\(afterID ?? -1)],\"nextIds\":[\(last)]}"
            var url = Self.base(request) + "V1.0/\(schema.name)/query/next?paging=" + Self.encode(paging)
            if let search { url += "&search=" + Self.encode(search) }
            next = .string(url)
        }
        return [
            "items": .array(result.items.map(JSONValue.object)),
            "pageDetails": [
                "count": .integer(Int64(result.items.count)), "requestCount": .integer(Int64(query.maxRecords)),
                "prevPageUrl": nil, "nextPageUrl": next,
            ],
        ]
    }

    // MARK: Pieces

    private func zoneInformation(_ request: Request) -> Response {
        guard request.method == .GET else { return Self.json(405, SandboxError(405, "Use GET.").body) }
        guard let user = request.query[String.self, at: "user"],
            user.lowercased() == server.configuration.userName.lowercased()
        else {
            return Self.json(500, SandboxError(500, "Zone information could not be determined").body)
        }
        return Self.json(
            200,
            [
                "zoneName": "Liftoff Sandbox", "url": .string(Self.base(request)),
                "webUrl": .string(Self.base(request)),
                "ci": 0,
            ])
    }

    private func authenticate(_ request: Request) -> SandboxError? {
        let configuration = server.configuration
        guard request.headers.first(name: "UserName")?.lowercased() == configuration.userName.lowercased(),
            request.headers.first(name: "Secret") == configuration.secret
        else { return SandboxError(401, "Authentication failed: check UserName and Secret.") }
        guard request.headers.first(name: "ApiIntegrationCode") == configuration.integrationCode else {
            return SandboxError(500, "IntegrationCode is invalid.")
        }
        return nil
    }

    /// `{scheme}://{host}/ATServicesRest/`, from the Host the client used, so URLs lead back here.
    private static func base(_ request: Request) -> String {
        let host = request.headers.first(name: .host) ?? "127.0.0.1"
        return "http://\(host)/ATServicesRest/"
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? text
    }

    private static func paging(_ token: String) -> Int64? {
        guard case .object(let object)? = try? JSONParser.parse(Array(token.utf8)),
            case .array(let next)? = object.members.first(where: { $0.key.lowercased() == "nextids" })?.value,
            case .integer(let id)? = next.first
        else { return nil }
        return id
    }

    /// The query of a GET (`?search=`) or POST (body), and the search text to carry into next pages.
    private static func query(_ request: Request, schema: EntitySchema) async throws -> (
        model: SandboxQuery, search: String?
    ) {
        if request.method == .GET {
            guard let search = request.query[String.self, at: "search"] else {
                throw SandboxError.validation(["A GET query needs the search parameter."])
            }
            guard case .object(let object)? = try? JSONParser.parse(Array(search.utf8)) else {
                throw SandboxError.validation(["The search parameter is not a JSON object."])
            }
            return (try SandboxQuery(object, schema: schema), search)
        }
        return (try SandboxQuery(try await body(request), schema: schema), nil)
    }

    private static func body(_ request: Request) async throws -> JSONObject {
        let buffer = try await request.body.collect(max: 8 * 1024 * 1024).get()
        let bytes = buffer.map { Array($0.readableBytesView) } ?? []
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw SandboxError.validation(["The request body is not valid JSON: \(error)"])
        }
        guard case .object(let object) = value else {
            throw SandboxError.validation(["The request body must be a JSON object."])
        }
        return object
    }

    private static func fieldInformation(_ field: EntitySchema.Field) -> JSONValue {
        let dataType: String =
            switch field.type {
            case .integer: "integer"
            case .double: "double"
            case .string: "string"
            case .boolean: "boolean"
            case .dateTime: "datetime"
            }
        return [
            "name": .string(field.name), "dataType": .string(dataType), "length": 0,
            "isRequired": .bool(field.isRequired),
            "isReadOnly": .bool(field.isReadOnly), "isQueryable": true, "isReference": .bool(field.reference != nil),
            "referenceEntityType": .string(field.reference ?? ""), "isPickList": .bool(field.picklist != nil),
            "picklistValues": field.picklist.map { .array($0.map(\.json)) } ?? nil, "picklistParentValueField": "",
            "isSupportedWebhookField": false,
        ]
    }

    private static func methodNotAllowed(_ method: HTTPMethod) -> SandboxError {
        SandboxError(405, "The requested resource does not support http method '\(method.rawValue)'.")
    }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(
            status: HTTPResponseStatus(statusCode: status), headers: headers, body: .init(data: Data(value.serialized)))
    }

    /// Headers promise a body that never comes: the client sees the connection drop after the write
    /// was applied, and cannot know whether it was.
    static func droppedConnection() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        let body = Response.Body(
            asyncStream: { writer in
                try await writer.write(.error(DroppedConnection()))
            }, count: 64)
        return Response(status: .ok, headers: headers, body: body)
    }

    struct DroppedConnection: Error {}
}
