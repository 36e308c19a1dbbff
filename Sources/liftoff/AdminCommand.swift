import ArgumentParser
import Foundation
import LiftoffServer
import Vapor

/// `liftoff admin`: account recovery on the server itself, for when no admin can log in.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Recover accounts from the server's command line.",
        subcommands: [ResetPassword.self]
    )

    /// Sets a user's password and lifts their login locks: the way back when every admin is locked
    /// out or has forgotten theirs. It needs access to the Store, which only the server's operator has.
    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract:
                "Set a user's password (a new random one unless LIFTOFF_NEW_PASSWORD is set), sign out their sessions and lift their login locks."
        )

        @ArgumentParser.Argument(help: "The user name, such as admin.")
        var username: String

        @ArgumentParser.Option(
            help:
                "The Store: postgres://…, sqlite:PATH or a SQLite file path (LIFTOFF_DATABASE_URL; default liftoff.sqlite)."
        )
        var databaseURL: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let location: DatabaseLocation
            do {
                location = try DatabaseLocation(databaseURL ?? environment["LIFTOFF_DATABASE_URL"] ?? "liftoff.sqlite")
            } catch {
                throw ValidationError(error.description)
            }
            let given = environment["LIFTOFF_NEW_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
            let password = given ?? Self.randomPassword()
            let app = try await Application.make(Environment(name: "admin", arguments: ["admin"]))
            app.logger.logLevel = .warning
            do {
                try await app.openStore(location)
                try await app.resetPassword(username: username, to: password)
                try await app.asyncShutdown()
            } catch {
                try? await app.asyncShutdown()
                throw ValidationError("\(error)")
            }
            print("The password of \(username) is set; their sessions are signed out and their login locks lifted.")
            if given == nil { print("New password (shown once): \(password)") }
        }

        /// 18 random letters and digits, about 107 bits.
        static func randomPassword() -> String {
            let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            var generator = SystemRandomNumberGenerator()
            return String((0..<18).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }
}
