import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { Field } from './Field';

/** A form whose check says the name is too short until it has three characters (as the pages do on submit). */
function NameForm() {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      aria-label="form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(name.length < 3 ? '至少 3 个字' : undefined);
      }}
    >
      <Field name="name" label="名字" value={name} onValueChange={setName} error={error} />
      <button type="submit">提交</button>
    </form>
  );
}

describe('Field', () => {
  it('hides its error once the reader edits the field, and shows the next submission’s verdict', () => {
    render(<NameForm />);
    const input = screen.getByLabelText('名字');
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    expect(screen.getByText('至少 3 个字')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(input, { target: { value: '木' } });
    expect(screen.queryByText('至少 3 个字')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBeNull();

    // Still too short: the same error comes back with the submission.
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    expect(screen.getByText('至少 3 个字')).toBeTruthy();

    fireEvent.change(input, { target: { value: '木耳哥' } });
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    expect(screen.queryByText('至少 3 个字')).toBeNull();
  });
});
