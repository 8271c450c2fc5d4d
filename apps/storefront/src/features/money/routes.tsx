import { Route } from 'react-router-dom';
import { AdminAuditorsPage } from './audit/AdminAuditorsPage';
import { AuditCoopPage, AuditHomePage } from './audit/AuditPages';
import { ConsoleFindingsPage } from './audit/ConsoleFindingsPage';
import { ConsolePayoutsPage, ConsoleStatementPage } from './payouts/ConsolePayoutsPage';
import { HouseholdCodePage, HouseholdLinkPage } from './payouts/HouseholdLinkPage';
import { PolicyPage } from './ledger/PolicyPage';
import { SettlementPage } from './ledger/SettlementPage';
import { TransparencyPage } from './ledger/TransparencyPage';

/** Owned by the money feature: transparency, receipts, payouts, household links, audit. */
export const moneyRoutes = [
  <Route key="payouts-console" path="console/:coopId/payouts" element={<ConsolePayoutsPage />} />,
  <Route
    key="payouts-statement"
    path="console/:coopId/payouts/households/:householdId"
    element={<ConsoleStatementPage />}
  />,
  <Route key="payouts-household-code" path="h/code" element={<HouseholdCodePage />} />,
  <Route key="payouts-household" path="h/:token" element={<HouseholdLinkPage />} />,
  <Route key="findings-console" path="console/:coopId/findings" element={<ConsoleFindingsPage />} />,
  <Route key="audit-home" path="audit" element={<AuditHomePage />} />,
  <Route key="audit-admin" path="admin/auditors" element={<AdminAuditorsPage />} />,
  <Route key="audit-coop" path="audit/:coopId" element={<AuditCoopPage />} />,
  <Route key="ledger-policy" path="console/:coopId/policy" element={<PolicyPage />} />,
  <Route key="ledger-settlement" path="console/:coopId/settlement" element={<SettlementPage />} />,
  <Route key="ledger-transparency" path="cooperatives/:id/transparency" element={<TransparencyPage />} />,
];
