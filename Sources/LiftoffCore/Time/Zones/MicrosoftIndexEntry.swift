/// One row of Microsoft's "Microsoft Time Zone Index Values" table.
///
/// Autotask's `InternalLocations.timeZone` "returns the Microsoft Time Zone Index value" ("35" for
/// Eastern). The table names zones by the Windows ids of its day, some of them gone since; ``windowsID``
/// is the current id they map to (the alias map of scripts/generate-time-zones).
public struct MicrosoftIndexEntry: Sendable, Equatable {
    /// The index value: 35, or 2147483712 for 0x80000040.
    public let value: UInt32
    /// The value as Microsoft prints it: "035", or "0x80000040".
    public let text: String
    /// The Windows id as Microsoft lists it, e.g. "Transitional Islamic State of Afghanistan Standard Time".
    public let listedWindowsID: String
    /// The display name as Microsoft lists it, e.g. "(GMT+04:30) Kabul".
    public let listedDisplayName: String
    /// The current Windows id the entry means, a key of ``WindowsZoneTable/zones``.
    public let windowsID: String
}
