// The tenant's organisation records: client companies, resources (the team, a former employee and
// the API user), internal locations with their business hours, holiday sets and the holidays in them.

import LiftoffCore

extension DemoMSP.Tenant {
    func companyRecords() -> [JSONObject] {
        DemoMSP.clients.enumerated().map { index, client in
            [
                "id": .integer(DemoMSP.IDs.firstCompany + Int64(index)),
                "companyName": .string(client.name),
                "companyType": 1,
                "isActive": true,
                "phone": .string(client.phone),
                "city": .string(client.city),
                "userDefinedFields": [],
            ]
        }
    }

    func resourceRecords() -> [JSONObject] {
        var records = technicians.enumerated().map { index, staff in
            resource(id: resourceID(index), staff: staff, isActive: true, resourceType: "Employee")
        }
        let former = technicians.count
        records.append(
            resource(
                id: resourceID(former), staff: DemoMSP.formerEmployee, isActive: false, resourceType: "Employee"))
        let apiUser = DemoMSP.Staff(firstName: "Liftoff", lastName: "API", office: 0, title: "API user")
        var api = resource(id: resourceID(former + 1), staff: apiUser, isActive: true, resourceType: "API")
        // API-only users cannot be assigned tickets, so they have no service-desk role.
        api["defaultServiceDeskRoleID"] = JSONValue.null
        api["userName"] = "liftoff-api@keystone-it.example"
        records.append(api)
        return records
    }

    /// Who works which queue: everyone but the NOC on the Service Desk, the NOC (Pune) on Monitoring
    /// Alerts, and the engineers on Projects Intake — so a booking team by queue is a real subset.
    func resourceRoleQueueRecords() -> [JSONObject] {
        var records: [JSONObject] = []
        for (index, staff) in technicians.enumerated() {
            var queues: [DemoMSP.Queue] = []
            if staff.office != 2 { queues.append(.serviceDesk) }
            if staff.office == 2 { queues.append(.monitoringAlerts) }
            if staff.title.contains("Engineer") && staff.office != 2 { queues.append(.projectsIntake) }
            for queue in queues {
                records.append([
                    "id": .integer(DemoMSP.IDs.firstResourceRoleQueue + Int64(records.count)),
                    "queueID": .integer(queue.rawValue),
                    "resourceID": .integer(resourceID(index)),
                    "roleID": .integer(DemoMSP.IDs.serviceDeskRole),
                    "isActive": true,
                    "userDefinedFields": [],
                ])
            }
        }
        return records
    }

    private func resource(id: Int64, staff: DemoMSP.Staff, isActive: Bool, resourceType: String) -> JSONObject {
        [
            "id": .integer(id),
            "firstName": .string(staff.firstName),
            "lastName": .string(staff.lastName),
            "email": .string(staff.email),
            "emailTypeCode": "PRIMARY",
            "userName": .string(staff.userName),
            "title": .string(staff.title),
            "isActive": .bool(isActive),
            "locationID": .integer(locationID(staff.office)),
            "resourceType": .string(resourceType),
            "licenseType": 1,
            "defaultServiceDeskRoleID": .integer(DemoMSP.IDs.serviceDeskRole),
            "userDefinedFields": [],
        ]
    }

    func internalLocationRecords() -> [JSONObject] {
        DemoMSP.offices.enumerated().map { index, office in
            [
                "id": .integer(locationID(index)),
                "name": .string(office.name),
                "isDefault": .bool(index == 0),
                "holidaySetId": .integer(holidaySetID(index)),
                // Like Autotask, the Microsoft Time Zone Index value as text: "35" for Eastern.
                "timeZone": .string(
                    AutotaskZoneResolver.microsoftIndex(windowsID: office.windowsZone).map {
                        String($0.value)
                    } ?? ""),
                "userDefinedFields": [],
            ]
        }
    }

    /// Business hours are time-of-day values carried in date-times: the date part is the fixed
    /// 2000-01-01 and the time of day is the LOCAL business hour in the location's `timeZoneID`,
    /// written with a `Z` only because the wire format requires one. Autotask does not document
    /// which convention it uses, so the sandbox pins this one and Liftoff's reader follows it.
    func businessHoursRecords() -> [JSONObject] {
        let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
        let allDays = ["sunday"] + weekdays + ["saturday"]
        return DemoMSP.offices.enumerated().map { index, office in
            var record: JSONObject = [
                "id": .integer(locationID(index)),
                "name": .string(office.name),
                "isDefault": .bool(index == 0),
                "city": .string(office.city),
                "holidaySetID": .integer(holidaySetID(index)),
                "timeZoneID": .integer(office.timeZoneID),
                "dateFormat": "MM/dd/yyyy",
                "timeFormat": "hh:mm a",
                "numberFormat": "X,XXX.XX",
                "firstDayOfWeek": 1,
                "holidayHoursType": 0,
                "noHoursOnHolidays": true,
            ]
            for day in allDays {
                let open = weekdays.contains(day)
                record[day + "BusinessHoursStartTime"] = open ? "2000-01-01T08:00:00Z" : JSONValue.null
                record[day + "BusinessHoursEndTime"] = open ? "2000-01-01T17:00:00Z" : JSONValue.null
                record[day + "ExtendedHoursStartTime"] = JSONValue.null
                record[day + "ExtendedHoursEndTime"] = JSONValue.null
            }
            record["holidayHoursStartTime"] = JSONValue.null
            record["holidayHoursEndTime"] = JSONValue.null
            record["holidayExtendedHoursStartTime"] = JSONValue.null
            record["holidayExtendedHoursEndTime"] = JSONValue.null
            record["userDefinedFields"] = []
            return record
        }
    }

    func holidaySetRecords() -> [JSONObject] {
        DemoMSP.offices.enumerated().map { index, office in
            [
                "id": .integer(holidaySetID(index)),
                "holidaySetName": .string(office.holidaySetName),
                "holidaySetDescription": .string(office.holidaySetDescription),
                "userDefinedFields": [],
            ]
        }
    }

    /// Public holidays of every year from the week's start to the year after `now`, plus a company
    /// offsite on this week's Friday in the US set, so the demo always shows a holiday in the week.
    mutating func holidayRecords() -> [JSONObject] {
        let firstYear = DemoMSP.UTC.civil(weekStartDay).year
        let lastYear = DemoMSP.UTC.civil(DemoMSP.UTC.floorDivide(now, DemoMSP.UTC.day)).year + 1
        var records: [JSONObject] = []
        func add(office: Int, day: Int64, name: String) {
            records.append([
                "id": .integer(DemoMSP.IDs.firstHoliday + Int64(records.count)),
                "holidaySetID": .integer(holidaySetID(office)),
                "holidayDate": .string(DemoMSP.UTC.format(day * DemoMSP.UTC.day)),
                "holidayName": .string(name),
                "userDefinedFields": [],
            ])
            holidayDays[office].insert(day)
        }
        for (index, office) in DemoMSP.offices.enumerated() {
            for year in firstYear...lastYear {
                for holiday in DemoMSP.PublicHolidays.dates(office.country, year: year) {
                    add(office: index, day: holiday.day, name: holiday.name)
                }
            }
        }
        add(office: 0, day: weekStartDay + 4, name: "Company offsite")
        return records
    }
}
