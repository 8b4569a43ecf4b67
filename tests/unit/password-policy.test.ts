import { describe, expect, it } from 'vitest';
import { createPasswordPolicy } from '../../server/auth/password-policy.ts';

describe('password policy', () => {
  const policy = createPasswordPolicy();
  const owner = { email: 'anna.schmidt@koeln.de', displayName: 'Anna Schmidt' };

  it.each([
    ['kurz', 'too_short'],
    ['x'.repeat(201), 'too_long'],
    ['aaaaaaaaaaaa', 'too_guessable'],
    ['qwertzuiop123', 'too_guessable'],
    ['password1234', 'common_password'],
    ['iloveyou12345', 'common_password'],
    ['anna.schmidt@koeln.de', 'contains_personal_data'],
    ['Schmidt-Anna-2024', 'contains_personal_data'],
    ['mein name ist anna', 'contains_personal_data'],
  ])('refuses %s as %s', (password, problem) => {
    expect(policy.problem(password, owner)).toBe(problem);
  });

  it.each(['correct horse battery staple', 'ein langer satz über den rhein', 'Zwölf Boxkämpfer jagen Viktor'])('accepts %s', (password) => {
    expect(policy.problem(password, owner)).toBeUndefined();
  });

  it('names the field and the reason in German or English', () => {
    expect(policy.check('password1234', owner, 'newPassword', 'de')).toEqual({
      field: 'newPassword',
      code: 'common_password',
      message: 'Dieses Passwort steht auf einer Liste häufiger oder geleakter Passwörter; wählen Sie ein anderes.',
    });
    expect(policy.check('kurz', owner, 'password', 'en')?.message).toMatch(/^The password must be at least 12 characters long/);
  });
});
