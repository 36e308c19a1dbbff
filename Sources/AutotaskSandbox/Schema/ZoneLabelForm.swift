import LiftoffCore

/// Which form the labels of the `timeZoneID` picklist take.
///
/// Autotask does not document the labels of `InternalLocationWithBusinessHours.timeZoneID`, and tenants
/// have shown several forms; the sandbox can serve each, so Liftoff's import is tested against all of them.
/// The raw values are the `liftoff sandbox --zone-labels` spellings.
public enum ZoneLabelForm: String, Sendable, CaseIterable {
    /// The Windows zone id: "Eastern Standard Time".
    case windowsID = "windows-id"
    /// Today's Windows display name: "(UTC-05:00) Eastern Time (US & Canada)".
    case display
    /// The older wording with a GMT prefix: "(GMT-05:00) Eastern Time (US & Canada)", and
    /// "(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London" for GMT Standard Time.
    case gmtDisplay = "gmt-display"
    /// The Microsoft Time Zone Index value as text: "35". Zones newer than Microsoft's index table
    /// (Lord Howe, Chatham Islands) keep their display name, having no index value.
    case index

    /// The label of the Windows zone `windowsID` in this form.
    public func label(windowsID: String) -> String {
        guard let zone = AutotaskZoneResolver.zone(windowsID: windowsID) else { return windowsID }
        switch self {
        case .windowsID:
            return zone.windowsID
        case .display:
            return zone.displayName
        case .gmtDisplay:
            if zone.windowsID == "GMT Standard Time" {
                return "(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London"
            }
            return zone.displayName.replacingOccurrences(of: "(UTC+00:00)", with: "(GMT)")
                .replacingOccurrences(of: "(UTC", with: "(GMT")
        case .index:
            return AutotaskZoneResolver.microsoftIndex(windowsID: zone.windowsID).map { String($0.value) }
                ?? zone.displayName
        }
    }
}
