import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hasRole } from '@xiangbo/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { useApiClient, useAuth } from '../../../auth/auth-context';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { ConsoleShell } from '../../console/ConsoleShell';
import { auditApi } from './api';
import { auditErrorMessage } from './errors';
import { FindingCard } from './FindingCard';
import '../payouts/payouts.css';
import './audit.css';

/** /console/:coopId/findings (问题线索): what the auditors raised; the cooperative's admins answer. */
export function ConsoleFindingsPage() {
  const { t } = useTranslation('money');
  useDocumentTitle(t('audit.console.title'));
  return (
    <ConsoleShell section="findings" title={t('audit.console.title')}>
      <ConsoleFindings />
    </ConsoleShell>
  );
}

function ConsoleFindings() {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const { user } = useAuth();
  const canAnswer = hasRole(user, 'coop_admin', coopId);
  const client = useApiClient();
  const queryClient = useQueryClient();
  const key = ['findings', 'console', coopId];
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => auditApi.coopFindings(client, coopId, signal) });
  const [active, setActive] = useState<string | null>(null);
  const answer = useMutation({
    mutationFn: ({ id, text }: { id: string; text: string }) => auditApi.answer(client, id, { answer: text }),
    onMutate: ({ id }) => setActive(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  if (list.isPending) return <Loading />;
  if (list.isError) {
    return (
      <p role="alert" className="form-error">
        {auditErrorMessage(t, tc, list.error)}
      </p>
    );
  }
  return (
    <div className="findings">
      <p className="muted">{t('audit.console.intro')}</p>
      {list.data.length === 0 ? (
        <EmptyState title={t('audit.console.empty')} hint={t('audit.console.emptyHint')} />
      ) : (
        list.data.map((f) => (
          <FindingCard
            key={f.id}
            finding={f}
            action={canAnswer ? 'answer' : null}
            pending={answer.isPending && active === f.id}
            error={answer.isError && active === f.id ? auditErrorMessage(t, tc, answer.error) : null}
            onSubmit={(text) => answer.mutate({ id: f.id, text })}
          />
        ))
      )}
    </div>
  );
}
