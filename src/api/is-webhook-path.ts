/**
 * Whether a request path (query removed) is the webhook endpoint: the configured path, or the same
 * with one trailing slash more or less. Meta calls the callback URL exactly as it was typed in the
 * App Dashboard, so `…/webhooks/whatsapp/` there must not become a 404 and a failed verification.
 */
export function isWebhookPath(pathname: string, webhookPath: string): boolean {
  if (pathname === webhookPath) return true;
  const [longer, shorter] =
    pathname.length > webhookPath.length ? [pathname, webhookPath] : [webhookPath, pathname];
  return (
    longer.length === shorter.length + 1 &&
    longer.charCodeAt(longer.length - 1) === 47 && // '/'
    longer.startsWith(shorter)
  );
}
