import { registerRequestSchema } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { useAuth, useRegister } from '../auth/auth-context';
import { safeRedirect } from '../auth/redirect';
import { Field } from '../forms/Field';
import { FormError } from '../forms/FormError';
import { blankToUndefined, fieldProblems, focusFirstInvalid, type FieldProblem } from '../forms/validation';
import { apiErrorMessage, apiFieldErrors } from '../i18n/api-errors';
import { useDocumentTitle } from '../layout/useDocumentTitle';

type SignUpField = 'email' | 'mobile' | 'password' | 'displayName';

export function SignUpPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const redirect = safeRedirect(params.get('redirect'));
  const { status } = useAuth();
  const registerUser = useRegister();
  const [values, setValues] = useState<Record<SignUpField, string>>({
    email: '',
    mobile: '',
    password: '',
    displayName: '',
  });
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  useDocumentTitle(t('signUp.title'));

  if (status === 'signedIn') return <Navigate to={redirect} replace />;

  const serverFieldErrors = apiFieldErrors(registerUser.error);
  const errorFor = (field: SignUpField): string | undefined => {
    const problem = problems[field];
    return problem ? t(`validation.${problem.key}`, problem.values) : serverFieldErrors[field];
  };
  const set = (field: SignUpField) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    registerUser.reset();
    const parsed = registerRequestSchema.safeParse({
      email: blankToUndefined(values.email),
      mobile: blankToUndefined(values.mobile),
      password: values.password,
      displayName: values.displayName,
    });
    if (!parsed.success) {
      const found = fieldProblems(parsed.error.issues);
      setProblems(found);
      focusFirstInvalid(event.currentTarget, Object.keys(found));
      return;
    }
    setProblems({});
    registerUser.mutate(parsed.data);
  }

  return (
    <div className="page page--form">
      <h1 className="page__heading" id="sign-up-heading">
        {t('signUp.heading')}
      </h1>
      <form className="form card" onSubmit={onSubmit} noValidate aria-labelledby="sign-up-heading">
        <FormError message={registerUser.isError ? apiErrorMessage(t, registerUser.error) : null} />
        <p className="form__note" id="contact-hint">
          {t('signUp.contactHint')}
        </p>
        <Field
          name="email"
          label={t('signUp.email')}
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          value={values.email}
          onValueChange={set('email')}
          error={errorFor('email')}
        />
        <Field
          name="mobile"
          label={t('signUp.mobile')}
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          value={values.mobile}
          onValueChange={set('mobile')}
          error={errorFor('mobile')}
        />
        <Field
          name="password"
          label={t('signUp.password')}
          type="password"
          autoComplete="new-password"
          value={values.password}
          onValueChange={set('password')}
          hint={t('signUp.passwordHint')}
          error={errorFor('password')}
          required
        />
        <Field
          name="displayName"
          label={t('signUp.displayName')}
          type="text"
          autoComplete="nickname"
          value={values.displayName}
          onValueChange={set('displayName')}
          hint={t('signUp.displayNameHint')}
          error={errorFor('displayName')}
          required
        />
        <button
          type="submit"
          className="button button--primary button--block"
          disabled={registerUser.isPending}
          aria-busy={registerUser.isPending}
        >
          {t('signUp.submit')}
        </button>
      </form>
      <p className="form-switch">
        {t('signUp.haveAccount')}{' '}
        <Link to={`/sign-in${params.get('redirect') ? `?redirect=${encodeURIComponent(redirect)}` : ''}`}>
          {t('signUp.toSignIn')}
        </Link>
      </p>
    </div>
  );
}
