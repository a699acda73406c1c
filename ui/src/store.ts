// A small state store: one typed state object, replaced by `update(patch)`, and subscriptions
// that name the fields they render from. Panels subscribe; whoever changes the state never calls a
// render by hand.

export type Listener<S> = (state: Readonly<S>, changed: ReadonlySet<keyof S>) => void;

interface Subscription<S> {
  keys: ReadonlySet<keyof S>;
  listener: Listener<S>;
}

/** Whether two values of a field are the same: the same value, or arrays whose items are the same
 * values or plain records of the same values, so that a list worked out again is no change. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((item, i) => Object.is(item, b[i]) || sameRecord(item, b[i]));
}

function sameRecord(a: unknown, b: unknown): boolean {
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

export class Store<S extends object> {
  private current: Readonly<S>;
  private subscriptions: Subscription<S>[] = [];

  constructor(initial: S) {
    this.current = { ...initial };
  }

  get state(): Readonly<S> {
    return this.current;
  }

  /** Applies the fields of `patch` that differ from the state and tells each subscriber to one of
   * them, once, in the order they subscribed. A subscriber may update the state in turn; the
   * subscribers after it then see the newer state. */
  update(patch: Partial<S>): void {
    const changed = new Set<keyof S>();
    for (const key of Object.keys(patch) as (keyof S)[]) {
      if (!sameValue(this.current[key], patch[key])) changed.add(key);
    }
    if (!changed.size) return;
    this.current = { ...this.current, ...patch };
    for (const subscription of [...this.subscriptions]) {
      if (![...changed].some((key) => subscription.keys.has(key))) continue;
      if (!this.subscriptions.includes(subscription)) continue;
      subscription.listener(this.current, changed);
    }
  }

  /** Calls `listener` after every update that changes one of `keys`; answers the unsubscribe. */
  subscribe(keys: readonly (keyof S)[], listener: Listener<S>): () => void {
    const subscription = { keys: new Set(keys), listener };
    this.subscriptions.push(subscription);
    return () => {
      this.subscriptions = this.subscriptions.filter((s) => s !== subscription);
    };
  }
}
