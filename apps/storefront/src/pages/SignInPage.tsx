import { signInRequestSchema } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { useAuth, useSignIn } from '../auth/auth-context';
import { safeRedirect } from '../auth/redirect';
import { Field } from '../forms/Field';
import { FormError } from '../forms/FormError';
import { fieldProblems, focusFirstInvalid, type FieldProblem } from '../forms/validation';
import { apiErrorMessage, apiFieldErrors } from '../i18n/api-errors';
import { useDocumentTitle } from '../layout/useDocumentTitle';

type SignInField = 'identifier' | 'password';

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const redirect = safeRedirect(params.get('redirect'));
  const { status } = useAuth();
  const signIn = useSignIn();
  const [values, setValues] = useState<Record<SignInField, string>>({ identifier: '', password: '' });
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  useDocumentTitle(t('signIn.title'));

  // Signed in (just now, or already when arriving here): carry on to where they were going.
  if (status === 'signedIn') return <Navigate to={redirect} replace />;

  const serverFieldErrors = apiFieldErrors(signIn.error);
  const errorFor = (field: SignInField): string | undefined => {
    const problem = problems[field];
    return problem ? t(`validation.${problem.key}`, problem.values) : serverFieldErrors[field];
  };
  const set = (field: SignInField) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    signIn.reset();
    const parsed = signInRequestSchema.safeParse(values);
    if (!parsed.success) {
      const found = fieldProblems(parsed.error.issues);
      setProblems(found);
      focusFirstInvalid(event.currentTarget, Object.keys(found));
      return;
    }
    setProblems({});
    signIn.mutate(parsed.data);
  }

  return (
    <div className="page page--form">
      <h1 className="page__heading" id="sign-in-heading">
        {t('signIn.heading')}
      </h1>
      <form className="form card" onSubmit={onSubmit} noValidate aria-labelledby="sign-in-heading">
        <FormError message={signIn.isError ? apiErrorMessage(t, signIn.error) : null} />
        <Field
          name="identifier"
          label={t('signIn.identifier')}
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={values.identifier}
          onValueChange={set('identifier')}
          error={errorFor('identifier')}
          required
        />
        <Field
          name="password"
          label={t('signIn.password')}
          type="password"
          autoComplete="current-password"
          value={values.password}
          onValueChange={set('password')}
          error={errorFor('password')}
          required
        />
        <button
          type="submit"
          className="button button--primary button--block"
          disabled={signIn.isPending}
          aria-busy={signIn.isPending}
        >
          {t('signIn.submit')}
        </button>
      </form>
      <p className="form-switch">
        {t('signIn.noAccount')}{' '}
        <Link to={`/sign-up${params.get('redirect') ? `?redirect=${encodeURIComponent(redirect)}` : ''}`}>
          {t('signIn.toSignUp')}
        </Link>
      </p>
    </div>
  );
}
