/** RFC 4122 version-4 id. */
export const uuid = (): string =>
  crypto.randomUUID
    ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
        (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+c / 4)))).toString(16),
      );

/** FNV-1a, 32 bit, hex: a short stable hash of a chart's visible state. */
export const hash = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
};

/** The URL without the listed query parameters; unparseable URLs pass unchanged. */
export const strip = (url: string | null | undefined, params: string[]): string | null => {
  if (!url) return null;
  if (!params.length) return url;
  try {
    const u = new URL(url, location.href);
    params.forEach((p) => u.searchParams.delete(p));
    return u.toString();
  } catch {
    return url;
  }
};

export const now = (): number => Date.now();

export const json = (value: unknown): string => JSON.stringify(value);

export const bytes = (text: string): number => new TextEncoder().encode(text).length;

/** localStorage that never throws (private mode, quota, disabled). */
export const store = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value == null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      /* storage full or blocked: the in-memory copy still works */
    }
  },
  keys(): string[] {
    try {
      return Object.keys(localStorage);
    } catch {
      return [];
    }
  },
};
