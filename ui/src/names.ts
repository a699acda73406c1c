// Template and data set names, with the same rule as the core: lowercase ASCII letters and digits
// in words joined by single hyphens, at most 64 characters.

export function isValidName(name: string): boolean {
  return name.length > 0 && name.length <= 64 && name.split("-").every((w) => /^[a-z0-9]+$/.test(w));
}

/** Why a name is refused, in words a person can act on; null when it is fine. */
export function nameProblem(name: string, taken: readonly string[]): string | null {
  if (name.length === 0) return "Give it a name.";
  if (name.length > 64) return "Use at most 64 characters.";
  if (!isValidName(name)) return "Use lowercase letters, digits and single hyphens, like password-reset.";
  if (taken.includes(name)) return `“${name}” already exists.`;
  return null;
}

/** Turns what a person typed into a valid name where that is obvious: `Order Shipped!` → `order-shipped`. */
export function slugify(input: string): string {
  return input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/g, "");
}

/**
 * What a name field holds once a person has typed `typed`: a space or a capital letter is forgiven
 * and the name it obviously meant is taken instead, a space at the end becoming the hyphen before
 * the next word; anything else stays as typed, for `nameProblem` to explain.
 */
export function typedName(typed: string): string {
  const slug = slugify(typed);
  return /[A-Z ]/.test(typed) && slug ? slug + (typed.endsWith(" ") ? "-" : "") : typed;
}

/** A free name for a copy of `name`: `name-copy`, then `name-copy-2`, … */
export function copyName(name: string, taken: readonly string[]): string {
  const base = `${name}-copy`.slice(0, 58);
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!taken.includes(candidate)) return candidate;
  }
}
