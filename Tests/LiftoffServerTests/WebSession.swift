import Foundation
import Vapor
import VaporTesting

/// A browser's view of the in-memory server: keeps the session cookie across requests and reads
/// the CSRF token from pages, as a real browser would.
final class WebSession: @unchecked Sendable {
    let app: Application
    /// `.running` sends over a real socket from 127.0.0.1, where the peer address and body limits
    /// are real; in memory a request has no peer and arrives with its body already collected.
    let transport: Application.Method
    private(set) var cookie: String?

    /// `cookie`: carry on another session's login (logging in over `.running` loses the cookie to
    /// the client's redirect-following).
    init(app: Application, method: Application.Method = .inMemory, cookie: String? = nil) {
        self.app = app
        self.transport = method
        self.cookie = cookie
    }

    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], form: [String: String]? = nil,
        json: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = headers
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        var body: ByteBuffer?
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: Self.encode(form))
        } else if let json {
            headers.contentType = .json
            body = ByteBuffer(string: json)
        }
        let response = try await app.testing(method: transport).sendRequest(method, path, headers: headers, body: body)
        if let value = response.headers.setCookie?["liftoff-session"] {
            cookie = value.string.isEmpty ? nil : "liftoff-session=\(value.string)"
        }
        return response
    }

    /// The `_csrf` value of the form on `path`.
    func csrf(on path: String) async throws -> String {
        let page = try await send(.GET, path, headers: ["Accept": "text/html"])
        let text = page.body.string
        guard let range = text.range(of: #"name="_csrf" value="([0-9a-f]+)""#, options: .regularExpression) else {
            throw TestFailure("no CSRF token on \(path) (status \(page.status)): \(text.prefix(300))")
        }
        return String(text[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
    }

    @discardableResult
    func login(_ username: String, _ password: String) async throws -> TestingHTTPResponse {
        let token = try await csrf(on: "/login")
        return try await send(.POST, "/login", form: ["_csrf": token, "username": username, "password": password])
    }

    static func encode(_ form: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestingHTTPResponse {
    /// The body as a JSON object or array.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
    }
}
