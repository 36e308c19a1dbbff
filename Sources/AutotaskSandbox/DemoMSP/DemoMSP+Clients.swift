extension DemoMSP {
    /// A client company and the details ticket and meeting texts borrow from it.
    struct Client {
        let name: String
        let city: String
        let phone: String
        /// The office whose technicians normally serve it.
        let office: Int
        /// Relative ticket volume.
        let weight: Int
        let contacts: [String]
        let servers: [String]
        let app: String
        let rooms: [String]
    }

    /// Phone numbers are in ranges reserved for fiction (555-01xx, Ofcom's drama ranges).
    static let clients: [Client] = [
        Client(
            name: "Riverside Family Dental", city: "New York", phone: "(212) 555-0142", office: 0, weight: 3,
            contacts: ["Dr. Laura Chen", "Megan Ortiz"], servers: ["DENTRIX01", "FS01"], app: "Dentrix",
            rooms: ["reception", "operatory 2", "the back office"]),
        Client(
            name: "Whitaker & Lowe LLP", city: "New York", phone: "(212) 555-0187", office: 0, weight: 4,
            contacts: ["James Whitaker", "Denise Park"], servers: ["FS01", "DMS01"], app: "iManage",
            rooms: ["reception", "the 14th floor", "conference room B"]),
        Client(
            name: "Harborline Logistics", city: "Newark", phone: "(973) 555-0119", office: 0, weight: 4,
            contacts: ["Frank Russo", "Tanya Williams"], servers: ["WMS01", "FS01"], app: "the WMS",
            rooms: ["dispatch", "the warehouse office", "reception"]),
        Client(
            name: "Greenleaf Veterinary Clinic", city: "Brooklyn", phone: "(718) 555-0163", office: 0, weight: 2,
            contacts: ["Dr. Samuel Reyes", "Kara Nguyen"], servers: ["PMS01"], app: "AVImark",
            rooms: ["reception", "exam room 1", "the pharmacy"]),
        Client(
            name: "Atlas Structural Engineers", city: "Jersey City", phone: "(201) 555-0128", office: 0, weight: 3,
            contacts: ["Peter Novak", "Hannah Brooks"], servers: ["CAD01", "FS01"], app: "AutoCAD",
            rooms: ["the drawing office", "reception", "the plotter room"]),
        Client(
            name: "Maple Street Accounting", city: "Hoboken", phone: "(201) 555-0174", office: 0, weight: 2,
            contacts: ["Linda Farrell", "Ravi Patel"], servers: ["FS01", "QB01"], app: "QuickBooks",
            rooms: ["reception", "the partners' office"]),
        Client(
            name: "Bluebird Montessori School", city: "Queens", phone: "(718) 555-0135", office: 0, weight: 2,
            contacts: ["Angela Rossi", "Derek Hall"], servers: ["FS01"], app: "Brightwheel",
            rooms: ["the main office", "classroom 3", "the staff room"]),
        Client(
            name: "Carver Property Management", city: "Stamford", phone: "(203) 555-0191", office: 0, weight: 2,
            contacts: ["Michael Carver", "Joy Edwards"], servers: ["FS01", "APP01"], app: "AppFolio",
            rooms: ["the leasing office", "reception"]),
        Client(
            name: "Thames Valley Physio", city: "Reading", phone: "0118 496 0231", office: 1, weight: 2,
            contacts: ["Emma Clarke", "Gareth Lloyd"], servers: ["FS01"], app: "Cliniko",
            rooms: ["reception", "treatment room 2"]),
        Client(
            name: "Kingsgate Architects", city: "London", phone: "020 7946 0412", office: 1, weight: 3,
            contacts: ["Harriet Cole", "Marcus Bell"], servers: ["FS01", "RENDER01"], app: "Revit",
            rooms: ["the studio", "reception", "the model shop"]),
        Client(
            name: "Pemberton Estate Agents", city: "Croydon", phone: "020 7946 0558", office: 1, weight: 2,
            contacts: ["Nick Pemberton", "Chloe Adams"], servers: ["FS01"], app: "Reapit",
            rooms: ["the front office", "reception"]),
        Client(
            name: "Northgate Freight Ltd", city: "Felixstowe", phone: "01632 960274", office: 1, weight: 3,
            contacts: ["Ian Walsh", "Rebecca Moore"], servers: ["FS01", "TMS01"], app: "the TMS",
            rooms: ["the transport office", "the gatehouse", "the warehouse office"]),
        Client(
            name: "Oakwood Medical Practice", city: "Guildford", phone: "01632 960815", office: 1, weight: 2,
            contacts: ["Dr. Fiona Grant", "Paula Evans"], servers: ["FS01"], app: "EMIS Web",
            rooms: ["reception", "consulting room 4", "the dispensary"]),
        Client(
            name: "Sahyadri Textiles", city: "Pune", phone: "+91 20 2555 0142", office: 2, weight: 2,
            contacts: ["Vikram Patil", "Anjali Kulkarni"], servers: ["ERP01", "FS01"], app: "Tally ERP",
            rooms: ["the design studio", "the factory office"]),
        Client(
            name: "Deccan Diagnostics", city: "Pune", phone: "+91 20 2555 0178", office: 2, weight: 2,
            contacts: ["Dr. Meera Iyer", "Sanjay Pawar"], servers: ["LIS01", "FS01"], app: "the LIS",
            rooms: ["the sample collection desk", "reception"]),
    ]

    /// Client staff who appear in tickets as new starters, leavers and people needing access.
    static let clientFirstNames = [
        "Jordan", "Emily", "Carlos", "Hannah", "Noah", "Fatima", "Liam", "Grace", "Mateo", "Zoe", "Arjun",
        "Chloe", "Ethan", "Sofia", "Daniel", "Isla",
    ]
    static let clientLastNames = [
        "Reed", "Alvarez", "Morgan", "Singh", "Baker", "Cohen", "Fraser", "Mehta", "Walker", "Lopez", "Hart",
        "Okafor",
    ]
}
