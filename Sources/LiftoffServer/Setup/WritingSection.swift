import Fluent
import Foundation

/// The Settings page's *Writing to Autotask* section: the switch, what the preview would write per
/// technician, and who needs attention.
struct WritingSection: Encodable {
    struct Attention: Encodable {
        var id: Int
        var name: String
        var reason: String
    }

    var isOn: Bool
    var preview: PreviewView?
    var madeAt: String?
    var attention: [Attention]
    var pendingTicketUpdates: Int

    static func make(on database: Database) async throws -> WritingSection {
        let preview = try await PreviewView.load(on: database)
        let attention = try await TechnicianRecord.query(on: database).filter(\.$isActive == true)
            .filter(\.$attention != nil).sort(\.$name).all()
        return WritingSection(
            isOn: try await WritingSwitch.mode(on: database) == .on, preview: preview,
            madeAt: preview.map { PreviewLine(timeZone: .gmt).time($0.madeAt) + " UTC" },
            attention: attention.map { Attention(id: $0.resourceID, name: $0.name, reason: $0.attention ?? "") },
            pendingTicketUpdates: try await TicketUpdateRecord.query(on: database)
                .filter(\.$state ~~ ["pending", "sending"]).count())
    }
}
