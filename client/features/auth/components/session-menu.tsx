import { useTranslation } from 'react-i18next';
import { signedInUser, useSession } from '../api/get-session';
import { useSignOut } from '../api/sign-out';
import './auth.css';

type SessionMenuProps = {
  // Asks the server only where a session matters (the staff area); elsewhere it shows what is
  // already known from this visit.
  active: boolean;
  onSignedOut: () => void;
};

// Header part: who is signed in, and signing out.
export function SessionMenu({ active, onSignedOut }: SessionMenuProps) {
  const { t } = useTranslation();
  const sessionQuery = useSession({ enabled: active });
  const signOut = useSignOut({ leave: onSignedOut });
  const user = signedInUser(sessionQuery.data);
  if (!user) return null;
  const name = user.displayName ?? user.email;
  return (
    <div className="session-menu">
      <p className="session-menu__user">
        {t('auth.signedInAs', { name, role: t(`auth.roles.${user.role}`) })}
        {user.department ? <> · {user.department.name}</> : null}
      </p>
      <button
        type="button"
        className="session-menu__button"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate()}
      >
        {t('auth.signOut')}
      </button>
    </div>
  );
}
