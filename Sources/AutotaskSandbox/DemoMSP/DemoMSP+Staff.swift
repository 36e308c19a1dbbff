// The MSP's own people: the base team of twelve technicians, the generated technicians that larger
// teams add, and the former employee old tickets still point at.

extension DemoMSP {
    struct Staff {
        let firstName: String
        let lastName: String
        let office: Int
        let title: String

        var userName: String { (firstName.prefix(1) + lastName).lowercased().filter { $0.isLetter } }
        var email: String {
            "\(firstName.lowercased()).\(lastName.lowercased().filter { $0.isLetter })@keystone-it.example"
        }
    }

    /// The base team of active technicians: five in New York, four in London, three in Pune. The first
    /// of each office is its team lead and approves its time off.
    fileprivate static let baseTechnicians: [Staff] = [
        Staff(firstName: "Maria", lastName: "Gonzalez", office: 0, title: "Service Desk Manager"),
        Staff(firstName: "David", lastName: "Kim", office: 0, title: "Senior Systems Engineer"),
        Staff(firstName: "Aisha", lastName: "Johnson", office: 0, title: "Service Desk Technician"),
        Staff(firstName: "Tom", lastName: "Becker", office: 0, title: "Field Technician"),
        Staff(firstName: "Rachel", lastName: "Goldberg", office: 0, title: "Service Desk Technician"),
        Staff(firstName: "Oliver", lastName: "Hughes", office: 1, title: "Service Desk Team Lead"),
        Staff(firstName: "Priya", lastName: "Shah", office: 1, title: "Systems Engineer"),
        Staff(firstName: "Callum", lastName: "McGregor", office: 1, title: "Service Desk Technician"),
        Staff(firstName: "Sophie", lastName: "Turner", office: 1, title: "Field Technician"),
        Staff(firstName: "Aditya", lastName: "Kulkarni", office: 2, title: "NOC Team Lead"),
        Staff(firstName: "Sneha", lastName: "Deshpande", office: 2, title: "NOC Engineer"),
        Staff(firstName: "Rohan", lastName: "Joshi", office: 2, title: "NOC Engineer"),
    ]

    /// The office of each seat in a team, repeating every twelve seats: the base team's 5 : 4 : 3 split,
    /// interleaved so that a small team still staffs every office and a large one keeps the proportion.
    fileprivate static let officeOfSeat = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 0]

    /// Names of generated technicians: extra technician `k` is `extraFirstNames[k % 16]`
    /// `extraLastNames[k % 33]`. 16 and 33 are coprime, so the first 16 × 33 = 528 pairs all differ (the
    /// Chinese remainder theorem), enough for the 488 extras of the largest team. The initials differ
    /// and no last name is the base team's, so user names and email addresses are unique as well.
    fileprivate static let extraFirstNames = [
        "Ana", "Ben", "Chiara", "Dev", "Elif", "Femi", "Gabriel", "Hamza", "Ines", "Jonas", "Kavya", "Leah",
        "Mei", "Nikhil", "Olga", "Pablo",
    ]
    fileprivate static let extraLastNames = [
        "Andersen", "Brennan", "Castillo", "Dubois", "Fischer", "Haddad", "Lindqvist", "Mensah", "Nakamura",
        "Petrov", "Quinn", "Rao", "Sato", "Almeida", "Bianchi", "Costa", "Eriksen", "Gallagher", "Horvath",
        "Ivanova", "Jensen", "Kowalski", "Lopez", "Moreau", "Novak", "Okafor", "Popescu", "Rossi", "Svensson",
        "Tanaka", "Varga", "Walsh", "Yilmaz",
    ]

    /// Titles of generated technicians per office, taken in turn: the base team's, without the leads'.
    fileprivate static let extraTitles = [
        ["Service Desk Technician", "Systems Engineer", "Field Technician", "Senior Systems Engineer"],
        ["Service Desk Technician", "Systems Engineer", "Field Technician"],
        ["NOC Engineer"],
    ]

    /// A team of `count` technicians (clamped to ``technicianCounts``) in resource-id order, derived from
    /// the count alone. Up to twelve it is the part of the base team that fills the first `count` seats
    /// of ``officeOfSeat``, each office's people in order (so its lead first); larger teams are the whole
    /// base team followed by generated technicians.
    static func technicians(count: Int) -> [Staff] {
        let seats = 0..<min(max(count, technicianCounts.lowerBound), technicianCounts.upperBound)
        var openSeats = offices.map { _ in 0 }
        for seat in seats.prefix(baseTechnicians.count) { openSeats[officeOfSeat[seat]] += 1 }
        var team = baseTechnicians.filter { staff in
            openSeats[staff.office] -= 1
            return openSeats[staff.office] >= 0
        }
        var extrasPerOffice = offices.map { _ in 0 }
        for (extra, seat) in seats.dropFirst(baseTechnicians.count).enumerated() {
            let office = officeOfSeat[seat % officeOfSeat.count]
            let titles = extraTitles[office]
            team.append(
                Staff(
                    firstName: extraFirstNames[extra % extraFirstNames.count],
                    lastName: extraLastNames[extra % extraLastNames.count], office: office,
                    title: titles[extrasPerOffice[office] % titles.count]))
            extrasPerOffice[office] += 1
        }
        return team
    }

    /// Kept as a resource because old tickets and reports still point at people who left.
    static let formerEmployee = Staff(
        firstName: "Brian", lastName: "O'Connell", office: 0, title: "Service Desk Technician")
}
