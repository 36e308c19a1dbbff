import AsyncHTTPClient
import AutotaskAPI
import AutotaskSandbox
import Foundation
import LiftoffCore
import NIOCore

/// A sandbox on a free port and a production client pointed at it, for one test.
struct SandboxHarness {
    let sandbox: SandboxServer
    let port: Int
    let client: AutotaskClient
    let sleeps: SleepRecorder

    static let credentials = SandboxConfiguration()

    static func start(
        records: [String: [JSONObject]] = SandboxHarness.smallMSP,
        configuration: SandboxConfiguration = SandboxConfiguration(),
        adjust: (inout AutotaskConfiguration) -> Void = { _ in }
    ) async throws -> SandboxHarness {
        let sandbox = SandboxServer(configuration: configuration, records: records)
        let port = try await sandbox.start(port: 0)
        // 30 s: the whole package's tests start at once on two cores, and a first answer can be slow.
        var settings = AutotaskConfiguration(
            integrationCode: configuration.integrationCode, userName: configuration.userName,
            secret: configuration.secret,
            discoveryURL: SandboxServer.discoveryURL(port: port), requestTimeout: .seconds(30),
            retry: RetryPolicy(maximumAttempts: 5, baseDelay: .milliseconds(20), maximumDelay: .milliseconds(200)))
        adjust(&settings)
        let sleeps = SleepRecorder()
        let client = AutotaskClient(
            configuration: settings,
            sleep: { duration in
                await sleeps.record(duration)
                try await Task.sleep(for: duration)
            })
        return SandboxHarness(sandbox: sandbox, port: port, client: client, sleeps: sleeps)
    }

    func stop() async {
        await sandbox.shutdown()
    }

    /// Raw HTTP to the sandbox, for checking wire shapes without the client.
    func raw(
        _ method: String, _ path: String, body: String? = nil, headers: [String: String]? = nil
    ) async throws -> (status: Int, json: JSONValue?, text: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        for (name, value) in headers ?? [
            "ApiIntegrationcode": Self.credentials.integrationCode, "Username": Self.credentials.userName,
            "Secret": Self.credentials.secret,
        ] {
            request.headers.add(name: name, value: value)
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        let bytes = Array(buffer.readableBytesView)
        return (Int(response.status.code), try? JSONParser.parse(bytes), String(decoding: bytes, as: UTF8.self))
    }

    /// A few records with known values, enough for filters and references.
    static let smallMSP: [String: [JSONObject]] = [
        "Companies": [
            ["id": 174, "companyName": "Acme Dental", "isActive": true],
            ["id": 175, "companyName": "Brightside Law LLP", "isActive": true],
        ],
        "InternalLocations": [["id": 1, "name": "New York HQ", "isDefault": true, "timeZone": "11"]],
        "Resources": [
            [
                "id": 29682885, "firstName": "Ava", "lastName": "Reyes", "email": "ava@msp.example", "isActive": true,
                "locationID": 1,
            ],
            [
                "id": 29682886, "firstName": "Ben", "lastName": "Okafor", "email": "ben@msp.example", "isActive": true,
                "locationID": 1,
            ],
        ],
        "Tickets": [
            ticket(
                7001, "Printer offline in reception", status: 1, priority: 4, company: 174,
                created: "2026-03-01T10:00:00Z", resource: 29682885),
            ticket(
                7002, "VPN drops every 10 minutes", status: 8, priority: 1, company: 174,
                created: "2026-03-02T11:00:00Z", resource: 29682885),
            ticket(
                7003, "New starter laptop for Dana", status: 1, priority: 2, company: 175,
                created: "2026-03-03T12:00:00Z", resource: nil),
            ticket(
                7004, "Outlook keeps asking for password", status: 5, priority: 3, company: 175,
                created: "2026-03-04T13:00:00Z", resource: 29682886),
            ticket(
                7005, "Replace failing RAID disk on FS01", status: 7, priority: 2, company: 174,
                created: "2026-03-05T14:00:00Z", resource: 29682886),
        ],
    ]

    static func ticket(
        _ id: Int64, _ title: String, status: Int64, priority: Int64, company: Int64, created: String, resource: Int64?
    ) -> JSONObject {
        [
            "id": .integer(id), "ticketNumber": .string("T20260301.\(id)"), "title": .string(title),
            "status": .integer(status),
            "priority": .integer(priority), "companyID": .integer(company), "createDate": .string(created),
            "queueID": 29683354, "assignedResourceID": resource.map(JSONValue.integer) ?? nil,
            "assignedResourceRoleID": resource == nil ? nil : 29683401,
        ]
    }
}

/// Records the waits the client asks for, so tests can see backoff happen.
actor SleepRecorder {
    private(set) var durations: [Duration] = []

    func record(_ duration: Duration) {
        durations.append(duration)
    }
}
