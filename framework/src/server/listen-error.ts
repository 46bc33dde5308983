/** The reasons a bind fails, worded as runserver words them (Django's wording). */
export function listenErrorReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') return 'That port is already in use.';
  if (code === 'EACCES') return "You don't have permission to access that port.";
  if (code === 'EADDRNOTAVAIL') return "That IP address can't be assigned to.";
  return err instanceof Error ? err.message : String(err);
}
