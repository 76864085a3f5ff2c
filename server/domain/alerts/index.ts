/** What other parts of Ratchet call: the window jobs judge windows, the gate reads open critical alerts. */
export { evaluateAlertsForWindow } from "./window";
export { checkModelAlerts, runPeriodicAlertChecks } from "./periodic";
export { gateOpenAlerts } from "./queries";
