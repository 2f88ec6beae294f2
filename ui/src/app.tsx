import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, saveToken, savedToken, whenUnauthorized } from './api';
import { Overview } from './screens/overview';
import { Live } from './screens/live';
import { Search } from './screens/search';
import { Message } from './screens/message';
import { Conversations, Conversation } from './screens/conversations';
import { Failures } from './screens/failures';
import { Templates } from './screens/templates';
import { Numbers } from './screens/numbers';
import { Destinations, Destination } from './screens/destinations';
import { DeadLetters } from './screens/dead-letters';
import { Deliveries } from './screens/deliveries';

const SCREENS = [
  ['overview', 'Overview'],
  ['live', 'Live events'],
  ['search', 'Search'],
  ['conversations', 'Conversations'],
  ['failures', 'Failures'],
  ['templates', 'Templates'],
  ['numbers', 'Numbers & account'],
  ['destinations', 'Destinations'],
  ['dead-letters', 'Dead letters'],
  ['deliveries', 'Deliveries'],
] as const;

function useHash(): string[] {
  const read = () =>
    location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter((p) => p !== '')
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      });
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return parts;
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Any authenticated read proves the token; deliveries with limit 1 is the cheapest.
      await api('/api/v1/deliveries?limit=1', { token });
      saveToken(token);
      onSignedIn();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'This token was refused. Use the value of WHARF_API_TOKEN.'
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>Wharf</h1>
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <p class="hint">The value of WHARF_API_TOKEN. It is kept for this browser tab only.</p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(savedToken() !== null);
  const parts = useHash();
  useEffect(
    () =>
      whenUnauthorized(() => {
        saveToken(null);
        setSignedIn(false);
      }),
    [],
  );
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const [screen = 'overview', id, sub] = parts;
  return (
    <div class="layout">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">Wharf</span>
        <nav aria-label="Screens">
          <ul>
            {SCREENS.map(([key, label]) => (
              <li key={key}>
                <a
                  href={`#/${key}`}
                  aria-current={
                    screen === key || (screen === 'messages' && key === 'search') ? 'page' : undefined
                  }
                >
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          class="signout"
          onClick={() => {
            saveToken(null);
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen screen={screen} id={id} sub={sub} />
      </main>
    </div>
  );
}

function Screen({ screen, id, sub }: { screen: string; id: string | undefined; sub: string | undefined }) {
  switch (screen) {
    case 'overview':
      return <Overview />;
    case 'live':
      return <Live />;
    case 'search':
      return <Search initial={id ?? ''} />;
    case 'messages':
      return id ? <Message wamid={id} phoneNumberId={sub} /> : <Search initial="" />;
    case 'conversations':
      return id ? <Conversation contact={id} phoneNumberId={sub} /> : <Conversations />;
    case 'failures':
      return <Failures />;
    case 'templates':
      return <Templates />;
    case 'numbers':
      return <Numbers />;
    case 'destinations':
      return id ? <Destination id={id} /> : <Destinations />;
    case 'dead-letters':
      return <DeadLetters />;
    case 'deliveries':
      return <Deliveries />;
    default:
      return <p role="alert">There is no screen named {screen}.</p>;
  }
}
