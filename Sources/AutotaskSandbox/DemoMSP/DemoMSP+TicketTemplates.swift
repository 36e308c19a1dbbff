extension DemoMSP {
    /// A ticket title and description with placeholders: `{company}`, `{contact}`, `{person}`,
    /// `{server}`, `{app}`, `{room}`, `{city}`.
    struct TicketTemplate {
        let title: String
        let description: String
        let queue: Queue
    }

    static let ticketTemplates: [TicketTemplate] = [
        TicketTemplate(
            title: "Outlook keeps asking for password",
            description:
                "{contact} gets an Outlook password prompt every few minutes since this morning. Webmail works.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Replace failing RAID disk on {server}",
            description:
                "RAID controller on {server} predicts failure of disk 3. Drive ordered; needs a maintenance window.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "New starter laptop for {person}",
            description:
                "{contact} asks for a laptop, Microsoft 365 and {app} access for {person}, who starts on Monday.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Printer offline in {room}",
            description:
                "The printer in {room} shows as offline for everyone. {contact} has power-cycled it, no change.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "VPN drops every 10 minutes",
            description:
                "{contact} loses the VPN about every 10 minutes when working from home; reconnecting works.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Disk space low on {server} (C: 7% free)",
            description: "Monitoring alert: volume C: on {server} is below 10% free space.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Backup job failed: {server} nightly",
            description: "The nightly image backup of {server} failed with VSS error 0x8004230f.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "{app} running very slowly",
            description: "Several users at {company} say {app} takes over a minute to open records since yesterday.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Shared mailbox access for {person}",
            description:
                "Give {person} full access and send-as on the accounts@ shared mailbox. Approved by {contact}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "MFA reset for {contact}",
            description: "{contact} has a new phone and can no longer approve sign-in requests.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Wi-Fi keeps dropping in {room}",
            description: "Laptops in {room} lose Wi-Fi several times an hour; the rest of the office is fine.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Phishing email reported by {contact}",
            description:
                "{contact} forwarded a suspicious DocuSign email. Check who clicked it and purge it everywhere.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Offboard leaver: {person}",
            description:
                "{person} leaves on Friday. Disable the account, convert the mailbox to shared and collect the laptop.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Firewall firmware update at {city} office",
            description:
                "The FortiGate at the {city} office is two releases behind. Agree an out-of-hours slot with {contact}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "{server} not responding to ping",
            description: "Monitoring alert: {server} has missed three consecutive heartbeats.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "High CPU on {server}",
            description: "Monitoring alert: CPU above 95% for 20 minutes on {server}.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Windows updates failing on the PC in {room}",
            description: "Cumulative update fails with 0x800f0922 and rolls back on every restart.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Teams calls drop audio",
            description: "{contact} says callers lose audio for a few seconds during most Teams calls.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Can't print to PDF from {app}",
            description: "Print to PDF from {app} produces an empty file for {contact}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Set up scan to email on the {room} copier",
            description: "{contact} would like the copier in {room} to scan straight to email.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "SSL certificate expiring on remote desktop gateway",
            description: "Monitoring alert: the certificate on the {company} RD gateway expires in 14 days.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Migrate file shares from {server} to SharePoint",
            description:
                "{contact} asks to move the shares on {server} to SharePoint and retire the mapped drives.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Password reset for {contact}",
            description: "{contact} is locked out after too many attempts.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Laptop stuck on BitLocker recovery screen",
            description: "{person}'s laptop asks for the BitLocker recovery key after a BIOS update.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Add {person} to {app}",
            description:
                "{contact} asks for a {app} account for {person} with the same rights as the rest of the team.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Replace UPS battery in server cupboard",
            description: "Monitoring alert: the UPS self-test failed; battery at end of life.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Emails to a supplier bouncing",
            description:
                "Mail to one supplier bounces with 550 5.7.1; the supplier says the SPF record is wrong.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "OneDrive not syncing for {contact}",
            description: "OneDrive shows \"processing changes\" for days on {contact}'s laptop.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Quote for five new monitors",
            description: "{contact} asks for a quote for five 27-inch monitors for {room}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Antivirus detected threat on {person}'s PC",
            description:
                "Monitoring alert: Defender quarantined Trojan:Win32/Wacatac on {person}'s PC. Confirm it is clean.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Mapped drives missing after login",
            description: "The S: and P: drives do not appear for {contact} after signing in.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Screen in {room} won't connect",
            description: "The display in {room} does not pick up laptops over HDMI or the wireless dongle.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Set up a guest Wi-Fi network",
            description: "{contact} wants a separate guest Wi-Fi network isolated from the office LAN.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "{app} update needed before Friday",
            description:
                "The vendor requires the latest {app} before Friday's cut-off. Needs a short outage on {server}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Mailbox full for {contact}",
            description: "{contact}'s mailbox is at its 50 GB limit and has stopped receiving mail.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Slow internet at {city} office",
            description: "Speed tests at the {city} office show 20 Mbps on a 500 Mbps line.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Domain controller replication errors on DC01",
            description: "Monitoring alert: DC01 at {company} reports replication error 1722 (RPC server unavailable).",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Desk phone has no dial tone",
            description: "The phone in {room} has no dial tone; other phones work.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Request admin rights to install software",
            description:
                "{person} needs software installed that asks for administrator rights. {contact} has approved it.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Calendar permissions for {person}",
            description: "Give {person} editor access to {contact}'s calendar.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Excel crashes when opening shared workbook",
            description: "Excel closes without a message when {contact} opens the shared budget workbook on {server}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Renew Microsoft 365 licences",
            description:
                "The Microsoft 365 subscription for {company} renews next month; confirm seats with {contact}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Server room temperature alert",
            description: "Monitoring alert: the temperature sensor in the {company} server cupboard reads 31 °C.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Quarterly patching for {server}",
            description: "Apply this quarter's OS and firmware updates to {server} out of hours and reboot.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Remote access for {person}",
            description: "{person} will work from home two days a week; set up VPN and MFA. Approved by {contact}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Fax to email stopped working",
            description: "Faxes to the main number no longer arrive in the shared inbox at {company}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Recover deleted folder from {server}",
            description: "{contact} deleted a client folder on {server} yesterday afternoon and needs it restored.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Second monitor flickering",
            description: "{person}'s second monitor flickers and goes black every few minutes.",
            queue: .serviceDesk),
    ]

    /// Topics of internal and client meetings scheduled through Microsoft FindTime.
    static let findTimeTopics = [
        "Microsoft 365 licence review with {company}",
        "Backup restore test with {company}",
        "Firewall replacement planning",
        "Change advisory board",
        "Service desk retrospective",
        "Vendor call: backup renewal",
        "Security awareness training plan for {company}",
        "Network refresh scoping with {company}",
    ]
}
