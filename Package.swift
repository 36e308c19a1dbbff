// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Liftoff",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LiftoffCore", targets: ["LiftoffCore"]),
        .executable(name: "liftoff", targets: ["liftoff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "LiftoffCore"),
        .executableTarget(
            name: "liftoff",
            dependencies: [
                "LiftoffCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "LiftoffCLITests",
            dependencies: ["liftoff"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
