/// Why a plan document was refused: every problem found, each naming the field and the technician
/// or activity it belongs to, such as
/// `technician 29682885: workSchedule.weekly.mon[1]: shift ends before it starts`.
public struct PlanFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// At most this many problems are listed; a file that breaks more rules is reported in part.
    public static let maximumListed = 20

    public let problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        var lines = problems.prefix(Self.maximumListed).map { $0 }
        if problems.count > Self.maximumListed {
            lines.append("… and \(problems.count - Self.maximumListed) more problems")
        }
        return lines.joined(separator: "\n")
    }
}
