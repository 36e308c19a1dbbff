import Foundation

extension SimulationReport {
    /// The report as a fixed-width table: the modes side by side, a section per day and the total,
    /// for a terminal and for BENCHMARKS.md.
    public var table: String {
        var lines = [
            "Liftoff day simulator: \(technicians) technicians, \(days) working day\(days == 1 ? "" : "s") from "
                + "\(start), seed \(seed)",
            "\(gapMinutes) minutes free between activities; \(tickMinutes)-minute ticks; reflow hourly and "
                + "\(reflowDelayMinutes) minutes after a Workboard action or booking",
            "",
            Self.row("", modes.map(\.mode)),
            "First run (full import, every call written)",
            Self.row("  API requests", modes.map { String($0.setupRequests) }),
            Self.row("  service calls created", modes.map { String($0.setupCallsCreated) }),
        ]
        let dayCount = modes.map(\.days.count).min() ?? 0
        for index in 0..<dayCount {
            lines.append("")
            lines.append(modes[0].days[index].label)
            lines += Self.rows(modes.map { $0.days[index] })
        }
        lines.append("")
        lines.append("Total (\(dayCount) day\(dayCount == 1 ? "" : "s"))")
        lines += Self.rows(modes.map(\.total))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func rows(_ figures: [SimulationFigures]) -> [String] {
        func line(_ label: String, _ value: (SimulationFigures) -> String) -> String {
            row("  " + label, figures.map(value))
        }
        return [
            line("reflow runs (failed)") { "\($0.reflowRuns) (\($0.failedRuns))" },
            line("API requests") { String($0.apiRequests) },
            line("API requests/hour, mean over working hours") { String(format: "%.1f", $0.requestsPerHourMean) },
            line("API requests/hour, peak") { String($0.requestsPerHourPeak) },
            line("writes per technician-hour") { String(format: "%.2f", $0.writesPerTechnicianHour) },
            line("calls moved, old start within 24 h") { String($0.nearTermMoves) },
            line("  of which work begun elsewhere (Start)") { String($0.nearTermMovesOfBegunWork) },
            line("calls moved, any start") { String($0.moves) },
            line("calls removed, old start within 24 h") { String($0.nearTermRemovals) },
            line("stub calls (target 0)") { String($0.stubCalls) },
            line("duplicate calls (target 0)") { String($0.duplicateCalls) },
            line("calls outside business hours (target 0)") { String($0.callsOutsideBusinessHours) },
            line("bookable gap minutes, day ahead at 00:00Z") { String($0.bookableGapMinutes) },
            line("bookings placed / attempts") { "\($0.bookingsPlaced) / \($0.bookingAttempts)" },
            line("meetings cancelled; tickets arrived") { "\($0.cancellations); \($0.ticketsArrived)" },
            line("activities started / worked without Start") {
                "\($0.activitiesStarted) / \($0.activitiesWorkedWithoutStart)"
            },
            line("activities finished / late (due in run)") {
                "\($0.activitiesFinished) / \($0.finishedLate) (\($0.finishedLateDueInRun))"
            },
        ]
    }

    /// A label padded to 46 columns, then each value right-aligned in 16.
    private static func row(_ label: String, _ values: [String]) -> String {
        let padded = label.count < 46 ? label + String(repeating: " ", count: 46 - label.count) : label + " "
        return padded
            + values.map { value in
                String(repeating: " ", count: max(1, 16 - value.count)) + value
            }.joined()
    }
}
