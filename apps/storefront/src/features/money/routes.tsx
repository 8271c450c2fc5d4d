import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const AdminAuditorsPage = lazyPage(
  () => import('./audit/AdminAuditorsPage'),
  (m) => m.AdminAuditorsPage,
  ['money'],
);
const AuditCoopPage = lazyPage(
  () => import('./audit/AuditPages'),
  (m) => m.AuditCoopPage,
  ['money'],
);
const AuditHomePage = lazyPage(
  () => import('./audit/AuditPages'),
  (m) => m.AuditHomePage,
  ['money'],
);
const ConsoleFindingsPage = lazyPage(
  () => import('./audit/ConsoleFindingsPage'),
  (m) => m.ConsoleFindingsPage,
  ['money'],
);
const ConsolePayoutsPage = lazyPage(
  () => import('./payouts/ConsolePayoutsPage'),
  (m) => m.ConsolePayoutsPage,
  ['money'],
);
const ConsoleStatementPage = lazyPage(
  () => import('./payouts/ConsolePayoutsPage'),
  (m) => m.ConsoleStatementPage,
  ['money'],
);
const HouseholdCodePage = lazyPage(
  () => import('./payouts/HouseholdLinkPage'),
  (m) => m.HouseholdCodePage,
  ['money'],
);
const HouseholdLinkPage = lazyPage(
  () => import('./payouts/HouseholdLinkPage'),
  (m) => m.HouseholdLinkPage,
  ['money'],
);
const PolicyPage = lazyPage(
  () => import('./ledger/PolicyPage'),
  (m) => m.PolicyPage,
  ['money'],
);
const SettlementPage = lazyPage(
  () => import('./ledger/SettlementPage'),
  (m) => m.SettlementPage,
  ['money'],
);
const TransparencyPage = lazyPage(
  () => import('./ledger/TransparencyPage'),
  (m) => m.TransparencyPage,
  ['money'],
);

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
