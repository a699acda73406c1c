// The shell's messages, made into sentences for people.

/** A capital letter and names in quotes: the shell's messages made into sentences for people. */
export function sentence(text: string): string {
  // Names quoted in code style read as the problems panel shows them; a sentence that starts
  // with one keeps its case, since names are written as they are.
  const quoted = text.replace(/`([^`]*)`/g, "“$1”").replace(/`/g, "");
  return quoted.charAt(0).toUpperCase() + quoted.slice(1);
}
