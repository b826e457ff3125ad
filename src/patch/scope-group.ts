/**
 * Entering, exiting and running several scoped objects (deliveries, recorders) as one.
 */
import './dispose-symbol.js';
import { DistillError } from '../errors.js';
import type { Scope } from './scope-controller.js';

/** Anything with a scope: a delivery, a recorder. */
export interface Scoped {
  /** Opens its scope. */
  enter(): Scope;
  /** Runs `fn` in its scope. */
  run<R>(fn: () => R): R;
}

/**
 * The scope of a group. Entering is atomic: if one member fails to enter, the members already
 * entered exit again (in reverse order) before the error propagates.
 */
export class ScopeGroup {
  private scopes: Scope[] | undefined;

  /**
   * @param name - The group's name for messages, e.g. `"The delivery manager"`.
   * @param members - The members, read at each entry.
   */
  constructor(
    private readonly name: string,
    private readonly members: () => Iterable<Scoped>,
  ) {}

  /** Whether the group's `enter()` scope is open. */
  get isEntered(): boolean {
    return this.scopes !== undefined;
  }

  /** Enters every member, or none. */
  enter(): Scope {
    this.assertNotEntered();
    const scopes: Scope[] = [];
    try {
      for (const member of this.members()) scopes.push(member.enter());
    } catch (error) {
      for (let i = scopes.length - 1; i >= 0; i--) scopes[i]!.exit();
      throw error;
    }
    this.scopes = scopes;
    const exit = (): void => {
      if (this.scopes === scopes) this.exit();
    };
    return { exit, [Symbol.dispose]: exit };
  }

  /** Exits every member entered by {@link ScopeGroup.enter}. */
  exit(): void {
    const scopes = this.scopes;
    if (scopes === undefined) {
      throw new DistillError(
        'NOT_ENTERED',
        `${this.name} is not entered, so it cannot exit. Call enter() first, or use run(fn).`,
      );
    }
    this.scopes = undefined;
    for (let i = scopes.length - 1; i >= 0; i--) scopes[i]!.exit();
  }

  /**
   * Runs `fn` with every member entered, nesting each member's own `run`, so the scope follows
   * `fn` into its async continuations only; a member that fails to enter unwinds the others.
   */
  run<R>(fn: () => R): R {
    this.assertNotEntered();
    const members = [...this.members()];
    const nest = (i: number): R =>
      i === members.length ? fn() : members[i]!.run(() => nest(i + 1));
    return nest(0);
  }

  private assertNotEntered(): void {
    if (this.scopes !== undefined) {
      throw new DistillError(
        'ALREADY_ENTERED',
        `${this.name} is already entered. Exit it before entering again.`,
      );
    }
  }
}
