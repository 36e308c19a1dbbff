import Foundation

/// What a technician or dispatcher does to a Next Activity from the Workboard.
enum ActivityAction: String, CaseIterable, Codable, Sendable {
    case accept, decline, start, complete, cancel

    /// Decline and Cancel say why, for the dispatcher and the audit log.
    var needsReason: Bool { self == .decline || self == .cancel }

    var label: String {
        switch self {
        case .accept: return "Accept"
        case .decline: return "Decline"
        case .start: return "Start"
        case .complete: return "Complete"
        case .cancel: return "Cancel"
        }
    }
}
