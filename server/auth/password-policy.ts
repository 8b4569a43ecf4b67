import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '../http/errors.ts';
import { fillMessage, type Language, type MessageCatalogue } from '../http/localized-validation.ts';

const minimumPasswordLength = 12;
const maximumPasswordLength = 200;
/** zxcvbn's score 3: more than 10⁸ guesses, out of reach of a throttled online attack. */
const minimumPasswordScore = 3;

type PasswordProblem = 'too_short' | 'too_long' | 'contains_personal_data' | 'common_password' | 'too_guessable';

const messages: MessageCatalogue = {
  too_short: {
    de: `Das Passwort muss mindestens ${minimumPasswordLength} Zeichen lang sein; ein Satz aus mehreren Wörtern ist leicht zu merken.`,
    en: `The password must be at least ${minimumPasswordLength} characters long; a sentence of several words is easy to remember.`,
  },
  too_long: {
    de: `Das Passwort darf höchstens ${maximumPasswordLength} Zeichen lang sein.`,
    en: `The password may be at most ${maximumPasswordLength} characters long.`,
  },
  contains_personal_data: {
    de: 'Das Passwort enthält die E-Mail-Adresse oder den Namen des Kontos; wählen Sie etwas, das nichts mit dem Konto zu tun hat.',
    en: "The password contains the account's e-mail address or name; choose something unrelated to the account.",
  },
  common_password: {
    de: 'Dieses Passwort steht auf einer Liste häufiger oder geleakter Passwörter; wählen Sie ein anderes.',
    en: 'This password is on a list of common or breached passwords; choose another one.',
  },
  too_guessable: {
    de: 'Das Passwort ist zu leicht zu erraten (Wiederholungen, Tastaturfolgen, Jahreszahlen); hängen Sie weitere Wörter an.',
    en: 'The password is too easy to guess (repetitions, keyboard runs, years); add more words.',
  },
};

/** What the policy knows about the account: its own data must not be the password. */
interface PasswordOwner {
  email: string;
  displayName?: string | null | undefined;
}

function personalWords(owner: PasswordOwner): string[] {
  const email = owner.email.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  const name = (owner.displayName ?? '').trim().toLowerCase();
  const words = [email, local, ...local.split(/[._+-]+/), name, ...name.split(/\s+/)];
  // Short parts ("al", "de") occur by chance in good passwords; only telling ones count.
  return [...new Set(words.filter((word) => word.length >= 4))];
}

export interface PasswordPolicy {
  /** The first problem with the password for this account, or undefined when it is acceptable. */
  problem(password: string, owner: PasswordOwner): PasswordProblem | undefined;
  /** The same as a field error for a validation answer. */
  check(password: string, owner: PasswordOwner, field: string, language: Language): FieldError | undefined;
}

/**
 * NIST SP 800-63B §5.1.1.2: a minimum length, no composition rules, and a check against
 * passwords known from breaches plus the account's own data. The breach list is the
 * `passwords-common` dictionary of @zxcvbn-ts/language-common (shipped in node_modules, no
 * network); zxcvbn also catches repetitions, keyboard runs and dates that a plain list misses.
 */
export function createPasswordPolicy(): PasswordPolicy {
  let factory: ZxcvbnFactory | undefined;
  const estimator = () =>
    (factory ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs, useLevenshteinDistance: false }));

  function problem(password: string, owner: PasswordOwner): PasswordProblem | undefined {
    if (password.length < minimumPasswordLength) return 'too_short';
    if (password.length > maximumPasswordLength) return 'too_long';
    const words = personalWords(owner);
    const lower = password.toLowerCase();
    if (words.some((word) => lower.includes(word))) return 'contains_personal_data';
    const result = estimator().check(password, words);
    if (result.score >= minimumPasswordScore) return undefined;
    const fromUser = result.sequence.some((match) => match.pattern === 'dictionary' && match.dictionaryName === 'userInputs');
    if (fromUser) return 'contains_personal_data';
    const fromList = result.sequence.some((match) => match.pattern === 'dictionary' && match.dictionaryName === 'passwords-common');
    return fromList ? 'common_password' : 'too_guessable';
  }

  return {
    problem,
    check(password, owner, field, language) {
      const found = problem(password, owner);
      return found ? { field, code: found, message: fillMessage(messages[found]!, language) } : undefined;
    },
  };
}
