// Generated from the OpenAPI document by `npm run api:client` (test/api-client.e2e-spec.ts). Do not edit.

export interface paths {
    "/api/v1/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Assignments, most recent first. */
        get: operations["AssignmentsController_list"];
        put?: never;
        /**
         * Hand an in-stock device to an active student.
         * @description 409 device_not_available (deviceStatus says why) or student_withdrawn; 422 device_not_found or student_not_found.
         */
        post: operations["AssignmentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assignments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AssignmentsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assignments/{id}/acknowledgement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the family's acknowledgement of the use agreement (once; 409 assignment_already_acknowledged). */
        post: operations["AssignmentsController_acknowledge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assignments/{id}/acknowledgement/signature": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signature drawn with the acknowledgement, as a PNG (404 signature_not_found when none was drawn). */
        get: operations["AssignmentsController_signature"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assignments/{id}/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take a device back: the assignment ends (returned) and the device goes back in stock with the condition given.
         * @description A damaged or broken device goes in stock with that condition, so it is not counted as a working spare. 409 assignment_ended.
         */
        post: operations["AssignmentsController_return"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assignments/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Distribution day: assign many devices by asset tag and student sourcedId, with a result per line.
         * @description A refused line does not stop the others. Sending the same list again changes nothing (already_assigned).
         */
        post: operations["AssignmentsController_bulkAssign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assignments/bulk-return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Collection day: take many devices back by asset tag, with a result per line.
         * @description A refused line does not stop the others. Sending the same list again changes nothing (already_returned).
         */
        post: operations["AssignmentsController_bulkReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ConnectorsController_list"];
        put?: never;
        post: operations["ConnectorsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ConnectorsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["ConnectorsController_patch"];
        trace?: never;
    };
    "/api/v1/connectors/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ConnectorsController_startRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{id}/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ConnectorsController_getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List devices, or find one by exact assetTag or serialNumber (a barcode scan): a page as JSON, or all as CSV. */
        get: operations["DevicesController_list"];
        put?: never;
        /** Record a Chromebook, hotspot, laptop or other device (status in_stock). */
        post: operations["DevicesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DevicesController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Correct inventory fields. Status changes go through the custody routes. */
        patch: operations["DevicesController_update"];
        trace?: never;
    };
    "/api/v1/devices/{id}/repair-intake": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take a broken or damaged device in for repair: its assignment ends, and optionally the student gets a loaner.
         * @description A device whose status forbids it answers 409 device_in_repair, device_lost, device_stolen or device_retired. 409 no_loaner_available (nothing changes) or device_not_assigned (a loaner needs a student).
         */
        post: operations["DeviceWorkflowsController_repairIntake"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/repair-return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close the repair: the device, now working, goes back in stock or back to its student.
         * @description 409 device_not_in_repair, repair_has_no_student, student_withdrawn.
         */
        post: operations["DeviceWorkflowsController_repairReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/repairs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The device's repairs, open and closed, newest first. */
        get: operations["DeviceWorkflowsController_repairs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/report-loss": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a device lost or stolen: its status changes and its assignment ends.
         * @description A device whose status forbids it answers 409 device_in_repair, device_lost, device_stolen or device_retired.
         */
        post: operations["DeviceWorkflowsController_reportLoss"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/retire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retire a device for good: any assignment ends and it can never be assigned again.
         * @description A device whose status forbids it answers 409 device_in_repair, device_lost, device_stolen or device_retired.
         */
        post: operations["DeviceWorkflowsController_retire"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/districts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DistrictsController_list"];
        put?: never;
        post: operations["DistrictsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/districts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DistrictsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["DistrictsController_update"];
        trace?: never;
    };
    "/api/v1/districts/{id}/identity-provider": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["IdentityProvidersController_get"];
        put: operations["IdentityProvidersController_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/gap-scans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ConnectivityController_listScans"];
        put?: never;
        post: operations["ConnectivityController_requestScan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/gap-scans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ConnectivityController_getScan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/import-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ImportMappingsController_list"];
        put?: never;
        post: operations["ImportMappingsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/import-mappings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ImportMappingsController_get"];
        put?: never;
        post?: never;
        delete: operations["ImportMappingsController_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ImportsController_list"];
        put?: never;
        post: operations["ImportsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ImportsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply the withdrawals a bulk roster stopped for (status needs_confirmation): the students are withdrawn, their open tickets resolved. */
        post: operations["ImportsController_confirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports/{id}/errors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every row error, in file order: a page of JSON, or the whole list as CSV. */
        get: operations["ImportsController_errors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports/{id}/suggestions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ImportsController_suggestions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports/{id}/withdrawals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ImportsController_withdrawals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kit-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["KitTemplatesController_list"];
        put?: never;
        post: operations["KitTemplatesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kit-templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["KitTemplatesController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["KitsController_list"];
        put?: never;
        post: operations["KitsController_issue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kits/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["KitsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kits/{id}/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["KitsController_returnKit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Asset labels as a PDF: the asset tag as Code 128 and QR code, the tag in text, the district and a short line.
         * @description Every device must have an asset tag the template can print, or nothing is printed (422 labels_not_printable naming them). Changes nothing, so Idempotency-Key does not apply: send the request again to retry.
         */
        post: operations["LabelsController_print"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/login-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["LmsLoginEventsController_record"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/collection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Withdrawn students who still hold equipment, with the devices to collect (asset tags, serial numbers). */
        get: operations["ReportsController_collection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/device-health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chromebooks and hotspots that need attention, kits with missing items, and schools short of spares. */
        get: operations["ReportsController_deviceHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/federal-inventory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The federal programme inventory of a funding source (47 CFR 54.1715): one row per loan of each device, and devices never loaned. */
        get: operations["ReportsController_federalInventory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/rollout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Donation-rollout audit of one funding source: delivered, registered, assigned, in use; and reconciliation. */
        get: operations["ReportsController_rollout"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/rollout/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every serial number of one reconciliation list of the rollout report, in (district, serial) order. */
        get: operations["ReportsController_reconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tickets opened and resolved in a window, the open queue, time to resolve, and outreach logged. */
        get: operations["ReportsController_tickets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/tickets/weekly": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tickets per week and type: opened, resolved, median time to resolve, and open at the week’s end with their age. */
        get: operations["ReportsController_ticketWeeks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/weekly-learning-model": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The state's weekly learning model and connectivity collection: per district and grade (and school), with totals. */
        get: operations["ReportsController_weeklyLearningModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/weekly-learning-model/trend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The weekly report for the last `weeks` weeks in one request: per week, remote learners not connected, per district (and school) and the state total. */
        get: operations["ReportsController_weeklyTrend"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scan-lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a scanned code names: students (identifier or sourcedId) and devices (asset tag or serial, with their holder).
         * @description For the distribution station: one round trip per scan. Answers 200 with empty lists when nothing matches; `otherDistrict` then says whether the code is another district's device. A school-scoped caller sees only their schools.
         */
        get: operations["ScanLookupController_find"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["SchoolsController_list"];
        put?: never;
        post: operations["SchoolsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schools/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["SchoolsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["SchoolsController_update"];
        trace?: never;
    };
    "/api/v1/schools/{id}/learning-model-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ConnectivityController_changeLearningModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schools/{id}/remote-readiness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ConnectivityController_remoteReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Students and devices by name, id, email, asset tag, serial number or IMEI, in one round trip (the console’s search box).
         * @description The search text is never logged (access logs carry paths only).
         */
        get: operations["SearchController_find"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["SessionsController_signInWithToken"];
        delete: operations["SessionsController_signOutEverywhere"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["SessionsController_current"];
        put?: never;
        post?: never;
        delete: operations["SessionsController_signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Manifests, newest delivery first. */
        get: operations["ShipmentsController_list"];
        put?: never;
        /** Record a delivery manifest: a funding source, a date, and up to 50,000 serial numbers delivered. */
        post: operations["ShipmentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One manifest with every serial number on it. */
        get: operations["ShipmentsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/spare-pool": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per school: Chromebooks and hotspots in stock, how many work, and whether loaners are running low. */
        get: operations["SparePoolController_sparePool"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StaffController_list"];
        put?: never;
        post: operations["StaffController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/staff/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StaffController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["StaffController_update"];
        trace?: never;
    };
    "/api/v1/status-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The district's asset-system status labels and the status and condition each gives a device. */
        get: operations["StatusMappingsController_list"];
        /** Map a label, creating the district's mapping or replacing it. */
        put: operations["StatusMappingsController_save"];
        /** Map a label the district has not mapped yet (409 if it has; a built-in label may be overridden). */
        post: operations["StatusMappingsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/status-mappings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove the district's mapping: a built-in label means its default again. */
        delete: operations["StatusMappingsController_delete"];
        options?: never;
        head?: never;
        patch: operations["StatusMappingsController_update"];
        trace?: never;
    };
    "/api/v1/students": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Students by district, then family name, given name and id (a state-wide list: one district after another): a page as JSON, or all of them as CSV. */
        get: operations["StudentsController_list"];
        put?: never;
        post: operations["StudentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/students/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StudentsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["StudentsController_update"];
        trace?: never;
    };
    "/api/v1/students/{id}/equipment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the student holds now (devices, kits with missing items) and their assignment history. */
        get: operations["StudentEquipmentController_forStudent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["TicketsController_list"];
        put?: never;
        post: operations["TicketsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tickets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["TicketsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["TicketsController_update"];
        trace?: never;
    };
    "/api/v1/tickets/{id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["TicketsController_comment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tickets/{id}/outreach-attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["TicketsController_addOutreachAttempt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tickets/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Assign or close many tickets at once, with one reason: all of them, or none if any is not yours to change. */
        post: operations["TicketsController_bulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tickets/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The queue's change feed: tickets created or changed since a cursor, for polling without reloading the list. */
        get: operations["TicketsController_changes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tickets/home-visit-sheet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A printable PDF of a school's open outreach tickets: one student a page, with ruled lines for the visit's notes. */
        get: operations["TicketsController_homeVisitSheet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["TokensController_list"];
        put?: never;
        post: operations["TokensController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["TokensController_revoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The token making the request (directly, or through a session it opened).
         * @description Token-only: a staff user's own session has no token and gets 404 no_token_in_session. GET /api/v1/sessions/current says who is calling, for sessions and tokens alike.
         */
        get: operations["TokensController_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcknowledgementDto: {
            /**
             * Format: date-time
             * @description When it was signed; default now. Not in the future.
             */
            signedAt?: string;
            /**
             * @description Who signed: a parent, guardian or the student.
             * @example Maria Lopez
             */
            signerName: string;
        };
        AcknowledgementViewDto: {
            /** @description A signature was drawn with it. */
            signed: boolean;
            /** Format: date-time */
            signedAt: string;
            signerName: string;
        };
        AssignmentDto: {
            acknowledgement: components["schemas"]["AcknowledgementViewDto"] | null;
            /** @description Not yet ended: the student holds the device. */
            active: boolean;
            /** Format: uuid */
            deviceId: string;
            /** Format: uuid */
            districtId: string;
            /** Format: date-time */
            endedAt: string | null;
            /**
             * Format: uuid
             * @description The token that ended it.
             */
            endedBy: string | null;
            /** @enum {string|null} */
            endReason: "returned" | "repair" | "lost" | "stolen" | "retired" | "repair_return" | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description The token that issued it.
             */
            issuedBy: string | null;
            /** @enum {string} */
            kind: "primary" | "loaner";
            /**
             * Format: uuid
             * @description For a loaner: the device in repair it stands in for.
             */
            loanerForDeviceId: string | null;
            /** @enum {string|null} */
            returnedCondition: "working" | "damaged" | "broken" | null;
            returnNote: string | null;
            /** Format: date-time */
            startedAt: string;
            /** Format: uuid */
            studentId: string;
        };
        AssignmentListDto: {
            data: components["schemas"]["AssignmentDto"][];
            nextCursor: string | null;
        };
        AuditEventDto: {
            /** @example update */
            action: string;
            /** @description The token name at the time, the staff user's email, or "system". */
            actor: string;
            /**
             * Format: uuid
             * @description The staff user who made the change in a session, or who owns the token; null otherwise.
             */
            actorStaffUserId: string | null;
            /**
             * Format: uuid
             * @description null for work done by the system.
             */
            actorTokenId: string | null;
            /** @description The record after the change. */
            after: {
                [key: string]: unknown;
            } | null;
            /** @description The record before the change. */
            before: {
                [key: string]: unknown;
            } | null;
            /** Format: uuid */
            districtId: string | null;
            entityId: string;
            /** @description The records a bulk change named, when one event stands for many (students created by an import batch; the devices, or the assignments, issued by one bulk assignment request, with each record in after.lines); null otherwise. */
            entityIds: string[] | null;
            /** @example student */
            entityType: string;
            /**
             * @description Increasing; a later event has a larger id.
             * @example 1042
             */
            id: string;
            /** Format: date-time */
            occurredAt: string;
            requestId: string | null;
        };
        AuditEventPageDto: {
            data: components["schemas"]["AuditEventDto"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        BulkAssignDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token may omit it (its own).
             */
            districtId?: string;
            lines: components["schemas"]["BulkAssignLineDto"][];
        };
        BulkAssignLineDto: {
            acknowledgement?: components["schemas"]["AcknowledgementDto"];
            /** @example CB-004211 */
            assetTag: string;
            /**
             * @description The student's roster sourcedId.
             * @example stu-88412
             */
            studentSourcedId: string;
        };
        BulkLineResultDto: {
            assetTag: string;
            /**
             * Format: uuid
             * @description The assignment made, found, or ended.
             */
            assignmentId?: string;
            /** @description Why a line was rejected: duplicate_line, device_not_found, student_not_found, device_not_available, student_withdrawn, signed_in_future, device_not_assigned. */
            code?: string;
            /** @description 1-based position in `lines`. */
            line: number;
            message?: string;
            /** @enum {string} */
            outcome: "assigned" | "already_assigned" | "returned" | "already_returned" | "rejected";
        };
        BulkResultDto: {
            /** Format: uuid */
            districtId: string;
            /** @description One result per line, in the order sent. */
            results: components["schemas"]["BulkLineResultDto"][];
        };
        BulkReturnDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token may omit it (its own).
             */
            districtId?: string;
            lines: components["schemas"]["BulkReturnLineDto"][];
        };
        BulkReturnLineDto: {
            /** @example CB-004211 */
            assetTag: string;
            /** @enum {string} */
            condition: "working" | "damaged" | "broken";
            note?: string;
        };
        BulkTicketChangeDto: {
            /**
             * @description assign: give them all to `assignee`; close: close them all with one `resolution`.
             * @enum {string}
             */
            action: "assign" | "close";
            /** @description assign (required): who works on them; `me`: the caller; null unassigns. */
            assignee?: string | null;
            /**
             * @description close (required): the one reason, each ticket's resolution.
             * @example duplicate
             */
            resolution?: string;
            /** @description The tickets picked in the queue. */
            ticketIds: string[];
        };
        BulkTicketChangeResultDto: {
            /** @description Tickets changed, each with a history event and an audit row. */
            changed: string[];
            /** @description Tickets already so (assigned to them, or closed): left as they were. */
            unchanged: string[];
        };
        CollectionDeviceDto: {
            assetTag: string | null;
            /** Format: date-time */
            assignedAt: string;
            /** @enum {string} */
            assignmentKind: "primary" | "loaner";
            /** Format: uuid */
            deviceId: string;
            /** @example chromebook */
            kind: string;
            serialNumber: string;
        };
        CollectionItemDto: {
            /** @description What the student still holds: assignments not ended. */
            devices: components["schemas"]["CollectionDeviceDto"][];
            districtCode: string;
            /** Format: uuid */
            districtId: string;
            districtName: string;
            familyName: string;
            givenName: string;
            identifier: string | null;
            schoolCode: string;
            /** Format: uuid */
            schoolId: string;
            schoolName: string;
            sourcedId: string;
            /** Format: uuid */
            studentId: string;
        };
        CollectionListDto: {
            data: components["schemas"]["CollectionItemDto"][];
            nextCursor: string | null;
        };
        CommentDto: {
            body: string;
        };
        ConfirmImportDto: {
            /** @description Why the withdrawals are right (kept in the audit trail). */
            note?: string;
        };
        ConnectorDto: {
            /** Format: date-time */
            createdAt: string;
            /** @description Where the next run starts. */
            cursors: {
                [key: string]: unknown;
            };
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "google-workspace" | "oneroster-rest";
            lastRun: components["schemas"]["ConnectorRunDto"] | null;
            /**
             * Format: date-time
             * @description Null when schedules are off or the connector is stopped.
             */
            nextRunAt: string | null;
            /** @description The cron schedule in force, in the district time zone. */
            schedule: string;
            /** @description Its settings without secrets (the service account is named by its email and key id). */
            settings: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            status: "active" | "stopped";
            /** @description Why it stopped: credential_rejected. */
            stoppedCode: string | null;
            stoppedReason: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        ConnectorListDto: {
            data: components["schemas"]["ConnectorDto"][];
            nextCursor: string | null;
        };
        ConnectorRunAcceptedDto: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "queued";
        };
        ConnectorRunDto: {
            attempts: number;
            /** @description Records created or updated. */
            changed: number;
            /** Format: uuid */
            connectorId: string;
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            /** @enum {string|null} */
            errorCode: "credential_rejected" | "remote_unavailable" | "remote_error" | "import_failed" | "connector_stopped" | "unexpected_error" | null;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** @description Items read from the remote. */
            read: number;
            /** Format: date-time */
            startedAt: string | null;
            stats: {
                [key: string]: number;
            };
            /** @enum {string} */
            status: "queued" | "running" | "completed" | "failed";
            streams: components["schemas"]["StreamProgressDto"][];
            /** @enum {string} */
            trigger: "manual" | "schedule";
        };
        CreateAssignmentDto: {
            acknowledgement?: components["schemas"]["AcknowledgementDto"];
            /**
             * @description The device by asset tag, in any case. Or give deviceId.
             * @example CB-004211
             */
            assetTag?: string;
            /**
             * Format: uuid
             * @description Must be in_stock (or deployed to a holder not yet named). Or give assetTag.
             */
            deviceId?: string;
            /**
             * Format: uuid
             * @description Needed by a state token that names the device by asset tag; a district token may omit it (its own).
             */
            districtId?: string;
            /**
             * @description A loaner leaves the device in status loaner.
             * @default primary
             * @enum {string}
             */
            kind?: "primary" | "loaner";
            /**
             * Format: uuid
             * @description An active student of the same district. Or give studentSourcedId or studentIdentifier.
             */
            studentId?: string;
            /** @description The student by identifier (student number); it must name one student. */
            studentIdentifier?: string;
            /** @description The student by the roster's sourcedId. */
            studentSourcedId?: string;
        };
        CreateConnectorDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token creates in its own district.
             */
            districtId?: string;
            /** @enum {string} */
            kind: "google-workspace" | "oneroster-rest";
            /** @description google-workspace: serviceAccountKey (the JSON key file, as an object or its text; write-only), adminEmail, apiRootUrl (optional), writeBack (off | dry_run | on), schedule (optional cron). oneroster-rest: baseUrl, tokenUrl, clientId, clientSecret (write-only), schedule (optional cron). */
            settings: {
                [key: string]: unknown;
            };
        };
        CreateDeviceDto: {
            /**
             * @description Unique within the district.
             * @example CB-004211
             */
            assetTag?: string | null;
            /**
             * Format: date
             * @description Chromebook only: end of automatic updates.
             */
            autoUpdateThrough?: string | null;
            /**
             * @description Hotspot only.
             * @example Kajeet
             */
            carrier?: string | null;
            /**
             * @default working
             * @enum {string}
             */
            condition?: "working" | "damaged" | "broken";
            /**
             * Format: uuid
             * @description Required for a state token; a district token may omit it (its own).
             */
            districtId?: string;
            /**
             * Format: date
             * @description When the district plans to replace it.
             */
            endOfLife?: string | null;
            /**
             * @description Who paid for it, e.g. a grant or donation programme.
             * @example Everybody Learns
             */
            fundingSource?: string | null;
            /** @description Chromebook only: Google Admin deviceId. */
            googleDeviceId?: string | null;
            /**
             * @description Chromebook only: status in Google Admin.
             * @enum {string|null}
             */
            googleStatus?: "ACTIVE" | "DISABLED" | "DEPROVISIONED" | "PRE_PROVISIONED" | "INACTIVE" | "DELINQUENT" | "RETURN_ARRIVED" | "RETURN_REQUESTED" | "SHIPPED" | "UNKNOWN" | null;
            /**
             * @description Hotspot only: SIM ICCID ("UICC"), unique within the district.
             * @example 8901260882295620453
             */
            iccid?: string | null;
            /**
             * @description Hotspot only: 15-digit IMEI, unique within the district.
             * @example 356938035643809
             */
            imei?: string | null;
            /** @enum {string} */
            kind: "chromebook" | "hotspot" | "laptop" | "other";
            /**
             * Format: date-time
             * @description Chromebook only: last policy sync with Google.
             */
            lastSyncAt?: string | null;
            /**
             * Format: date-time
             * @description Hotspot only: last day the carrier saw data use.
             */
            lastUsageAt?: string | null;
            /**
             * @description Hotspot only.
             * @enum {string|null}
             */
            lineStatus?: "active" | "suspended" | "deactivated" | null;
            /** @example Lenovo */
            manufacturer?: string | null;
            /** @example Lenovo 100e Chromebook Gen 3 */
            model?: string | null;
            /** @description Hotspot only. */
            monthlyCapMb?: number | null;
            /** @description Hotspot only. */
            monthlyUsedMb?: number | null;
            notes?: string | null;
            /** @description The purchase order or order number. */
            orderNumber?: string | null;
            /**
             * @description Chromebook only.
             * @example 128.0.6613.137
             */
            osVersion?: string | null;
            /** @description Hotspot only: the line number (MDN). */
            phoneNumber?: string | null;
            /**
             * @description What the device cost, in the district currency.
             * @example 349
             */
            purchaseCost?: number | null;
            /** Format: date */
            purchaseDate?: string | null;
            /**
             * Format: uuid
             * @description The school whose pool holds the device; null for a district store.
             */
            schoolId?: string | null;
            /**
             * @description Unique within the district.
             * @example PF2KX9QZ
             */
            serialNumber: string;
            /** @example CDW-G */
            supplier?: string | null;
            /**
             * Format: date
             * @description Last day of the warranty.
             */
            warrantyEnd?: string | null;
        };
        CreateDistrictDto: {
            /**
             * @description Days without school; replaces the whole list.
             * @example [
             *       "2020-11-26",
             *       "2020-11-27"
             *     ]
             */
            closureDates?: string[];
            /**
             * @description Unique across the state; cannot be changed.
             * @example NHPS
             */
            code: string;
            /** @description School days without a login before a student counts as disconnected. */
            gapThresholdDays?: number;
            /** @description Days without data usage before a hotspot counts as idle. */
            hotspotIdleDays?: number;
            /**
             * @description School years of login events kept, the current one included (2: the current and the previous). A school year begins on the anniversary of schoolYearStart (1 July when unset). Older events are removed by the daily retention job.
             * @default 2
             */
            loginRetentionYears?: number;
            /** @example New Haven Public Schools */
            name: string;
            /**
             * @description A bulk roster (OneRoster zip) that would withdraw more than this percentage of the active students stops in needs_confirmation, withdrawing no one until an admin confirms (POST /imports/{id}/confirm). 0: every withdrawal waits.
             * @default 5
             */
            rosterWithdrawalLimitPercent?: number;
            /**
             * Format: date
             * @description The current school year's last day, after schoolYearStart. After it nobody is in a gap: the next scan closes open gaps (resolution school_year_ended) and resolves their outreach tickets.
             * @example 2021-06-18
             */
            schoolYearEnd?: string | null;
            /**
             * Format: date
             * @description The current school year's first day. Set with schoolYearEnd (both or neither; null clears both). A gap counts school days from the later of this day and the student's enrolledOn; before it nobody is in a gap. Unset: no school-year bound.
             * @example 2020-08-31
             */
            schoolYearStart?: string | null;
            /** @description Spare in_stock devices each school should keep. */
            sparePoolMinimum?: number;
            /** @description Days without a Google sync before a Chromebook counts as unused. */
            syncStaleDays?: number;
            /**
             * @description An IANA time zone; school days are counted in it.
             * @example America/New_York
             */
            timeZone?: string;
        };
        CreatedTokenDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string | null;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            role: "state_admin" | "district_admin" | "tech" | "helpdesk" | "attendance" | "auditor";
            /** @description The bearer secret. Shown only in this response; store it now. */
            secret: string;
            /**
             * Format: uuid
             * @description The staff user who owns the token.
             */
            staffUserId: string | null;
        };
        CreateImportMappingDto: {
            /**
             * @description Our field -> the district's header. Fields of hotspot-usage: imei, iccid, phoneNumber, lineStatus, capMb, capGb, plan, usedMb, usedGb, usedKb (the unit of a bare number), lastUsageAt. A file whose header has every mapped header is read through the mapping (of several, the one naming the most columns).
             * @example {
             *       "imei": "Handset",
             *       "phoneNumber": "Line",
             *       "usedGb": "GB this cycle",
             *       "lineStatus": "State"
             *     }
             */
            columns: {
                [key: string]: string;
            };
            /**
             * Format: uuid
             * @description Required for a state token; a district token maps for its own district.
             */
            districtId?: string;
            /** @enum {string} */
            kind: "student-attributes" | "devices" | "chromeos-devices" | "hotspot-usage" | "login-events" | "shipment-manifest";
            /** @example Carrier portal (district export) */
            name: string;
        };
        CreateKitDto: {
            /** Format: uuid */
            studentId: string;
            /**
             * Format: uuid
             * @description A kit template of the student's district; its items are copied into the kit.
             */
            templateId: string;
        };
        CreateKitTemplateDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token creates in its own district.
             */
            districtId?: string;
            /** @description Each item once. */
            items: components["schemas"]["KitItemDto"][];
            /**
             * @description Unique within the district.
             * @example Grade 3 home kit
             */
            name: string;
        };
        CreateOutreachAttemptDto: {
            /**
             * Format: date-time
             * @description Default: now.
             */
            attemptedAt?: string;
            /** @enum {string} */
            channel: "call" | "email" | "text" | "home_visit";
            note?: string;
            /** @enum {string} */
            outcome: "reached" | "no_answer" | "left_message" | "wrong_contact" | "visited" | "not_home" | "other";
        };
        CreateSchoolDto: {
            /**
             * @description Unique within the district.
             * @example LB-410
             */
            code: string;
            /**
             * Format: uuid
             * @description Required for a state token; a district token creates in its own district.
             */
            districtId?: string;
            /** @example Lincoln-Bassett School */
            name: string;
            /** @description The OneRoster org sourcedId, unique within the district. */
            sourcedId?: string | null;
        };
        CreateShipmentDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token may omit it (its own).
             */
            districtId?: string;
            /**
             * @description The funding source or donation programme, as recorded on the devices.
             * @example Everybody Learns
             */
            fundingSource: string;
            /**
             * @description The delivery note or order number; unique in the district, so the same manifest cannot be recorded twice.
             * @example PO-2020-0142
             */
            reference?: string;
            /**
             * @description The serial numbers delivered, each once, as printed on the devices (matched exactly). Errors name the index.
             * @example [
             *       "PF2KX9QZ",
             *       "PF2KX9R0"
             *     ]
             */
            serialNumbers: string[];
            /**
             * Format: date
             * @description The day the delivery arrived.
             * @example 2020-09-14
             */
            shippedOn: string;
        };
        CreateStaffUserDto: {
            /**
             * Format: uuid
             * @description Required for every role but state_admin; a district admin may omit it (their own).
             */
            districtId?: string;
            /**
             * Format: email
             * @description The address their identity provider vouches for; unique, any case.
             */
            email: string;
            /** @example Dana Whitfield */
            name: string;
            /**
             * @description A district admin may give any role but state_admin.
             * @enum {string}
             */
            role: "state_admin" | "district_admin" | "tech" | "helpdesk" | "attendance" | "auditor";
            /** @description Confines the person to these schools of the district (a school technician): they see and change only those schools' students and devices. Absent or null: the whole district. */
            schoolIds?: string[] | null;
        };
        CreateStudentDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token creates in its own district.
             */
            districtId?: string;
            /** Format: email */
            email?: string | null;
            /**
             * Format: date
             * @description The day the student is expected from (the roster's enrolment begin date). Default: today where the district is, and again today when a withdrawn student becomes active. Gaps count school days from the later of this and schoolYearStart.
             * @example 2021-01-11
             */
            enrolledOn?: string;
            /**
             * @default active
             * @enum {string}
             */
            enrollmentStatus?: "active" | "withdrawn";
            familyName: string;
            givenName: string;
            /**
             * @description As the roster spells it (KG, 01 ... 12).
             * @example 07
             */
            grade?: string | null;
            /**
             * @default unknown
             * @enum {string}
             */
            homeInternet?: "yes" | "no" | "unknown";
            /** @description The state or SIS student number. */
            identifier?: string | null;
            /**
             * @default in_person
             * @enum {string}
             */
            learningModel?: "in_person" | "hybrid" | "remote";
            /**
             * Format: uuid
             * @description A school of the same district.
             */
            schoolId: string;
            /** @description The roster (OneRoster) key, unique within the district. */
            sourcedId: string;
        };
        CreateTicketDto: {
            /** Format: uuid */
            deviceId?: string;
            /** Format: uuid */
            districtId?: string;
            note?: string;
            reasons?: string[];
            /** Format: uuid */
            studentId?: string;
            /**
             * @description repair: a walk-in broken device; needs deviceId.
             * @enum {string}
             */
            type: "replacement" | "connectivity" | "outreach" | "repair";
        };
        CreateTokenDto: {
            /**
             * Format: uuid
             * @description Required for every role but state_admin; a district admin may omit it (their own).
             */
            districtId?: string;
            /** @example Help desk, Lincoln High */
            name: string;
            /** @enum {string} */
            role: "state_admin" | "district_admin" | "tech" | "helpdesk" | "attendance" | "auditor";
            /**
             * Format: uuid
             * @description A staff user of the token's district who owns it: the token stops working when they are disabled, and takes their school scope.
             */
            staffUserId?: string;
        };
        CurrentSessionDto: {
            /** Format: uuid */
            districtId: string | null;
            /** @enum {string} */
            role: "state_admin" | "district_admin" | "tech" | "helpdesk" | "attendance" | "auditor";
            /** @description The schools the caller is confined to; null: the whole district. */
            schoolIds: string[] | null;
            /** @description The staff user signed in, or who owns the token. */
            staffUser: components["schemas"]["StaffUserDto"] | null;
            /** @description The token used, directly or to sign in. */
            token: components["schemas"]["SessionTokenDto"] | null;
            /**
             * @description How the request was authenticated.
             * @enum {string}
             */
            via: "session" | "bearer";
        };
        DeviceDto: {
            assetTag: string | null;
            /** Format: date */
            autoUpdateThrough: string | null;
            carrier: string | null;
            /** @enum {string} */
            condition: "working" | "damaged" | "broken";
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            /** Format: date */
            endOfLife: string | null;
            fundingSource: string | null;
            googleDeviceId: string | null;
            googleStatus: string | null;
            /** @description The active assignment: who holds the device now. */
            holder: components["schemas"]["DeviceHolderDto"] | null;
            /** @description Deployed according to an asset-system import that named no known student: status assigned without a holder. It is no spare; assigning it (or PATCH status in_stock) settles it. */
            holderUnknown: boolean;
            iccid: string | null;
            /** Format: uuid */
            id: string;
            imei: string | null;
            /** @enum {string} */
            kind: "chromebook" | "hotspot" | "laptop" | "other";
            /** Format: date-time */
            lastSyncAt: string | null;
            /** Format: date-time */
            lastUsageAt: string | null;
            /** @enum {string|null} */
            lineStatus: "active" | "suspended" | "deactivated" | null;
            manufacturer: string | null;
            model: string | null;
            monthlyCapMb: number | null;
            monthlyUsedMb: number | null;
            notes: string | null;
            orderNumber: string | null;
            osVersion: string | null;
            phoneNumber: string | null;
            purchaseCost: number | null;
            /** Format: date */
            purchaseDate: string | null;
            /** Format: date-time */
            retiredAt: string | null;
            /** Format: uuid */
            schoolId: string | null;
            serialNumber: string;
            /** @enum {string} */
            status: "in_stock" | "assigned" | "loaner" | "in_repair" | "lost" | "stolen" | "retired";
            supplier: string | null;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date */
            warrantyEnd: string | null;
        };
        DeviceHealthDistrictDto: {
            /** @description In circulation, auto-update date passed or within 90 days. */
            chromebooksAutoUpdateEnding: components["schemas"]["HealthDeviceListDto"];
            /** @description Held by a student but DISABLED or DEPROVISIONED in Google Admin. */
            chromebooksDisabledWhileAssigned: components["schemas"]["HealthDeviceListDto"];
            /** @description In circulation (not retired, lost or stolen), last sync known and older than syncStaleDays. */
            chromebooksNotSyncing: components["schemas"]["HealthDeviceListDto"];
            /** Format: uuid */
            districtId: string;
            districtName: string;
            /** @description An assigned hotspot counts as idle after this many days without use. */
            hotspotIdleDays: number;
            /** @description Held by a student, last use known and older than hotspotIdleDays. */
            hotspotsIdle: components["schemas"]["HealthDeviceListDto"];
            /** @description Held by a student, monthly use at or over a non-zero cap. */
            hotspotsOverCap: components["schemas"]["HealthDeviceListDto"];
            /** @description Held by a student, line suspended or deactivated. */
            hotspotsSuspended: components["schemas"]["HealthDeviceListDto"];
            /** @description Kits returned with items missing. */
            kitsMissingItems: components["schemas"]["HealthKitListDto"];
            sparePoolBelowMinimum: components["schemas"]["SpareShortfallListDto"];
            /** @description Schools with fewer working spare Chromebooks than this are listed. */
            sparePoolMinimum: number;
            /** @description A Chromebook counts as not syncing after this many days. */
            syncStaleDays: number;
        };
        DeviceHealthReportDto: {
            districts: components["schemas"]["DeviceHealthDistrictDto"][];
            /** Format: date-time */
            generatedAt: string;
            /** @description The most entries any list holds; compare with its count. */
            listLimit: number;
        };
        DeviceHitDto: {
            assetTag: string | null;
            /** Format: uuid */
            districtId: string;
            /** @description The text is this device’s asset tag, serial number or IMEI exactly (a scanned label). */
            exact: boolean;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "chromebook" | "hotspot" | "laptop" | "other";
            model: string | null;
            /** Format: uuid */
            schoolId: string | null;
            serialNumber: string;
            /** @enum {string} */
            status: "in_stock" | "assigned" | "loaner" | "in_repair" | "lost" | "stolen" | "retired";
        };
        DeviceHolderDto: {
            /** Format: uuid */
            assignmentId: string;
            /** @enum {string} */
            kind: "primary" | "loaner";
            /** Format: date-time */
            since: string;
            /** Format: uuid */
            studentId: string;
        };
        DeviceListDto: {
            data: components["schemas"]["DeviceDto"][];
            nextCursor: string | null;
        };
        DeviceLossDto: {
            /** Format: uuid */
            deviceId: string;
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "lost" | "stolen";
            policeReportNumber: string | null;
            /** Format: date-time */
            reportedAt: string;
            /**
             * Format: uuid
             * @description Who held the device.
             */
            studentId: string | null;
        };
        DistrictDto: {
            closureDates: string[];
            code: string;
            /** Format: date-time */
            createdAt: string;
            gapThresholdDays: number;
            hotspotIdleDays: number;
            /** Format: uuid */
            id: string;
            /** @description School years of login events kept, the current one included. */
            loginRetentionYears: number;
            name: string;
            /** @description Percent of the active students a bulk roster may withdraw without an admin confirming. */
            rosterWithdrawalLimitPercent: number;
            /**
             * Format: date
             * @description The school year's last day; null: no bound.
             */
            schoolYearEnd: string | null;
            /**
             * Format: date
             * @description The school year's first day; null: no bound.
             */
            schoolYearStart: string | null;
            sparePoolMinimum: number;
            syncStaleDays: number;
            /** @example America/New_York */
            timeZone: string;
            /** Format: date-time */
            updatedAt: string;
        };
        DistrictPageDto: {
            data: components["schemas"]["DistrictDto"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        EquipmentStudentDto: {
            /** Format: uuid */
            districtId: string;
            /** @enum {string} */
            enrollmentStatus: "active" | "withdrawn";
            familyName: string;
            givenName: string;
            grade: string | null;
            /** Format: uuid */
            id: string;
            identifier: string | null;
            /**
             * Format: date-time
             * @description Last successful login from any source.
             */
            lastLoginAt: string | null;
            /** Format: uuid */
            schoolId: string;
            sourcedId: string;
        };
        FamilyContactDto: {
            email: string | null;
            familyName: string;
            givenName: string;
            phone: string | null;
            /** @enum {string} */
            relation: "parent" | "guardian" | "relative";
            /** @description A number for text messages. */
            sms: string | null;
            sourcedId: string;
        };
        FamilyContactsDto: {
            /** @description The guardians the roster links to the student; empty when it has none. */
            guardians: components["schemas"]["FamilyContactDto"][];
            /** @description The family's home language; null: not known. */
            homeLanguage: string | null;
        };
        FederalInventoryListDto: {
            data: components["schemas"]["FederalInventoryRowDto"][];
            fundingSource: string;
            nextCursor: string | null;
        };
        FederalInventoryRowDto: {
            assetTag: string | null;
            /** Format: uuid */
            assignmentId: string | null;
            /** @enum {string|null} */
            assignmentKind: "primary" | "loaner" | null;
            /** @description Hotspots: the carrier. */
            carrier: string | null;
            /** Format: uuid */
            deviceId: string;
            /** @enum {string} */
            deviceKind: "chromebook" | "hotspot" | "laptop" | "other";
            /**
             * Format: date
             * @description The latest loss or theft reported for the device.
             */
            deviceLossReportedOn: string | null;
            /** @description The device's status now. */
            deviceStatus: string;
            /**
             * @description The FCC's device type (a Chromebook is a laptop); deviceKind is Reconnect's.
             * @enum {string}
             */
            deviceType: "laptop" | "mobile hotspot" | "other";
            districtCode: string;
            /** Format: uuid */
            districtId: string;
            districtName: string;
            /** @description Why the loan ended, as custody recorded it. */
            endReason: string | null;
            /** @enum {string|null} */
            incident: "lost" | "stolen" | "damaged" | null;
            /**
             * Format: date
             * @description The day the school learned it was lost, stolen or damaged.
             */
            incidentOn: string | null;
            /** @description Hotspots: the line's number. */
            lineNumber: string | null;
            /**
             * Format: date
             * @description Loaned out (district's time zone).
             */
            loanedOn: string | null;
            /** @description The loan's number for this device, in the order loans started (1 is the first); 0 when never loaned. */
            loanNumber: number;
            /** @description The first manifest of the funding source listing the serial number. */
            manifestReference: string | null;
            /** @description Make. */
            manufacturer: string | null;
            model: string | null;
            /** @description Hotspots: the monthly data cap, MB. */
            monthlyCapMb: number | null;
            /** @description The device was never loaned to anyone: the one row of such a device. */
            neverLoaned: boolean;
            /** @description The full name of the person it was provided to (for a hotspot: served). */
            providedTo: string | null;
            /** @description The funding source recorded on the device (null: none recorded). */
            recordedFundingSource: string | null;
            /**
             * Format: date
             * @description Returned; null while held, and for a loss or theft.
             */
            returnedOn: string | null;
            schoolCode: string | null;
            /**
             * Format: uuid
             * @description The device's school (null: a district store).
             */
            schoolId: string | null;
            schoolName: string | null;
            serialNumber: string;
            /** @description Hotspots: the line's plan, as the carrier's export names it. */
            servicePlan: string | null;
            /** Format: date */
            shippedOn: string | null;
            /** Format: uuid */
            studentId: string | null;
            studentIdentifier: string | null;
            /** Format: uuid */
            studentSchoolId: string | null;
            studentSourcedId: string | null;
        };
        GapScanAcceptedDto: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "queued";
        };
        GapScanDto: {
            /** Format: date */
            asOf: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string | null;
            error: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            gapsClosed: number;
            gapsOpened: number;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            startedAt: string | null;
            /** @enum {string} */
            status: "queued" | "running" | "completed" | "failed";
            studentsScanned: number;
            ticketsOpened: number;
            /** @description Outreach tickets resolved because the student reconnected. */
            ticketsResolved: number;
            ticketsUpdated: number;
            /** @enum {string} */
            trigger: "manual" | "schedule" | "import";
        };
        GapScanListDto: {
            data: components["schemas"]["GapScanDto"][];
            nextCursor: string | null;
        };
        GuardianDto: {
            email: string | null;
            familyName: string;
            givenName: string;
            phone: string | null;
            /**
             * @description The OneRoster role: parent, guardian or relative.
             * @enum {string}
             */
            relation: "parent" | "guardian" | "relative";
            /** @description A number for text messages. */
            sms: string | null;
            /** @description The guardian's OneRoster sourcedId. */
            sourcedId: string;
        };
        HealthDeviceDto: {
            assetTag: string | null;
            /** Format: date */
            autoUpdateThrough: string | null;
            /** Format: uuid */
            deviceId: string;
            googleStatus: string | null;
            /** Format: date-time */
            lastSyncAt: string | null;
            /** Format: date-time */
            lastUsageAt: string | null;
            lineStatus: string | null;
            monthlyCapMb: number | null;
            monthlyUsedMb: number | null;
            /** Format: uuid */
            schoolId: string | null;
            serialNumber: string;
            status: string;
            /**
             * Format: uuid
             * @description The student holding it.
             */
            studentId: string | null;
        };
        HealthDeviceListDto: {
            /** @description All matching devices; `items` holds at most listLimit of them. */
            count: number;
            items: components["schemas"]["HealthDeviceDto"][];
        };
        HealthKitDto: {
            /** Format: date-time */
            issuedAt: string;
            /** Format: uuid */
            kitId: string;
            missingItems: components["schemas"]["KitItemDto"][];
            /** Format: date-time */
            returnedAt: string | null;
            /**
             * Format: uuid
             * @description The student's school.
             */
            schoolId: string | null;
            /** Format: uuid */
            studentId: string;
        };
        HealthKitListDto: {
            count: number;
            items: components["schemas"]["HealthKitDto"][];
        };
        HeldDeviceDto: {
            acknowledgement: components["schemas"]["AcknowledgementViewDto"] | null;
            assetTag: string | null;
            /** Format: uuid */
            assignmentId: string;
            /** @enum {string} */
            assignmentKind: "primary" | "loaner";
            /** @enum {string} */
            condition: "working" | "damaged" | "broken";
            /** Format: uuid */
            deviceId: string;
            /** @enum {string} */
            kind: "chromebook" | "hotspot" | "laptop" | "other";
            /**
             * Format: uuid
             * @description For a loaner: the device in repair it stands in for.
             */
            loanerForDeviceId: string | null;
            model: string | null;
            serialNumber: string;
            /** Format: date-time */
            since: string;
            /** @enum {string} */
            status: "in_stock" | "assigned" | "loaner" | "in_repair" | "lost" | "stolen" | "retired";
        };
        HeldKitDto: {
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            issuedAt: string;
            /** @description As issued. */
            items: components["schemas"]["KitItemDto"][];
            /** @description What did not come back (empty while the kit is out). */
            missingItems: components["schemas"]["KitItemDto"][];
            /**
             * Format: date-time
             * @description Set for a returned kit that came back short.
             */
            returnedAt: string | null;
            /** Format: uuid */
            templateId: string;
            templateName: string;
        };
        HistoryEntryDto: {
            acknowledgement: components["schemas"]["AcknowledgementViewDto"] | null;
            /** @description Not yet ended: the student holds the device. */
            active: boolean;
            assetTag: string | null;
            /** Format: uuid */
            deviceId: string;
            /** @enum {string} */
            deviceKind: "chromebook" | "hotspot" | "laptop" | "other";
            /** Format: uuid */
            districtId: string;
            /** Format: date-time */
            endedAt: string | null;
            /**
             * Format: uuid
             * @description The token that ended it.
             */
            endedBy: string | null;
            /** @enum {string|null} */
            endReason: "returned" | "repair" | "lost" | "stolen" | "retired" | "repair_return" | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description The token that issued it.
             */
            issuedBy: string | null;
            /** @enum {string} */
            kind: "primary" | "loaner";
            /**
             * Format: uuid
             * @description For a loaner: the device in repair it stands in for.
             */
            loanerForDeviceId: string | null;
            /** @enum {string|null} */
            returnedCondition: "working" | "damaged" | "broken" | null;
            returnNote: string | null;
            /** Format: date-time */
            startedAt: string;
            /** Format: uuid */
            studentId: string;
        };
        IdentityProviderDto: {
            allowedDomains: string[];
            clientId: string;
            /** Format: uuid */
            districtId: string;
            issuer: string;
            /** @description Register this redirect URI with the provider. */
            redirectUri: string;
            /** Format: date-time */
            updatedAt: string;
        };
        ImportAcceptedDto: {
            /** Format: uuid */
            id: string;
            /**
             * @example queued
             * @enum {string}
             */
            status: "queued" | "running" | "needs_confirmation" | "completed" | "failed";
        };
        ImportCountsDto: {
            created: number;
            /** @description Records skipped for an error; each has row errors. */
            failed: number;
            /** @description Records read (rows, or JSON items). */
            rows: number;
            /** @description Records that are not for us, e.g. OneRoster teachers or non-school orgs, logins of staff (stats.notStudents). */
            skipped: number;
            /** @description Records that matched what is stored already (and repeated login events). */
            unchanged: number;
            updated: number;
        };
        ImportDto: {
            counts: components["schemas"]["ImportCountsDto"];
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            /** @description A dry run: the counts say what the import would do; nothing was written. */
            dryRun: boolean;
            /** @description The first page of row errors; all of them through GET /imports/{id}/errors. */
            errors: components["schemas"]["ImportErrorPageDto"];
            /** @description Row errors beyond the first 10,000, counted but not listed. */
            errorsOmitted: number;
            /** @description Why a failed import failed (or why an attempt is being retried). */
            errorSummary: string | null;
            fileName: string;
            /** @description Bytes. */
            fileSize: number;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** @description Columns of the file that this kind does not use. */
            ignoredColumns: string[];
            /** @enum {string} */
            kind: "oneroster" | "student-attributes" | "devices" | "chromeos-devices" | "hotspot-usage" | "login-events" | "shipment-manifest";
            /** @enum {string} */
            origin: "upload" | "cli" | "connector";
            /** @description Share of the file read and applied. */
            progress: number;
            /**
             * Format: uuid
             * @description The token that uploaded it; null from the command line.
             */
            requestedBy: string | null;
            /** Format: date-time */
            startedAt: string | null;
            /** @description Counters of the kind: withdrawn, ticketsResolved (their open tickets) and withdrawalsPending (awaiting confirmation) (bulk roster), devicesCreated, suggestions and retired (chromeos-devices: deprovisioned or returned Chromebooks retired), holdersAssigned and holderSuggestions (devices), notStudents (login-events: skipped logins of accounts that are not students of the district, e.g. staff) and duplicates, manifestsCreated (shipment-manifest). */
            stats: {
                [key: string]: number;
            };
            /**
             * @description needs_confirmation: a bulk roster that would withdraw more than the district's rosterWithdrawalLimitPercent of its active students; the rest of the roster is applied, the withdrawals wait for POST /imports/{id}/confirm.
             * @enum {string}
             */
            status: "queued" | "running" | "needs_confirmation" | "completed" | "failed";
            /** @description What the check of the file found harmless, found at upload: unknown, extension (ext_*, metadata.*) and unused columns. */
            warnings: components["schemas"]["ImportWarningDto"][];
        };
        ImportErrorDto: {
            /** @description The field, or the column of a header problem. */
            field: string | null;
            /** @description For cursors: this error's position in the list. */
            id: string;
            /** @description The position of the item (1 for the first), for JSON input; null for CSV. */
            item: number | null;
            /** @description The line the record starts on, for CSV input; null for JSON. */
            line: number | null;
            message: string;
            /** @description The file inside a zip, e.g. users.csv. */
            part: string | null;
        };
        ImportErrorPageDto: {
            data: components["schemas"]["ImportErrorDto"][];
            /** @description Pass as cursor to GET /imports/{id}/errors for the next page. */
            nextCursor: string | null;
        };
        ImportListDto: {
            data: components["schemas"]["ImportSummaryDto"][];
            nextCursor: string | null;
        };
        ImportMappingDto: {
            columns: {
                [key: string]: string;
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "student-attributes" | "devices" | "chromeos-devices" | "hotspot-usage" | "login-events" | "shipment-manifest";
            name: string;
            /** Format: date-time */
            updatedAt: string;
        };
        ImportMappingPageDto: {
            data: components["schemas"]["ImportMappingDto"][];
            nextCursor: string | null;
        };
        ImportSummaryDto: {
            counts: components["schemas"]["ImportCountsDto"];
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            /** @description A dry run: the counts say what the import would do; nothing was written. */
            dryRun: boolean;
            /** @description Row errors beyond the first 10,000, counted but not listed. */
            errorsOmitted: number;
            /** @description Why a failed import failed (or why an attempt is being retried). */
            errorSummary: string | null;
            fileName: string;
            /** @description Bytes. */
            fileSize: number;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** @description Columns of the file that this kind does not use. */
            ignoredColumns: string[];
            /** @enum {string} */
            kind: "oneroster" | "student-attributes" | "devices" | "chromeos-devices" | "hotspot-usage" | "login-events" | "shipment-manifest";
            /** @enum {string} */
            origin: "upload" | "cli" | "connector";
            /** @description Share of the file read and applied. */
            progress: number;
            /**
             * Format: uuid
             * @description The token that uploaded it; null from the command line.
             */
            requestedBy: string | null;
            /** Format: date-time */
            startedAt: string | null;
            /** @description Counters of the kind: withdrawn, ticketsResolved (their open tickets) and withdrawalsPending (awaiting confirmation) (bulk roster), devicesCreated, suggestions and retired (chromeos-devices: deprovisioned or returned Chromebooks retired), holdersAssigned and holderSuggestions (devices), notStudents (login-events: skipped logins of accounts that are not students of the district, e.g. staff) and duplicates, manifestsCreated (shipment-manifest). */
            stats: {
                [key: string]: number;
            };
            /**
             * @description needs_confirmation: a bulk roster that would withdraw more than the district's rosterWithdrawalLimitPercent of its active students; the rest of the roster is applied, the withdrawals wait for POST /imports/{id}/confirm.
             * @enum {string}
             */
            status: "queued" | "running" | "needs_confirmation" | "completed" | "failed";
            /** @description What the check of the file found harmless, found at upload: unknown, extension (ext_*, metadata.*) and unused columns. */
            warnings: components["schemas"]["ImportWarningDto"][];
        };
        ImportUploadDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token imports into its own district.
             */
            districtId?: string;
            /**
             * @description Report what the import would create, update and withdraw, writing nothing to the district's tables: the import ends completed with dryRun true, its counts, row errors and the students it would withdraw (GET /imports/{id}/withdrawals).
             * @default false
             */
            dryRun?: boolean;
            /**
             * Format: binary
             * @description The file, streamed to disk; up to UPLOAD_LIMIT (2 GB by default).
             */
            file: string;
            /**
             * @description oneroster: a OneRoster 1.1 or 1.2 CSV zip (or a lone users.csv / orgs.csv, applied as a delta); student-attributes: CSV sourcedId, learningModel, homeInternet; devices: CSV of devices (our field names or an asset system export such as Snipe-IT); chromeos-devices: Google Admin Directory API chromeosdevices.list JSON or the console CSV export; hotspot-usage: a carrier portal CSV (Kajeet or plain); login-events: Google Reports API login activity JSON or a CSV; shipment-manifest: a CSV of serial numbers delivered, each with its funding source, delivery date and optionally a reference (our field names or a packing list of a vendor: Serial, Program, Ship Date, PO), one manifest per reference.
             * @enum {string}
             */
            kind: "oneroster" | "student-attributes" | "devices" | "chromeos-devices" | "hotspot-usage" | "login-events" | "shipment-manifest";
        };
        ImportWarningDto: {
            /** @description The column, as the file names it. */
            column: string;
            /** @example unknown column, ignored */
            message: string;
            /** @description The file inside a zip, e.g. users.csv. */
            part: string | null;
        };
        KitDto: {
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            issuedAt: string;
            /** @description As issued. */
            items: components["schemas"]["KitItemDto"][];
            /** @description Issued but not returned; empty until the kit is returned. */
            missingItems: components["schemas"]["KitItemDto"][];
            /** Format: date-time */
            returnedAt: string | null;
            /** Format: uuid */
            studentId: string;
            /** Format: uuid */
            templateId: string;
            templateName: string;
        };
        KitItemDto: {
            /** @example charger */
            item: string;
            /** @example 1 */
            quantity: number;
        };
        KitPageDto: {
            data: components["schemas"]["KitDto"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        KitTemplateDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            items: components["schemas"]["KitItemDto"][];
            name: string;
        };
        KitTemplatePageDto: {
            data: components["schemas"]["KitTemplateDto"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        LabelsRequestDto: {
            /** @description The devices, one label each in this order (an id listed twice prints twice). Give exactly one of deviceIds, schoolId, shipmentId. */
            deviceIds?: string[];
            /**
             * @description A short line under the tag, e.g. "Property of Lincoln High"; an empty string prints none. Latin characters only.
             * @default District property - do not remove
             */
            line?: string;
            /**
             * Format: uuid
             * @description The school's devices in circulation (not retired, lost or stolen), in asset tag order.
             */
            schoolId?: string;
            /**
             * Format: uuid
             * @description The devices of a delivery manifest (matched by serial number; not retired, lost or stolen), in serial number order. District-wide: not for school-scoped staff.
             */
            shipmentId?: string;
            /**
             * @description Where on the first sheet to begin (1 = top left, counting left to right, then down), to use up a partly used sheet.
             * @default 1
             */
            startPosition?: number;
            /**
             * @description avery-5160: US letter, 30 labels of 2.625" × 1"; avery-5163: US letter, 10 of 4" × 2"; l7160: A4, 21 of 63.5 × 38.1 mm; thermal-2.25x1.25: one 2.25" × 1.25" label per page for a thermal printer.
             * @enum {string}
             */
            template: "avery-5160" | "avery-5163" | "l7160" | "thermal-2.25x1.25";
        };
        LearningModelChangeDto: {
            /**
             * Format: date
             * @example 2020-11-16
             */
            from: string;
            /** @enum {string} */
            learningModel: "in_person" | "hybrid" | "remote";
            /**
             * Format: date
             * @example 2020-11-20
             */
            to: string;
        };
        LearningModelChangeResultDto: {
            /** Format: date */
            from: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            learningModel: "in_person" | "hybrid" | "remote";
            /** Format: uuid */
            schoolId: string;
            /** @description Replacement and connectivity tickets raised with reason school_going_remote. */
            ticketsOpened: number;
            /** @description Open tickets that gained the reason school_going_remote. */
            ticketsUpdated: number;
            /** Format: date */
            to: string;
        };
        LiveDto: {
            /** @example ok */
            status: string;
        };
        LoginEventDto: {
            /**
             * @description The student's email; used when studentSourcedId is absent.
             * @example ava.jones@students.groton.org
             */
            email?: string;
            /**
             * @description Only login_success counts as activity; other events are stored too.
             * @example login_success
             */
            event: string;
            /**
             * Format: date-time
             * @description With a time zone (Z or an offset).
             * @example 2020-10-05T13:02:11Z
             */
            occurredAt: string;
            /**
             * @description The system that saw the event; "api" when absent.
             * @example canvas
             */
            source?: string;
            /**
             * @description The student's roster sourcedId; give this or email.
             * @example st-000123
             */
            studentSourcedId?: string;
            /** @description The source's id of the event: sending it again is a duplicate, not a second login. Without it, an event is a duplicate when all its fields repeat. */
            uniqueId?: string;
        };
        LoginEventsResultDto: {
            /** @description Events already stored (or repeated within the request). */
            duplicates: number;
            /** @description Events stored for the first time. */
            inserted: number;
            received: number;
            /** @description Events for no student of the district; not stored. */
            unknownStudents: number;
        };
        LossResultDto: {
            device: components["schemas"]["DeviceDto"];
            endedAssignment: components["schemas"]["AssignmentDto"] | null;
            loss: components["schemas"]["DeviceLossDto"];
        };
        OldestOpenTicketDto: {
            /**
             * @description Hours open, to one decimal.
             * @example 312.5
             */
            ageHours: number;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            openedAt: string;
            /** @example outreach */
            type: string;
        };
        OpenGapDto: {
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description The last login known when it opened; null: never.
             */
            lastLoginAt: string | null;
            /**
             * Format: date
             * @description The school day the scan that opened it judged.
             */
            openedAsOf: string;
            /** Format: date-time */
            openedAt: string;
        };
        OpenTicketDto: {
            assignee: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            openedAt: string;
            priority: number;
            reasons: string[];
            /** @enum {string} */
            status: "open" | "in_progress" | "waiting";
            /** @enum {string} */
            type: "replacement" | "connectivity" | "outreach" | "repair";
        };
        OutreachAttemptDto: {
            /** Format: date-time */
            attemptedAt: string;
            /** @enum {string} */
            channel: "call" | "email" | "text" | "home_visit";
            /** Format: uuid */
            id: string;
            note: string | null;
            /** @enum {string} */
            outcome: "reached" | "no_answer" | "left_message" | "wrong_contact" | "visited" | "not_home" | "other";
        };
        OutreachChannelCountsDto: {
            call: number;
            email: number;
            /** @description Channel home_visit. */
            homeVisit: number;
            text: number;
        };
        OutreachSummaryDto: {
            /** @description Attempts logged in the window. */
            attempts: number;
            byChannel: components["schemas"]["OutreachChannelCountsDto"];
            /** @description Home visits made in the window. */
            homeVisits: number;
            /** @description Home visits where the family was seen (outcome visited or reached). */
            homeVisitsReached: number;
        };
        PatchConnectorDto: {
            /** @description Settings to change; those left out stay. A secret given here replaces the stored one. google-workspace: serviceAccountKey (the JSON key file, as an object or its text; write-only), adminEmail, apiRootUrl (optional), writeBack (off | dry_run | on), schedule (optional cron). oneroster-rest: baseUrl, tokenUrl, clientId, clientSecret (write-only), schedule (optional cron). */
            settings: {
                [key: string]: unknown;
            };
        };
        PoolCountDto: {
            /** @description Devices of this kind in stock at the school. */
            inStock: number;
            /** @description Of those, the ones in working condition (ready to hand out). */
            working: number;
        };
        PutIdentityProviderDto: {
            /**
             * @description Email domains the district's staff sign in with; empty: any (the staff list still decides). For Google, also the hd claim.
             * @example [
             *       "lincolnschools.org"
             *     ]
             */
            allowedDomains: string[];
            clientId: string;
            /** @description Stored encrypted with SECRETS_KEY; never returned. */
            clientSecret: string;
            /**
             * @description The OpenID Connect issuer; its /.well-known/openid-configuration must answer.
             * @example https://accounts.google.com
             */
            issuer: string;
        };
        ReadinessDto: {
            /** Format: uuid */
            schoolId: string;
            /** @description Students who would lack a working device or internet. */
            students: components["schemas"]["ReadinessStudentDto"][];
            studentsChecked: number;
        };
        ReadinessStudentDto: {
            /**
             * @example [
             *       "no_device"
             *     ]
             */
            deviceReasons: string[];
            familyName: string;
            givenName: string;
            grade: string | null;
            /**
             * @example [
             *       "no_internet"
             *     ]
             */
            internetReasons: string[];
            sourcedId: string;
            /** Format: uuid */
            studentId: string;
        };
        ReadyDto: {
            /** @enum {string} */
            postgres: "up" | "down";
            /** @enum {string} */
            redis: "up" | "down";
            /** @enum {string} */
            status: "ok" | "unavailable";
            /**
             * @description Imports and gap scans marked running while no worker holds their job (its worker died or its job gave up).
             * @example [
             *       {
             *         "kind": "import",
             *         "id": "3f1c2a9e-0d4b-4c1e-9a57-2b6e8f0c1d23"
             *       }
             *     ]
             */
            stuck?: string[];
        };
        ReasonCountDto: {
            count: number;
            /** @example no_device */
            reason: string;
        };
        ReconciliationItemDto: {
            deviceFundingSource: string | null;
            /** Format: uuid */
            deviceId: string | null;
            deviceStatus: string | null;
            /** Format: uuid */
            districtId: string;
            /** @description The device's order number, where recorded. */
            orderNumber: string | null;
            /**
             * Format: date
             * @description The device's purchase date, where recorded.
             */
            purchaseDate: string | null;
            reference: string | null;
            /** Format: uuid */
            schoolId: string | null;
            serialNumber: string;
            /**
             * Format: uuid
             * @description The first manifest listing the serial.
             */
            shipmentId: string | null;
            /** Format: date */
            shippedOn: string | null;
        };
        ReconciliationListDto: {
            data: components["schemas"]["ReconciliationItemDto"][];
            nextCursor: string | null;
        };
        RecordLoginEventsDto: {
            /**
             * Format: uuid
             * @description Required for a state token; a district token records for its own district.
             */
            districtId?: string;
            events: components["schemas"]["LoginEventDto"][];
        };
        RepairDto: {
            /** Format: date-time */
            closedAt: string | null;
            /** Format: uuid */
            deviceId: string;
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            loanerAssignmentId: string | null;
            note: string | null;
            /** Format: date-time */
            openedAt: string;
            /** @enum {string} */
            problem: "broken" | "damaged";
            /** @enum {string|null} */
            returnedTo: "stock" | "student" | null;
            /**
             * Format: uuid
             * @description Who held the device when it came in.
             */
            studentId: string | null;
        };
        RepairIntakeDto: {
            /**
             * @description Lend the student a working device of the same kind from their school's stock, in the same transaction. With an empty pool the whole intake is refused (409 no_loaner_available) and nothing changes.
             * @default false
             */
            issueLoaner?: boolean;
            /** @example Cracked screen, keyboard works. */
            note?: string;
            /**
             * @description Becomes the device's condition while it is repaired.
             * @enum {string}
             */
            problem: "broken" | "damaged";
        };
        RepairIntakeResultDto: {
            device: components["schemas"]["DeviceDto"];
            /** @description The assignment the repair ended, if the device was held. */
            endedAssignment: components["schemas"]["AssignmentDto"] | null;
            loanerAssignment: components["schemas"]["AssignmentDto"] | null;
            repair: components["schemas"]["RepairDto"];
        };
        RepairListDto: {
            /** @description Every repair of the device, newest first. */
            data: components["schemas"]["RepairDto"][];
        };
        RepairReturnDto: {
            /**
             * @description stock: the device goes back in stock; a loaner the student has stays with them. student: it goes back to the student of the repair as their primary device, and their loaner is returned to stock.
             * @enum {string}
             */
            returnTo: "stock" | "student";
        };
        RepairReturnResultDto: {
            /** @description returnTo student: the new primary assignment. */
            assignment: components["schemas"]["AssignmentDto"] | null;
            device: components["schemas"]["DeviceDto"];
            /** @description returnTo student: the loaner assignment it ended. */
            endedLoanerAssignment: components["schemas"]["AssignmentDto"] | null;
            /** @description The repair closed; null for a device marked in repair without one. */
            repair: components["schemas"]["RepairDto"] | null;
        };
        ReportLossDto: {
            /** @enum {string} */
            kind: "lost" | "stolen";
            policeReportNumber?: string;
        };
        RequestGapScanDto: {
            /**
             * Format: date
             * @description The day judged; default today in the district's time zone.
             */
            asOf?: string;
            /**
             * Format: uuid
             * @description Omitted by a state token: every district.
             */
            districtId?: string;
        };
        RetireDeviceDto: {
            /** @description Appended to the device's notes. */
            note?: string;
        };
        RetireResultDto: {
            device: components["schemas"]["DeviceDto"];
            endedAssignment: components["schemas"]["AssignmentDto"] | null;
        };
        ReturnAssignmentDto: {
            /**
             * @description The device goes back in stock with this condition; a damaged or broken one stays out of the working spare pool.
             * @enum {string}
             */
            condition: "working" | "damaged" | "broken";
            note?: string;
        };
        ReturnKitDto: {
            /** @description What came back, each item once; anything issued and not listed is recorded as missing. */
            items: components["schemas"]["KitItemDto"][];
        };
        RolloutCountsDto: {
            /** @description Assigned, and the student logged in within 7 days or the Chromebook synced within 7 days. */
            activeUse: number;
            /** @description Registered devices held by a student (primary or loaner). */
            assigned: number;
            /** @description Distinct serial numbers on manifests of the funding source. */
            delivered: number;
            /** @description Assigned but not in active use. */
            idle: number;
            inRepair: number;
            inStock: number;
            lostOrStolen: number;
            /** @description Devices recorded with the funding source. */
            registered: number;
            retired: number;
        };
        RolloutDistrictDto: {
            /** Format: uuid */
            districtId: string;
            districtName: string;
            reconciliation: components["schemas"]["RolloutReconciliationDto"];
            schools: components["schemas"]["RolloutSchoolDto"][];
            totals: components["schemas"]["RolloutCountsDto"];
        };
        RolloutReconciliationDto: {
            /** @description On a manifest, but no device with that serial number is recorded in the district. */
            deliveredNotRegistered: components["schemas"]["SerialSampleDto"];
            /** @description On a manifest and recorded, but under another funding source or none. */
            deliveredUnderOtherFunding: components["schemas"]["SerialSampleDto"];
            /** @description Recorded with the funding source, but on no manifest of it. */
            registeredNotOnManifest: components["schemas"]["SerialSampleDto"];
        };
        RolloutReportDto: {
            districts: components["schemas"]["RolloutDistrictDto"][];
            fundingSource: string;
            /**
             * Format: date-time
             * @description Active use is judged against this instant.
             */
            generatedAt: string;
            sampleSize: number;
        };
        RolloutSchoolDto: {
            /** @description Assigned, and the student logged in within 7 days or the Chromebook synced within 7 days. */
            activeUse: number;
            /** @description Registered devices held by a student (primary or loaner). */
            assigned: number;
            /** @description Distinct serial numbers on manifests of the funding source. */
            delivered: number;
            /** @description Assigned but not in active use. */
            idle: number;
            inRepair: number;
            inStock: number;
            lostOrStolen: number;
            /** @description Devices recorded with the funding source. */
            registered: number;
            retired: number;
            /**
             * Format: uuid
             * @description null: devices in no school (a district store), or delivered serials never registered.
             */
            schoolId: string | null;
            schoolName: string | null;
        };
        SaveStatusMappingDto: {
            /**
             * @description The condition it takes; null or absent: the device's own (working for a new one).
             * @enum {string|null}
             */
            condition?: "working" | "damaged" | "broken" | null;
            /**
             * Format: uuid
             * @description Required for a state token; a district token may omit it (its own).
             */
            districtId?: string;
            /**
             * @description The label as the asset system writes it; matched in any case, ignoring spacing and punctuation.
             * @example Out for Repair
             */
            label: string;
            /**
             * @description The status a device with this label takes.
             * @enum {string}
             */
            status: "in_stock" | "assigned" | "in_repair" | "lost" | "stolen" | "retired";
        };
        ScanLookupDto: {
            /** @description Devices whose asset tag or serial number is the code, any case (at most 5). */
            devices: components["schemas"]["ScannedDeviceDto"][];
            /** @description Nothing of the caller's matched, but a device of another district has this asset tag or serial (which district is not said). Always false for a state token. */
            otherDistrict: boolean;
            /** @description Students whose identifier or sourcedId is the code (at most 5). */
            students: components["schemas"]["ScannedStudentDto"][];
        };
        ScannedDeviceDto: {
            assetTag: string | null;
            /** @enum {string} */
            condition: "working" | "damaged" | "broken";
            /** Format: uuid */
            districtId: string;
            /** @description Who holds it now (its active assignment), if anyone. */
            holder: components["schemas"]["ScannedHolderDto"] | null;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "chromebook" | "hotspot" | "laptop" | "other";
            model: string | null;
            /** Format: uuid */
            schoolId: string | null;
            serialNumber: string;
            /** @enum {string} */
            status: "in_stock" | "assigned" | "loaner" | "in_repair" | "lost" | "stolen" | "retired";
        };
        ScannedHolderDto: {
            /** Format: uuid */
            assignmentId: string;
            familyName: string;
            givenName: string;
            identifier: string | null;
            /** @enum {string} */
            kind: "primary" | "loaner";
            /** Format: date-time */
            startedAt: string;
            /** Format: uuid */
            studentId: string;
        };
        ScannedStudentDto: {
            /** Format: uuid */
            districtId: string;
            /** @enum {string} */
            enrollmentStatus: "active" | "withdrawn";
            familyName: string;
            givenName: string;
            grade: string | null;
            /** Format: uuid */
            id: string;
            identifier: string | null;
            /** Format: uuid */
            schoolId: string;
            sourcedId: string;
        };
        SchoolDto: {
            code: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            name: string;
            sourcedId: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        SchoolPageDto: {
            data: components["schemas"]["SchoolDto"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        SearchResultDto: {
            /** @description Exact matches first, then by asset tag. Always empty for a role that may not see devices (attendance). */
            devices: components["schemas"]["DeviceHitDto"][];
            /** @description Exact matches first, then by family and given name. */
            students: components["schemas"]["StudentHitDto"][];
        };
        SerialSampleDto: {
            count: number;
            /** @description The first serial numbers in order, up to sampleSize; GET /reports/rollout/reconciliation lists them all. */
            serialNumbers: string[];
        };
        SessionTokenDto: {
            /** Format: uuid */
            id: string;
            name: string;
        };
        ShipmentDetailDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            fundingSource: string;
            /** Format: uuid */
            id: string;
            /** @description Serial numbers on the manifest. */
            itemCount: number;
            reference: string | null;
            /** @description Every serial number on the manifest, in order. */
            serialNumbers: string[];
            /** Format: date */
            shippedOn: string;
        };
        ShipmentDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            fundingSource: string;
            /** Format: uuid */
            id: string;
            /** @description Serial numbers on the manifest. */
            itemCount: number;
            reference: string | null;
            /** Format: date */
            shippedOn: string;
        };
        ShipmentListDto: {
            data: components["schemas"]["ShipmentDto"][];
            nextCursor: string | null;
        };
        SignedAcknowledgementDto: {
            /** @description The signature drawn on the screen: a PNG data URL (data:image/png;base64,…), at most 200,000 characters. */
            signature?: string;
            /**
             * Format: date-time
             * @description When it was signed; default now. Not in the future.
             */
            signedAt?: string;
            /**
             * @description Who signed: a parent, guardian or the student.
             * @example Maria Lopez
             */
            signerName: string;
        };
        SignOutEverywhereDto: {
            /** @description How many sessions ended. */
            ended: number;
        };
        SparePoolDto: {
            /** @description Working Chromebooks in stock are fewer than the minimum: loaners may run out. */
            belowMinimum: boolean;
            chromebooks: components["schemas"]["PoolCountDto"];
            /** Format: uuid */
            districtId: string;
            hotspots: components["schemas"]["PoolCountDto"];
            schoolCode: string;
            /** Format: uuid */
            schoolId: string;
            schoolName: string;
            /** @description The district's spare_pool_minimum. */
            spareMinimum: number;
        };
        SparePoolListDto: {
            data: components["schemas"]["SparePoolDto"][];
        };
        SpareShortfallDto: {
            minimum: number;
            /** Format: uuid */
            schoolId: string;
            schoolName: string;
            /** @description Working Chromebooks in stock at the school. */
            spareChromebooks: number;
        };
        SpareShortfallListDto: {
            count: number;
            items: components["schemas"]["SpareShortfallDto"][];
        };
        StaffUserDto: {
            active: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string | null;
            /** Format: email */
            email: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastSignInAt: string | null;
            name: string;
            /** @enum {string} */
            role: "state_admin" | "district_admin" | "tech" | "helpdesk" | "attendance" | "auditor";
            schoolIds: string[] | null;
            /** Format: date-time */
            updatedAt: string;
        };
        StaffUserPageDto: {
            data: components["schemas"]["StaffUserDto"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        StartRunDto: {
            /** @description What to sync now; default: all the connector syncs (google-workspace: devices and logins; oneroster-rest: roster). */
            streams?: ("devices" | "logins" | "roster")[];
        };
        StatusMappingDto: {
            /** @enum {string|null} */
            condition: "working" | "damaged" | "broken" | null;
            /**
             * Format: uuid
             * @description The district's mapping; null for a built-in one.
             */
            id: string | null;
            label: string;
            /** @description What the label is matched on: lower case, letters and digits only. */
            labelKey: string;
            /**
             * @description district: the district added it, or overrides the built-in one.
             * @enum {string}
             */
            source: "built_in" | "district";
            /** @enum {string} */
            status: "in_stock" | "assigned" | "in_repair" | "lost" | "stolen" | "retired";
        };
        StatusMappingListDto: {
            data: components["schemas"]["StatusMappingDto"][];
            /** Format: uuid */
            districtId: string;
        };
        StreamProgressDto: {
            created: number;
            failed: number;
            /** @description Every page has been read. */
            fetched: boolean;
            /**
             * Format: uuid
             * @description The import the pages became (GET /imports/{id}).
             */
            importId: string | null;
            importStatus: string | null;
            /** @description Items read from the remote so far. */
            items: number;
            pages: number;
            /** @enum {string} */
            stream: "devices" | "logins" | "roster";
            updated: number;
        };
        StudentDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string;
            email: string | null;
            /**
             * Format: date
             * @description The day the student is expected from (the roster's enrolment begin date). Default: today where the district is, and again today when a withdrawn student becomes active. Gaps count school days from the later of this and schoolYearStart. Null: from schoolYearStart.
             */
            enrolledOn: string | null;
            /** @enum {string} */
            enrollmentStatus: "active" | "withdrawn";
            familyName: string;
            givenName: string;
            grade: string | null;
            /** @description GET /students/{id} only, for state and district admins, help desk and attendance: the family contacts the roster links to the student (OneRoster parents, guardians, relatives). Absent for other roles and in lists. */
            guardians?: components["schemas"]["GuardianDto"][];
            /** @enum {string} */
            homeInternet: "yes" | "no" | "unknown";
            /** @description The family's home language (student-attributes import); null: not known. */
            homeLanguage: string | null;
            /** Format: uuid */
            id: string;
            identifier: string | null;
            /**
             * Format: date-time
             * @description Latest login seen by the imports; read-only.
             */
            lastLoginAt: string | null;
            /** @enum {string} */
            learningModel: "in_person" | "hybrid" | "remote";
            /** Format: uuid */
            schoolId: string;
            sourcedId: string;
            /** Format: date-time */
            updatedAt: string;
        };
        StudentEquipmentDto: {
            /** @description Devices the student holds now. */
            devices: components["schemas"]["HeldDeviceDto"][];
            /** @description Every assignment, current and past, most recent first. */
            history: components["schemas"]["HistoryEntryDto"][];
            /** @description Kits held now, and returned kits with items still missing. */
            kits: components["schemas"]["HeldKitDto"][];
            /** @description The login gap open now, if any. */
            openGap: components["schemas"]["OpenGapDto"] | null;
            /** @description Open replacement, connectivity, outreach and repair tickets. */
            openTickets: components["schemas"]["OpenTicketDto"][];
            student: components["schemas"]["EquipmentStudentDto"];
        };
        StudentHitDto: {
            /** Format: uuid */
            districtId: string;
            /** @enum {string} */
            enrollmentStatus: "active" | "withdrawn";
            /** @description The text is this student’s sourcedId, identifier or email exactly (a scanned card). */
            exact: boolean;
            familyName: string;
            givenName: string;
            grade: string | null;
            /** Format: uuid */
            id: string;
            identifier: string | null;
            /** Format: uuid */
            schoolId: string;
            sourcedId: string;
        };
        StudentPageDto: {
            data: components["schemas"]["StudentDto"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        SuggestionDto: {
            assetTag: string | null;
            /**
             * @description annotated_user: annotatedUser in Google Admin; recent_user: (weaker) its most recent user; holder_unmatched: an asset export's holder column names no active student of the district; holder_ambiguous: it names several.
             * @enum {string}
             */
            basis: "annotated_user" | "recent_user" | "holder_unmatched" | "holder_ambiguous";
            /** @description How many students the holder could be (holder_ambiguous: more than one; holder_unmatched: 0). */
            candidates: number;
            /** Format: uuid */
            deviceId: string;
            /** @description The holder as the asset export names it (holder_* only). */
            holder: string | null;
            id: string;
            /** @description Where in the file the user or holder is named. */
            line: number;
            serialNumber: string;
            studentEmail: string | null;
            /** Format: uuid */
            studentId: string | null;
            studentName: string | null;
            studentSourcedId: string | null;
        };
        SuggestionPageDto: {
            data: components["schemas"]["SuggestionDto"][];
            nextCursor: string | null;
        };
        TicketChangesDto: {
            /** @description Tickets created or changed since the cursor, in any status (a resolved or closed one leaves the open queue). A ticket may come again in a later poll: apply them by id, the latest wins. */
            data: components["schemas"]["TicketDto"][];
            /** @description More changes are waiting: poll again at once with nextCursor. */
            more: boolean;
            /** @description Pass as `since` in the next poll. */
            nextCursor: string;
        };
        TicketDetailDto: {
            assignee: string | null;
            /**
             * Format: uuid
             * @description The device the ticket is about: a repair's device; for a replacement, the broken, disabled, unsynced or unsupported Chromebook; for connectivity, the suspended, over-cap, idle or broken hotspot. Null when the reason is about no device (no_device, no_internet...).
             */
            deviceId: string | null;
            /** Format: uuid */
            districtId: string;
            /** @description The facts behind the reasons, as of the scan. */
            evidence: {
                [key: string]: unknown;
            };
            /** @description The student's family contacts where the roster has them: for state and district admins, help desk and attendance only. */
            familyContacts?: components["schemas"]["FamilyContactsDto"];
            history: components["schemas"]["TicketEventDto"][];
            /** Format: uuid */
            id: string;
            note: string | null;
            /** Format: date-time */
            openedAt: string;
            outreachAttempts: components["schemas"]["OutreachAttemptDto"][];
            /** @description 1 is most urgent. */
            priority: number;
            /**
             * @example [
             *       "device_broken"
             *     ]
             */
            reasons: string[];
            resolution: string | null;
            /** Format: date-time */
            resolvedAt: string | null;
            /** Format: uuid */
            schoolId: string | null;
            /** @enum {string} */
            source: "scan" | "manual" | "school_going_remote";
            /** @enum {string} */
            status: "open" | "in_progress" | "waiting" | "resolved" | "closed";
            student: components["schemas"]["TicketStudentDto"] | null;
            /** Format: uuid */
            studentId: string | null;
            /** @enum {string} */
            type: "replacement" | "connectivity" | "outreach" | "repair";
            /** Format: date-time */
            updatedAt: string;
        };
        TicketDto: {
            assignee: string | null;
            /**
             * Format: uuid
             * @description The device the ticket is about: a repair's device; for a replacement, the broken, disabled, unsynced or unsupported Chromebook; for connectivity, the suspended, over-cap, idle or broken hotspot. Null when the reason is about no device (no_device, no_internet...).
             */
            deviceId: string | null;
            /** Format: uuid */
            districtId: string;
            /** Format: uuid */
            id: string;
            note: string | null;
            /** Format: date-time */
            openedAt: string;
            /** @description 1 is most urgent. */
            priority: number;
            /**
             * @example [
             *       "device_broken"
             *     ]
             */
            reasons: string[];
            resolution: string | null;
            /** Format: date-time */
            resolvedAt: string | null;
            /** Format: uuid */
            schoolId: string | null;
            /** @enum {string} */
            source: "scan" | "manual" | "school_going_remote";
            /** @enum {string} */
            status: "open" | "in_progress" | "waiting" | "resolved" | "closed";
            student: components["schemas"]["TicketStudentDto"] | null;
            /** Format: uuid */
            studentId: string | null;
            /** @enum {string} */
            type: "replacement" | "connectivity" | "outreach" | "repair";
            /** Format: date-time */
            updatedAt: string;
        };
        TicketEventDto: {
            /** @description The token name at the time, the staff user's email, or "system". */
            actor: string;
            /**
             * Format: uuid
             * @description The staff user signed in, or who owns the token.
             */
            actorStaffUserId: string | null;
            /**
             * Format: uuid
             * @description The token used, directly or to open the session.
             */
            actorTokenId: string | null;
            data: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            kind: "opened" | "reasons_changed" | "status_changed" | "assigned" | "comment" | "student_reconnected" | "outreach_attempt";
            /** Format: date-time */
            occurredAt: string;
        };
        TicketListDto: {
            data: components["schemas"]["TicketDto"][];
            nextCursor: string | null;
        };
        TicketsDistrictDto: {
            /** Format: uuid */
            districtId: string;
            districtName: string;
            /** Format: date */
            from: string;
            /** @description Median hours from opened to resolved, over the tickets resolved in the window. */
            medianHoursToResolve: number | null;
            oldestOpen: components["schemas"]["OldestOpenTicketDto"] | null;
            /** @description A ticket with several reasons counts under each; most frequent first. */
            openByReason: components["schemas"]["ReasonCountDto"][];
            openByType: components["schemas"]["TicketTypeCountsDto"];
            /** @description Tickets opened in the window. */
            opened: number;
            /** @description Open now (open, in_progress or waiting). */
            openNow: number;
            outreach: components["schemas"]["OutreachSummaryDto"];
            /** @description Tickets resolved or closed in the window. */
            resolved: number;
            /**
             * Format: date
             * @description Inclusive.
             */
            to: string;
        };
        TicketsReportDto: {
            districts: components["schemas"]["TicketsDistrictDto"][];
            /** Format: date-time */
            generatedAt: string;
        };
        TicketStudentDto: {
            familyName: string;
            givenName: string;
            grade: string | null;
            sourcedId: string;
        };
        TicketTypeCountsDto: {
            connectivity: number;
            outreach: number;
            repair: number;
            replacement: number;
        };
        TicketWeekRowDto: {
            /** Format: uuid */
            districtId: string;
            districtName: string;
            /** @description Median hours from opened to resolved of the tickets resolved in the week, to one decimal; null when none was. */
            medianHoursToResolve: number | null;
            /** @description Median age in days of those open tickets at the week's end, to one decimal. */
            medianOpenAgeDays: number | null;
            /** @description Age in days of the oldest of them at the week's end, to one decimal. */
            oldestOpenAgeDays: number | null;
            /** @description Open at the week's end (for the week in progress: now); a closed ticket stops counting when closed. */
            openAtWeekEnd: number;
            /** @description Tickets opened in the week. */
            opened: number;
            /** @description Tickets resolved or closed in the week. */
            resolved: number;
            /** @enum {string} */
            type: "replacement" | "connectivity" | "outreach" | "repair";
            /**
             * Format: date
             * @description The Sunday it ends on (inclusive).
             */
            weekEnd: string;
            /**
             * Format: date
             * @description The Monday: the week is Monday 00:00 to the next Monday 00:00 in the district's time zone.
             */
            weekOf: string;
        };
        TicketWeeksReportDto: {
            /** Format: date-time */
            generatedAt: string;
            /** @description Per district (by name), per week (oldest first), one row per ticket type: replacement, connectivity, outreach, repair. */
            rows: components["schemas"]["TicketWeekRowDto"][];
            /** @description How many weeks each district has. */
            weeks: number;
        };
        TokenDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            districtId: string | null;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            role: "state_admin" | "district_admin" | "tech" | "helpdesk" | "attendance" | "auditor";
            /**
             * Format: uuid
             * @description The staff user who owns the token.
             */
            staffUserId: string | null;
        };
        TokenListDto: {
            data: components["schemas"]["TokenDto"][];
        };
        TokenSignInDto: {
            /** @description An API token (BOOTSTRAP_ADMIN_TOKEN included). */
            token: string;
        };
        UpdateDeviceDto: {
            /**
             * @description Unique within the district.
             * @example CB-004211
             */
            assetTag?: string | null;
            /**
             * Format: date
             * @description Chromebook only: end of automatic updates.
             */
            autoUpdateThrough?: string | null;
            /**
             * @description Hotspot only.
             * @example Kajeet
             */
            carrier?: string | null;
            /** @enum {string} */
            condition?: "working" | "damaged" | "broken";
            /**
             * Format: date
             * @description When the district plans to replace it.
             */
            endOfLife?: string | null;
            /**
             * @description Who paid for it, e.g. a grant or donation programme.
             * @example Everybody Learns
             */
            fundingSource?: string | null;
            /** @description Chromebook only: Google Admin deviceId. */
            googleDeviceId?: string | null;
            /**
             * @description Chromebook only: status in Google Admin.
             * @enum {string|null}
             */
            googleStatus?: "ACTIVE" | "DISABLED" | "DEPROVISIONED" | "PRE_PROVISIONED" | "INACTIVE" | "DELINQUENT" | "RETURN_ARRIVED" | "RETURN_REQUESTED" | "SHIPPED" | "UNKNOWN" | null;
            /**
             * @description Hotspot only: SIM ICCID ("UICC"), unique within the district.
             * @example 8901260882295620453
             */
            iccid?: string | null;
            /**
             * @description Hotspot only: 15-digit IMEI, unique within the district.
             * @example 356938035643809
             */
            imei?: string | null;
            /**
             * Format: date-time
             * @description Chromebook only: last policy sync with Google.
             */
            lastSyncAt?: string | null;
            /**
             * Format: date-time
             * @description Hotspot only: last day the carrier saw data use.
             */
            lastUsageAt?: string | null;
            /**
             * @description Hotspot only.
             * @enum {string|null}
             */
            lineStatus?: "active" | "suspended" | "deactivated" | null;
            /** @example Lenovo */
            manufacturer?: string | null;
            /** @example Lenovo 100e Chromebook Gen 3 */
            model?: string | null;
            /** @description Hotspot only. */
            monthlyCapMb?: number | null;
            /** @description Hotspot only. */
            monthlyUsedMb?: number | null;
            notes?: string | null;
            /** @description The purchase order or order number. */
            orderNumber?: string | null;
            /**
             * @description Chromebook only.
             * @example 128.0.6613.137
             */
            osVersion?: string | null;
            /** @description Hotspot only: the line number (MDN). */
            phoneNumber?: string | null;
            /**
             * @description What the device cost, in the district currency.
             * @example 349
             */
            purchaseCost?: number | null;
            /** Format: date */
            purchaseDate?: string | null;
            /**
             * Format: uuid
             * @description The school whose pool holds the device; null for a district store.
             */
            schoolId?: string | null;
            /** @example PF2KX9QZ */
            serialNumber?: string;
            /**
             * @description Only to put a lost or stolen device that was found, or a deployed one whose holder was never named, back in stock. Every other status change has its own route (assignments, repair-intake, repair-return, report-loss, retire), so custody records stay consistent.
             * @enum {string}
             */
            status?: "in_stock";
            /** @example CDW-G */
            supplier?: string | null;
            /**
             * Format: date
             * @description Last day of the warranty.
             */
            warrantyEnd?: string | null;
        };
        UpdateDistrictDto: {
            /**
             * @description Days without school; replaces the whole list.
             * @example [
             *       "2020-11-26",
             *       "2020-11-27"
             *     ]
             */
            closureDates?: string[];
            /** @description School days without a login before a student counts as disconnected. */
            gapThresholdDays?: number;
            /** @description Days without data usage before a hotspot counts as idle. */
            hotspotIdleDays?: number;
            /**
             * @description School years of login events kept, the current one included (2: the current and the previous). A school year begins on the anniversary of schoolYearStart (1 July when unset). Older events are removed by the daily retention job.
             * @default 2
             */
            loginRetentionYears?: number;
            /** @example New Haven Public Schools */
            name?: string;
            /**
             * @description A bulk roster (OneRoster zip) that would withdraw more than this percentage of the active students stops in needs_confirmation, withdrawing no one until an admin confirms (POST /imports/{id}/confirm). 0: every withdrawal waits.
             * @default 5
             */
            rosterWithdrawalLimitPercent?: number;
            /**
             * Format: date
             * @description The current school year's last day, after schoolYearStart. After it nobody is in a gap: the next scan closes open gaps (resolution school_year_ended) and resolves their outreach tickets.
             * @example 2021-06-18
             */
            schoolYearEnd?: string | null;
            /**
             * Format: date
             * @description The current school year's first day. Set with schoolYearEnd (both or neither; null clears both). A gap counts school days from the later of this day and the student's enrolledOn; before it nobody is in a gap. Unset: no school-year bound.
             * @example 2020-08-31
             */
            schoolYearStart?: string | null;
            /** @description Spare in_stock devices each school should keep. */
            sparePoolMinimum?: number;
            /** @description Days without a Google sync before a Chromebook counts as unused. */
            syncStaleDays?: number;
            /**
             * @description An IANA time zone; school days are counted in it.
             * @example America/New_York
             */
            timeZone?: string;
        };
        UpdateSchoolDto: {
            code?: string;
            name?: string;
            /** @description null removes it. */
            sourcedId?: string | null;
        };
        UpdateStaffUserDto: {
            /** @description false disables the account: its sessions end and its tokens stop working at once. */
            active?: boolean;
            /** Format: email */
            email?: string;
            name?: string;
            /**
             * @description Changing the role ends the person's sessions.
             * @enum {string}
             */
            role?: "state_admin" | "district_admin" | "tech" | "helpdesk" | "attendance" | "auditor";
            /** @description Confines the person to these schools of the district (a school technician): they see and change only those schools' students and devices. Absent or null: the whole district. Changing it ends the person's sessions. */
            schoolIds?: string[] | null;
        };
        UpdateStatusMappingDto: {
            /**
             * @description The condition it takes; null or absent: the device's own (working for a new one).
             * @enum {string|null}
             */
            condition?: "working" | "damaged" | "broken" | null;
            /**
             * @description The status a device with this label takes.
             * @enum {string}
             */
            status: "in_stock" | "assigned" | "in_repair" | "lost" | "stolen" | "retired";
        };
        UpdateStudentDto: {
            /** Format: email */
            email?: string | null;
            /**
             * Format: date
             * @description The day the student is expected from (the roster's enrolment begin date). Default: today where the district is, and again today when a withdrawn student becomes active. Gaps count school days from the later of this and schoolYearStart.
             * @example 2021-01-11
             */
            enrolledOn?: string;
            /** @enum {string} */
            enrollmentStatus?: "active" | "withdrawn";
            familyName?: string;
            givenName?: string;
            /**
             * @description As the roster spells it (KG, 01 ... 12).
             * @example 07
             */
            grade?: string | null;
            /** @enum {string} */
            homeInternet?: "yes" | "no" | "unknown";
            /** @description The state or SIS student number. */
            identifier?: string | null;
            /** @enum {string} */
            learningModel?: "in_person" | "hybrid" | "remote";
            /**
             * Format: uuid
             * @description A school of the student's district.
             */
            schoolId?: string;
            /** @description The roster (OneRoster) key, unique within the district. */
            sourcedId?: string;
        };
        UpdateTicketDto: {
            /** @description Who works on it; null unassigns. */
            assignee?: string | null;
            /** @example replaced_screen */
            resolution?: string;
            /** @enum {string} */
            status?: "open" | "in_progress" | "waiting" | "resolved" | "closed";
        };
        WeeklyReportDto: {
            /** @description Per district: one row per grade, then the district total (grade null); with bySchool, then per school its grades and its total. A state token asking for every district gets the state total (districtId null) last. */
            rows: components["schemas"]["WeeklyRowDto"][];
            /**
             * Format: date
             * @description The Sunday it ends on (inclusive).
             */
            weekEnd: string;
            /**
             * Format: date
             * @description The Monday the week starts on.
             */
            weekOf: string;
        };
        WeeklyRowDto: {
            /**
             * Format: uuid
             * @description null on the state total row.
             */
            districtId: string | null;
            /** @description Active students. */
            enrollment: number;
            /**
             * @description null on a total row (district, school or state). Students with no grade on record count under "unknown".
             * @example 9
             */
            grade: string | null;
            hybrid: number;
            inPerson: number;
            /**
             * @description remote / enrollment, percent to one decimal; 0 when there is no one enrolled.
             * @example 33.3
             */
            percentRemote: number;
            /**
             * @description remoteNotConnected / remote, percent to one decimal; 0 when no one is remote.
             * @example 3.1
             */
            percentRemoteNotConnected: number;
            /** @description Fully remote, as the state counts it. */
            remote: number;
            /** @description Fully remote learners with no successful login in the week. */
            remoteNotConnected: number;
            /**
             * Format: uuid
             * @description null unless the row is per school (bySchool=true).
             */
            schoolId: string | null;
        };
        WeeklyTrendDto: {
            /** @description Per week, oldest first, the weekly report's total rows: each district's (and with bySchool each school's), then, for a state token asking for every district, the state total (districtId null). */
            rows: components["schemas"]["WeeklyTrendRowDto"][];
            /**
             * Format: date
             * @description The Monday of the last week.
             */
            weekOf: string;
            /** @description How many weeks: every district (and the state total) has a row for each. */
            weeks: number;
        };
        WeeklyTrendRowDto: {
            /**
             * Format: uuid
             * @description null on the state total row.
             */
            districtId: string | null;
            /** @description Active students. */
            enrollment: number;
            /**
             * @description remoteNotConnected / remote, percent to one decimal; 0 when no one is remote.
             * @example 3.1
             */
            percentRemoteNotConnected: number;
            /** @description Fully remote, as the state counts it. */
            remote: number;
            /** @description Fully remote learners with no successful login in the week. */
            remoteNotConnected: number;
            /**
             * Format: uuid
             * @description null unless the row is per school (bySchool=true).
             */
            schoolId: string | null;
            /**
             * Format: date
             * @description The Monday of the week.
             */
            weekOf: string;
        };
        WithdrawalDto: {
            /**
             * @description As stored now: active until the withdrawal is applied (or after a dry run).
             * @enum {string}
             */
            enrollmentStatus: "active" | "withdrawn";
            familyName: string;
            givenName: string;
            identifier: string | null;
            /** Format: uuid */
            schoolId: string;
            sourcedId: string;
            /** Format: uuid */
            studentId: string;
        };
        WithdrawalPageDto: {
            data: components["schemas"]["WithdrawalDto"][];
            nextCursor: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AssignmentsController_list: {
        parameters: {
            query?: {
                /** @description true: only assignments not yet ended; false: only ended ones. */
                active?: "true" | "false";
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                deviceId?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                limit?: number;
                studentId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentListDto"];
                };
            };
        };
    };
    AssignmentsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAssignmentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentDto"];
                };
            };
        };
    };
    AssignmentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentDto"];
                };
            };
        };
    };
    AssignmentsController_acknowledge: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignedAcknowledgementDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentDto"];
                };
            };
        };
    };
    AssignmentsController_signature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                };
            };
        };
    };
    AssignmentsController_return: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReturnAssignmentDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentDto"];
                };
            };
        };
    };
    AssignmentsController_bulkAssign: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkAssignDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResultDto"];
                };
            };
        };
    };
    AssignmentsController_bulkReturn: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkReturnDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResultDto"];
                };
            };
        };
    };
    AuditController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                /** @description The id of the record, as in the events. */
                entityId?: string;
                /** @description Required with entityId. */
                entityType?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first. A district token sees only its district's events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPageDto"];
                };
            };
        };
    };
    ConnectorsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorListDto"];
                };
            };
        };
    };
    ConnectorsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConnectorDto"];
            };
        };
        responses: {
            /** @description Secrets are stored encrypted and never returned. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorDto"];
                };
            };
        };
    };
    ConnectorsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Its state: status, last run, next run, where the next run starts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorDto"];
                };
            };
        };
    };
    ConnectorsController_patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchConnectorDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorDto"];
                };
            };
        };
    };
    ConnectorsController_startRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartRunDto"];
            };
        };
        responses: {
            /** @description Queued; follow it with GET /connectors/{id}/runs/{runId}. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorRunAcceptedDto"];
                };
            };
        };
    };
    ConnectorsController_getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorRunDto"];
                };
            };
        };
    };
    DevicesController_list: {
        parameters: {
            query?: {
                /** @description Asset tag, as scanned from a barcode (any case). */
                assetTag?: string;
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`: every device the filters match, streamed, unpaged (limit and cursor do not apply). */
                format?: "json" | "csv";
                /** @description Exact funding source. */
                fundingSource?: string;
                kind?: "chromebook" | "hotspot" | "laptop" | "other";
                limit?: number;
                schoolId?: string;
                /** @description Serial number, as scanned from a barcode (any case). */
                serialNumber?: string;
                status?: "in_stock" | "assigned" | "loaner" | "in_repair" | "lost" | "stolen" | "retired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: every device the filters match, one line each in id order, streamed (limit and cursor do not apply). Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceListDto"];
                    "text/csv": string;
                };
            };
        };
    };
    DevicesController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDeviceDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceDto"];
                };
            };
        };
    };
    DevicesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceDto"];
                };
            };
        };
    };
    DevicesController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDeviceDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceDto"];
                };
            };
        };
    };
    DeviceWorkflowsController_repairIntake: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RepairIntakeDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepairIntakeResultDto"];
                };
            };
        };
    };
    DeviceWorkflowsController_repairReturn: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RepairReturnDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepairReturnResultDto"];
                };
            };
        };
    };
    DeviceWorkflowsController_repairs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepairListDto"];
                };
            };
        };
    };
    DeviceWorkflowsController_reportLoss: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportLossDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LossResultDto"];
                };
            };
        };
    };
    DeviceWorkflowsController_retire: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RetireDeviceDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetireResultDto"];
                };
            };
        };
    };
    DistrictsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every district for a state token; a district token sees its own. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DistrictPageDto"];
                };
            };
        };
    };
    DistrictsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDistrictDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DistrictDto"];
                };
            };
        };
    };
    DistrictsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DistrictDto"];
                };
            };
        };
    };
    DistrictsController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDistrictDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DistrictDto"];
                };
            };
        };
    };
    IdentityProvidersController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client secret is never shown. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdentityProviderDto"];
                };
            };
        };
    };
    IdentityProvidersController_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutIdentityProviderDto"];
            };
        };
        responses: {
            /** @description Sets the district's OpenID Connect provider; its discovery document must answer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdentityProviderDto"];
                };
            };
        };
    };
    ConnectivityController_listScans: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GapScanListDto"];
                };
            };
        };
    };
    ConnectivityController_requestScan: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RequestGapScanDto"];
            };
        };
        responses: {
            /** @description Queued; follow it at GET /gap-scans/{id}. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GapScanAcceptedDto"];
                };
            };
        };
    };
    ConnectivityController_getScan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GapScanDto"];
                };
            };
        };
    };
    ImportMappingsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                kind?: "student-attributes" | "devices" | "chromeos-devices" | "hotspot-usage" | "login-events" | "shipment-manifest";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportMappingPageDto"];
                };
            };
        };
    };
    ImportMappingsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateImportMappingDto"];
            };
        };
        responses: {
            /** @description 409 import_mapping_name_taken if the district has one of that name for the kind. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportMappingDto"];
                };
            };
        };
    };
    ImportMappingsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportMappingDto"];
                };
            };
        };
    };
    ImportMappingsController_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; files are read with the built-in names again. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ImportsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may filter by district; a district token sees its own. */
                districtId?: string;
                kind?: "oneroster" | "student-attributes" | "devices" | "chromeos-devices" | "hotspot-usage" | "login-events" | "shipment-manifest";
                limit?: number;
                status?: "queued" | "running" | "needs_confirmation" | "completed" | "failed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportListDto"];
                };
            };
        };
    };
    ImportsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["ImportUploadDto"];
            };
        };
        responses: {
            /** @description Queued; follow it with GET /imports/{id}. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportAcceptedDto"];
                };
            };
        };
    };
    ImportsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportDto"];
                };
            };
        };
    };
    ImportsController_confirm: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmImportDto"];
            };
        };
        responses: {
            /** @description The import, completed. 409 import_not_awaiting_confirmation in any other status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportSummaryDto"];
                };
            };
        };
    };
    ImportsController_errors: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description csv: the same as `Accept: text/csv` (every row error, unpaged; limit and cursor do not apply). Wins over the Accept header. */
                format?: "json" | "csv";
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: every row error the import kept (up to 10,000; the rest are counted in errorsOmitted), one line each, streamed; `line` for CSV input, `item` for JSON. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportErrorPageDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ImportsController_suggestions: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Assignments Google Admin suggests (chromeos-devices imports); none is applied. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SuggestionPageDto"];
                };
            };
        };
    };
    ImportsController_withdrawals: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The students a bulk roster withdrew, or would withdraw (a dry run, or one awaiting confirmation), by sourcedId. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WithdrawalPageDto"];
                };
            };
        };
    };
    KitTemplatesController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitTemplatePageDto"];
                };
            };
        };
    };
    KitTemplatesController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateKitTemplateDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitTemplateDto"];
                };
            };
        };
    };
    KitTemplatesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitTemplateDto"];
                };
            };
        };
    };
    KitsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                limit?: number;
                /** @description true: only returned kits with missing items; false: only kits with none missing. */
                missing?: boolean;
                studentId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitPageDto"];
                };
            };
        };
    };
    KitsController_issue: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateKitDto"];
            };
        };
        responses: {
            /** @description The template's items are copied into the kit as issued. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitDto"];
                };
            };
        };
    };
    KitsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitDto"];
                };
            };
        };
    };
    KitsController_returnKit: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReturnKitDto"];
            };
        };
        responses: {
            /** @description missingItems holds what was issued and did not come back. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitDto"];
                };
            };
        };
    };
    LabelsController_print: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LabelsRequestDto"];
            };
        };
        responses: {
            /** @description The sheets, as an attachment; pages = ceil((labels + startPosition - 1) / labels per page). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
        };
    };
    LmsLoginEventsController_record: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordLoginEventsDto"];
            };
        };
        responses: {
            /** @description Up to 10,000 events a request, recorded before the answer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginEventsResultDto"];
                };
            };
        };
    };
    ReportsController_collection: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`; a CSV holds the whole list, unpaged. */
                format?: "json" | "csv";
                limit?: number;
                /** @description Only this school's students. */
                schoolId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: one line per student, the whole list unpaged; `assetTags` and `serialNumbers` list what they hold, "; " between. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CollectionListDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_deviceHealth: {
        parameters: {
            query?: {
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`. Wins over the Accept header. */
                format?: "json" | "csv";
                /** @description Default: the district's hotspot_idle_days. */
                hotspotIdleDays?: number;
                /** @description The most entries each JSON list holds (a CSV holds them all). */
                listLimit?: number;
                /** @description Default: the district's sync_stale_days. */
                syncStaleDays?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: one line per flagged device, kit or school, `category` naming its JSON list; every entry, not capped. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceHealthReportDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_federalInventory: {
        parameters: {
            query: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`; a CSV holds every row, streamed, unpaged. */
                format?: "json" | "csv";
                /** @description The funding source: devices recorded with it, or whose serial number is on a manifest of it. */
                fundingSource: string;
                limit?: number;
                /** @description Only this school's devices, and loans to its students. */
                schoolId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: every row, unpaged, streamed as it is read. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FederalInventoryListDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_rollout: {
        parameters: {
            query: {
                /** @description A state token may ask for one district; without it, every district the programme reached. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`. Wins over the Accept header. */
                format?: "json" | "csv";
                /** @description The funding source or donation programme, as on devices and manifests. */
                fundingSource: string;
                /** @description How many serial numbers each reconciliation list shows. */
                sampleSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: per district a `district` line (totals and reconciliation counts), then a `school` line per school (schoolId empty for devices in no school or serials never registered). Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RolloutReportDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_reconciliation: {
        parameters: {
            query: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`; a CSV holds the whole list, unpaged. */
                format?: "json" | "csv";
                fundingSource: string;
                limit?: number;
                list: "deliveredNotRegistered" | "registeredNotOnManifest" | "deliveredUnderOtherFunding";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: the whole list, unpaged. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationListDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_tickets: {
        parameters: {
            query?: {
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`. Wins over the Accept header. */
                format?: "json" | "csv";
                /** @description First day of the window, in the district's time zone. Default: 29 days before `to`. */
                from?: string;
                /** @description Last day of the window (inclusive). Default: today in the district's time zone. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: long form, one line per figure (`metric`), `key` naming the type, reason or channel where it has one. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketsReportDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_ticketWeeks: {
        parameters: {
            query?: {
                /** @description A state token may ask for one district; without it, every district. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`. Wins over the Accept header. */
                format?: "json" | "csv";
                /** @description Any day of the last week (its Monday is used). Default: the current week in each district's time zone. */
                weekOf?: string;
                /** @description How many weeks, ending with the week of `weekOf`. */
                weeks?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: the rows, one line per district, week and type, with the same columns. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketWeeksReportDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_weeklyLearningModel: {
        parameters: {
            query: {
                /** @description Also break each district down per school (and school and grade). */
                bySchool?: boolean;
                /** @description A state token may ask for one district; without it, every district and a state total. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`. Wins over the Accept header. */
                format?: "json" | "csv";
                /** @description Any day of the week: the report covers Monday 00:00 to the next Monday 00:00 in each district's time zone. */
                weekOf: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: the rows, one line each, with the same columns. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WeeklyReportDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ReportsController_weeklyTrend: {
        parameters: {
            query: {
                /** @description Also break each district down per school (and school and grade). */
                bySchool?: boolean;
                /** @description A state token may ask for one district; without it, every district and a state total. */
                districtId?: string;
                /** @description csv: the same as `Accept: text/csv`. Wins over the Accept header. */
                format?: "json" | "csv";
                /** @description Any day of the week: the report covers Monday 00:00 to the next Monday 00:00 in each district's time zone. */
                weekOf: string;
                /** @description How many weeks, ending with the week of `weekOf`. */
                weeks?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: the rows, one line each, with the same columns. Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WeeklyTrendDto"];
                    "text/csv": string;
                };
            };
        };
    };
    ScanLookupController_find: {
        parameters: {
            query: {
                /** @description What the scanner typed: a student card (identifier or sourcedId), an asset tag or a serial number. */
                code: string;
                /** @description A state token may confine the lookup to one district; a district token always looks in its own. */
                districtId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanLookupDto"];
                };
            };
        };
    };
    SchoolsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchoolPageDto"];
                };
            };
        };
    };
    SchoolsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSchoolDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchoolDto"];
                };
            };
        };
    };
    SchoolsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchoolDto"];
                };
            };
        };
    };
    SchoolsController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSchoolDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchoolDto"];
                };
            };
        };
    };
    ConnectivityController_changeLearningModel: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LearningModelChangeDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LearningModelChangeResultDto"];
                };
            };
        };
    };
    ConnectivityController_remoteReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessDto"];
                };
            };
        };
    };
    SearchController_find: {
        parameters: {
            query: {
                /** @description A state token may narrow the search to one district. */
                districtId?: string;
                /** @description At most this many students and this many devices. */
                limit?: number;
                /** @description A name (every word of 3+ letters, any order), email, student sourcedId or identifier, asset tag, serial number or IMEI. Ids match exactly (tags and serials in any case); text of 3+ characters also matches the start of a family or given name, tag or serial, and, when those find fewer than `limit`, part of a name, email, tag or serial. */
                q: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResultDto"];
                };
            };
        };
    };
    SessionsController_signInWithToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenSignInDto"];
            };
        };
        responses: {
            /** @description Token sign-in: sets the session cookie. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentSessionDto"];
                };
            };
        };
    };
    SessionsController_signOutEverywhere: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signs out everywhere: every session of the staff user (or of the token) ends. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignOutEverywhereDto"];
                };
            };
        };
    };
    SessionsController_current: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Who is signed in: the staff user, or the token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentSessionDto"];
                };
            };
        };
    };
    SessionsController_signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out: the session ends and the cookie is cleared. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ShipmentsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                fundingSource?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShipmentListDto"];
                };
            };
        };
    };
    ShipmentsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateShipmentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShipmentDto"];
                };
            };
        };
    };
    ShipmentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShipmentDetailDto"];
                };
            };
        };
    };
    SparePoolController_sparePool: {
        parameters: {
            query?: {
                /** @description A state token sees every district unless it names one. */
                districtId?: string;
                schoolId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SparePoolListDto"];
                };
            };
        };
    };
    StaffController_list: {
        parameters: {
            query?: {
                active?: boolean;
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                /** @description Finds the account with this email (any case). */
                email?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ordered by creation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffUserPageDto"];
                };
            };
        };
    };
    StaffController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateStaffUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffUserDto"];
                };
            };
        };
    };
    StaffController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffUserDto"];
                };
            };
        };
    };
    StaffController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateStaffUserDto"];
            };
        };
        responses: {
            /** @description Disabling, or changing the role, scope or email, ends the person's sessions at once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffUserDto"];
                };
            };
        };
    };
    StatusMappingsController_list: {
        parameters: {
            query?: {
                /** @description Required for a state token; a district token sees its own. */
                districtId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusMappingListDto"];
                };
            };
        };
    };
    StatusMappingsController_save: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SaveStatusMappingDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusMappingDto"];
                };
            };
        };
    };
    StatusMappingsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SaveStatusMappingDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusMappingDto"];
                };
            };
        };
    };
    StatusMappingsController_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    StatusMappingsController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateStatusMappingDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusMappingDto"];
                };
            };
        };
    };
    StudentsController_list: {
        parameters: {
            query?: {
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                /** @description Exactly this email, in any case. */
                email?: string;
                enrollmentStatus?: "active" | "withdrawn";
                /** @description csv: the same as `Accept: text/csv`: every student the filters match, streamed, unpaged (limit and cursor do not apply). */
                format?: "json" | "csv";
                grade?: string;
                /** @description Exactly this state or SIS student number. */
                identifier?: string;
                learningModel?: "in_person" | "hybrid" | "remote";
                limit?: number;
                /** @description Case-insensitive search. Ordered in tiers: students whose sourcedId, identifier or email it is exactly; then those whose family name starts with it (by family, given name); then whose given name does (by given, family name); then, for text of 3+ characters, those with it inside the name, identifier or email (by family, given name). Each tier ends with district and id. */
                q?: string;
                schoolId?: string;
                /** @description Exactly this roster (OneRoster) key. */
                sourcedId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON by default; CSV with `Accept: text/csv` or `?format=csv`. CSV: every student the filters match, one line each, streamed (limit and cursor do not apply). Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StudentPageDto"];
                    "text/csv": string;
                };
            };
        };
    };
    StudentsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateStudentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StudentDto"];
                };
            };
        };
    };
    StudentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StudentDto"];
                };
            };
        };
    };
    StudentsController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateStudentDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StudentDto"];
                };
            };
        };
    };
    StudentEquipmentController_forStudent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StudentEquipmentDto"];
                };
            };
        };
    };
    TicketsController_list: {
        parameters: {
            query?: {
                /** @description Who works on it, as the ticket names them; `me`: the caller (their token name or staff email); `none`: unassigned. */
                assignee?: string;
                /** @description The nextCursor of the previous page. */
                cursor?: string;
                /** @description The device a ticket is about: a repair's device, a replacement's Chromebook, a connectivity ticket's hotspot. */
                deviceId?: string;
                /** @description A state token may narrow the list to one district; a district token always sees its own. */
                districtId?: string;
                limit?: number;
                reason?: string;
                schoolId?: string;
                sort?: "age" | "priority";
                /** @description Default: the open ones (open, in_progress, waiting). */
                status?: "open" | "in_progress" | "waiting" | "resolved" | "closed";
                studentId?: string;
                /** @description One ticket type, or several separated by commas (replacement, connectivity, outreach, repair). */
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketListDto"];
                };
            };
        };
    };
    TicketsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTicketDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketDetailDto"];
                };
            };
        };
    };
    TicketsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketDetailDto"];
                };
            };
        };
    };
    TicketsController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTicketDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketDetailDto"];
                };
            };
        };
    };
    TicketsController_comment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketDetailDto"];
                };
            };
        };
    };
    TicketsController_addOutreachAttempt: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOutreachAttemptDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketDetailDto"];
                };
            };
        };
    };
    TicketsController_bulk: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkTicketChangeDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkTicketChangeResultDto"];
                };
            };
        };
    };
    TicketsController_changes: {
        parameters: {
            query?: {
                /** @description A state token may narrow the feed to one district; a district token sees its own. */
                districtId?: string;
                limit?: number;
                schoolId?: string;
                /** @description The nextCursor of the previous poll. Without it: no tickets, only a cursor to poll from (load the list first). */
                since?: string;
                /** @description One ticket type, or several separated by commas (replacement, connectivity, outreach, repair). */
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketChangesDto"];
                };
            };
        };
    };
    TicketsController_homeVisitSheet: {
        parameters: {
            query: {
                /** @description The school whose open outreach tickets the sheet lists. */
                schoolId: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description application/pdf, as an attachment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
        };
    };
    TokensController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenListDto"];
                };
            };
        };
    };
    TokensController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTokenDto"];
            };
        };
        responses: {
            /** @description The secret is returned once, here (not in an Idempotency-Key replay). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedTokenDto"];
                };
            };
        };
    };
    TokensController_revoke: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenDto"];
                };
            };
        };
    };
    TokensController_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token making the request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenDto"];
                };
            };
        };
    };
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveDto"];
                };
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadyDto"];
                };
            };
            /** @description PostgreSQL or Redis, named, is down, or work is stuck (named). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadyDto"];
                };
            };
        };
    };
}
