// Statements compiled once per shape: a hot statement is built and compiled with a placeholder
// (a Slot) for each value that changes from one run to the next, kept by a key naming
// everything else its text depends on, and each run only binds its values to the placeholders.
// Building and compiling a statement of a few dozen parameters with Kysely costs more than
// binding by far (the sale's statement: about 150 µs against a few).
import type { CompiledQuery } from 'kysely';
import { LRUCache } from 'lru-cache';

/** Where a value of the run goes in a statement compiled once. */
class Slot {
  constructor(readonly name: string) {}
}

export class CompiledOnce<Values extends Record<string, unknown>, Row> {
  readonly #compiled: LRUCache<string, CompiledQuery<Row>>;

  constructor(max = 100) {
    this.#compiled = new LRUCache({ max });
  }

  /**
   * The statement for `shape` with `values` bound: `compile` runs on the shape's first run only,
   * given a placeholder for each value. It must use each only as a parameter, never read it
   * (to choose a clause, say): whatever it reads of the run belongs in `shape`.
   */
  bind(shape: string, values: Values, compile: (slots: Values) => CompiledQuery<Row>): CompiledQuery<Row> {
    let compiled = this.#compiled.get(shape);
    if (!compiled) {
      const slots = Object.fromEntries(Object.keys(values).map((name) => [name, new Slot(name)])) as Values;
      compiled = compile(slots);
      this.#compiled.set(shape, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p instanceof Slot ? values[p.name] : p));
    return { ...compiled, parameters };
  }
}
