// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Liftoff",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LiftoffCore", targets: ["LiftoffCore"]),
        .library(name: "AutotaskAPI", targets: ["AutotaskAPI"]),
        .library(name: "AutotaskSandbox", targets: ["AutotaskSandbox"]),
        .library(name: "WallClock", targets: ["WallClock"]),
        .executable(name: "liftoff", targets: ["liftoff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/vapor/fluent", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Imported directly by Liftoff's code (not only through Vapor), so declared here.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/leaf-kit", from: "1.14.3"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
    ],
    targets: [
        .target(name: "LiftoffCore"),
        .target(name: "WallClock", dependencies: ["LiftoffCore"]),
        .target(
            name: "AutotaskAPI",
            dependencies: [
                "LiftoffCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "AutotaskSandbox",
            dependencies: [
                "LiftoffCore",
                "WallClock",
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .target(
            name: "LiftoffServer",
            dependencies: [
                "LiftoffCore",
                "WallClock",
                "AutotaskAPI",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                // The SMTP client (Mail/SMTPClient.swift).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Resources/Views"), .copy("Resources/Public"), .copy("Resources/openapi.json")]
        ),
        .executableTarget(
            name: "liftoff",
            dependencies: [
                "LiftoffCore",
                "WallClock",
                "AutotaskAPI",
                "AutotaskSandbox",
                "LiftoffServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "LiftoffCoreTests",
            dependencies: [
                "LiftoffCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "AutotaskAPITests",
            dependencies: [
                "AutotaskAPI",
                "AutotaskSandbox",
                "LiftoffCore",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LiftoffServerTests",
            dependencies: [
                "LiftoffServer",
                "WallClock",
                "liftoff",
                "LiftoffCore",
                "AutotaskAPI",
                "AutotaskSandbox",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                // A scripted SMTP relay (SMTPClientTests).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LiftoffCLITests",
            dependencies: ["liftoff"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
