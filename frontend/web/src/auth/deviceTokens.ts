/**
 * Known-device tokens (已知设备): tokenCreate returns one per account and device, and
 * sending it back on the next tokenCreate lets the account's owner in while strangers
 * have locked the account with wrong passwords. Unlike the session's tokens it must
 * outlive the tab, so it lives in localStorage. It is no credential on its own (the
 * password is still required), one per username, the most recent few only.
 */

export const DEVICE_STORAGE_KEY = 'regsafe.devices.v1';
const MAX_ACCOUNTS = 5;

type DeviceTokens = [username: string, token: string][];

function localStorageOrNull(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null; // storage disabled: no known device, logins still work
  }
}

/** As the server compares usernames (trimmed, case-insensitive). */
function normalizeUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}

function read(storage: Storage): DeviceTokens {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(DEVICE_STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is [string, string] =>
        Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string' && e[1] !== '',
    );
  } catch {
    return [];
  }
}

/** The device token this browser holds for `username`, if any. */
export function deviceTokenFor(username: string, storage: Storage | null = localStorageOrNull()): string | null {
  if (!storage) return null;
  const name = normalizeUsername(username);
  return read(storage).find(([u]) => u === name)?.[1] ?? null;
}

/** Keep the token tokenCreate returned for `username` (most recent first). */
export function rememberDeviceToken(
  username: string,
  token: string,
  storage: Storage | null = localStorageOrNull(),
): void {
  if (!storage || !token) return;
  const name = normalizeUsername(username);
  const rest = read(storage).filter(([u]) => u !== name);
  try {
    storage.setItem(DEVICE_STORAGE_KEY, JSON.stringify([[name, token], ...rest].slice(0, MAX_ACCOUNTS)));
  } catch {
    // quota or privacy mode: the next login is simply from an unknown device
  }
}
