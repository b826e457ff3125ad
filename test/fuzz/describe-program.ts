/**
 * Prints a fuzzed program as TypeScript-like pseudo-code, so a shrunk counterexample reads as
 * a test case.
 */
import type { ActorSpec, CallOp, Op, Program } from './program.js';
import type { TargetName } from './world.js';

const TARGET_TEXT: Record<TargetName, string> = {
  compute: 'ops.compute',
  load: 'ops.load',
  tensors: 'ops.tensors',
  forward: 'A.prototype.forward',
  inherited: 'B.prototype.forward (inherited from A)',
};

/** The index of the actor an op's `actor` number picks (modulo the eligible actors). */
export function pickActor(actors: readonly ActorSpec[], n: number): number {
  return n % actors.length;
}

/** The indices of the actors whose `overrideData` can be set (deliveries, delivery managers). */
export function switchable(actors: readonly ActorSpec[]): number[] {
  return actors.flatMap((a, i) =>
    a.kind === 'delivery' || a.kind === 'deliveryManager' ? [i] : [],
  );
}

/** The actor's name in printed programs: d0, d1, ..., r0, ..., dm, rm. */
export function actorName(actors: readonly ActorSpec[], i: number): string {
  const spec = actors[i]!;
  if (spec.kind === 'deliveryManager') return 'dm';
  if (spec.kind === 'recorderManager') return 'rm';
  const first = actors.findIndex((a) => a.kind === spec.kind);
  return `${spec.kind === 'delivery' ? 'd' : 'r'}${i - first}`;
}

function declare(actors: readonly ActorSpec[], spec: ActorSpec, i: number): string {
  const name = actorName(actors, i);
  const method = (t: TargetName): boolean => t === 'forward' || t === 'inherited';
  switch (spec.kind) {
    case 'delivery':
      return (
        `${name} = new ${method(spec.target) ? 'Method' : 'Function'}OutputsDelivery(${TARGET_TEXT[spec.target]}, ` +
        `maxKeepData ${spec.maxKeepData}, overrideData ${spec.overrideData})`
      );
    case 'recorder': {
      const part = spec.part === 'outputs' ? 'Outputs' : 'Inputs';
      return `${name} = new ${method(spec.target) ? 'Method' : 'Function'}${part}Recorder(${TARGET_TEXT[spec.target]})`;
    }
    default: {
      const cls = spec.kind === 'deliveryManager' ? 'DistillDeliveryManager' : 'RecorderManager';
      return `${name} = new ${cls}([${spec.members.map((m) => actorName(actors, m)).join(', ')}])`;
    }
  }
}

function callText(op: CallOp, inAsync: boolean): string {
  const x = op.fail ? '-1 /* original throws */' : String(op.x);
  const expr = {
    compute: `ops.compute(${x})`,
    load: `ops.load(${x})`,
    tensors: `ops.tensors(${x})`,
    onA: `new A().forward(${x})`,
    onB: `new B().forward(${x})`,
  }[op.site];
  const awaited = op.site === 'load' && op.awaitNow && inAsync ? `await ${expr}` : expr;
  const tidied = op.site === 'tensors' && op.tidy ? `tf.tidy(() => ${awaited})` : awaited;
  return op.rethrow ? `${tidied}; // an error ends the body` : `${tidied};`;
}

function lines(
  actors: readonly ActorSpec[],
  ops: readonly Op[],
  inAsync: boolean,
  indent: string,
): string[] {
  const out: string[] = [];
  const name = (n: number): string => actorName(actors, pickActor(actors, n));
  for (const op of ops) {
    switch (op.op) {
      case 'call':
        out.push(indent + callText(op, inAsync));
        break;
      case 'enter':
        out.push(`${indent}scopes.push(${name(op.actor)}.enter());`);
        break;
      case 'exit':
        out.push(
          op.via === 'scope'
            ? `${indent}scopes[${op.pick} % scopes.length].exit();`
            : `${indent}${name(op.pick)}.exit();`,
        );
        break;
      case 'override': {
        const targets = switchable(actors);
        const who = targets.length
          ? actorName(actors, targets[op.actor % targets.length]!)
          : '(none)';
        out.push(`${indent}${who}.overrideData = ${op.value};`);
        break;
      }
      case 'clear': {
        const i = pickActor(actors, op.actor);
        const kind = actors[i]!.kind;
        const verb = kind === 'recorder' || kind === 'recorderManager' ? 'reset' : 'clear';
        out.push(`${indent}${actorName(actors, i)}.${verb}();`);
        break;
      }
      case 'run': {
        const run = `${name(op.actor)}.run(${op.async ? 'async ' : ''}() => {`;
        const pending = op.meanwhile.length > 0;
        const head = !op.async ? run : pending ? `const pending = ${run}` : `await ${run}`;
        out.push(indent + head);
        if (op.async) out.push(`${indent}  await tick();`);
        out.push(...lines(actors, op.body, op.async, `${indent}  `));
        out.push(`${indent}});`);
        if (pending) {
          for (const call of op.meanwhile) {
            out.push(`${indent}${callText(call, false)} // outside the run, while it is pending`);
          }
          out.push(`${indent}await pending;`);
        }
        break;
      }
      case 'using':
        out.push(`${indent}{`, `${indent}  using scope = ${name(op.actor)}.enter();`);
        out.push(...lines(actors, op.body, false, `${indent}  `));
        out.push(`${indent}}`);
        break;
      case 'throw':
        out.push(`${indent}throw new Error('body fails');`);
        break;
      case 'await':
        out.push(`${indent}await tick();`);
        break;
    }
  }
  return out;
}

/** The program as pseudo-code: the actors, then the steps. */
export function describeProgram(program: Program): string {
  const { actors, ops } = program;
  return [
    '',
    ...actors.map((spec, i) => `// ${declare(actors, spec, i)}`),
    ...lines(actors, ops, true, ''),
  ].join('\n');
}
