import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DistillError,
  FunctionOutputsDelivery,
  MethodOutputsDelivery,
  isPatched,
} from '../../src/index.js';
import { distillError, snapshot } from '../helpers/errors.js';
import { fixturesDir } from '../helpers/paths.js';

const require = createRequire(fixturesDir);

interface Defining {
  assignLabels(n: number): number[];
}
interface Consumer {
  headForward(n: number): number[];
}

describe('FunctionOutputsDelivery string paths', () => {
  it('resolves a relative path from resolveFrom and delivers through the defining CommonJS module', () => {
    const consumer = require('./cjs-consumer.cjs') as Consumer;
    const delivery = new FunctionOutputsDelivery({
      funcPath: './cjs-defining.cjs#assignLabels',
      resolveFrom: fixturesDir,
    });
    const teacher = delivery.run(() => consumer.headForward(3));
    delivery.overrideData = true;
    const student = delivery.run(() => consumer.headForward(3));
    assert.deepEqual(student, teacher);
  });

  it('resolves from a module URL such as import.meta.url', () => {
    const delivery = new FunctionOutputsDelivery({
      funcPath: './cjs-defining.cjs#assignLabels',
      resolveFrom: pathToFileURL(`${fixturesDir}any.js`),
    });
    assert.match(delivery.target, /cjs-defining/);
  });

  it('resolves an absolute path and a member chain', () => {
    const delivery = new FunctionOutputsDelivery({
      funcPath: `${fixturesDir}esm-module.mjs#ops.mix`,
    });
    assert.match(delivery.target, /ops\.mix/);
  });

  it('rejects a path that is neither a string nor an object with a TypeError', () => {
    for (const bad of [42, null, undefined, true]) {
      assert.throws(
        () => new FunctionOutputsDelivery({ funcPath: bad as unknown as string }),
        (e: unknown) =>
          e instanceof TypeError && e instanceof DistillError && /funcPath/.test(e.message),
      );
    }
  });

  it('rejects a path without a member, naming the path and the expected form', () => {
    for (const bad of ['./cjs-defining.cjs', './cjs-defining.cjs#', '#fn']) {
      assert.throws(
        () => new FunctionOutputsDelivery({ funcPath: bad, resolveFrom: fixturesDir }),
        distillError('INVALID_PATH', /<module>#<member>/),
      );
    }
  });

  it('rejects an unknown module, naming it and the base directory', () => {
    assert.throws(
      () => new FunctionOutputsDelivery({ funcPath: './nope.cjs#fn', resolveFrom: fixturesDir }),
      distillError('MODULE_NOT_FOUND', /"\.\/nope\.cjs"/, /resolveFrom/),
    );
    assert.throws(
      () => new FunctionOutputsDelivery({ funcPath: 'no-such-package-xyz#fn' }),
      distillError('MODULE_NOT_FOUND', /no-such-package-xyz/),
    );
  });

  it('reports a module that throws while loading, keeping the cause', () => {
    assert.throws(
      () =>
        new FunctionOutputsDelivery({
          funcPath: './throws-on-load.cjs#fn',
          resolveFrom: fixturesDir,
        }),
      (e: unknown) =>
        distillError('MODULE_NOT_FOUND', /broken module/)(e) && (e as Error).cause instanceof Error,
    );
  });

  it('explains that a module with top-level await cannot be loaded by a string path', () => {
    assert.throws(
      () =>
        new MethodOutputsDelivery({ methodPath: './tla.mjs#Late.run', resolveFrom: fixturesDir }),
      distillError('MODULE_NOT_FOUND', /top-level await/),
    );
  });

  it('rejects a missing member, listing what the module has', () => {
    assert.throws(
      () =>
        new FunctionOutputsDelivery({
          funcPath: './cjs-defining.cjs#assign',
          resolveFrom: fixturesDir,
        }),
      distillError('MEMBER_NOT_FOUND', /"assign"/, /assignLabels/),
    );
    assert.throws(
      () =>
        new FunctionOutputsDelivery({
          funcPath: './esm-module.mjs#ops.nope',
          resolveFrom: fixturesDir,
        }),
      distillError('MEMBER_NOT_FOUND', /ops/, /"nope"/),
    );
  });

  it('rejects a member that is not a function', () => {
    assert.throws(
      () =>
        new FunctionOutputsDelivery({
          funcPath: './esm-module.mjs#notAFunction',
          resolveFrom: fixturesDir,
        }),
      distillError('NOT_A_FUNCTION', /notAFunction/, /42/),
    );
  });

  it('refuses an ES module namespace export, saying why and what to target instead', () => {
    assert.throws(
      () =>
        new FunctionOutputsDelivery({
          funcPath: './esm-module.mjs#toyFunc',
          resolveFrom: fixturesDir,
        }),
      distillError(
        'UNPATCHABLE_TARGET',
        /ES module namespace/,
        /sealed/,
        /class method|\{ owner, name \}/,
      ),
    );
  });

  it('refuses an export * re-export getter, pointing at the defining module', () => {
    const reexport = require('./cjs-reexport.cjs') as Defining;
    const before = snapshot(reexport, 'assignLabels');
    assert.throws(
      () =>
        new FunctionOutputsDelivery({
          funcPath: './cjs-reexport.cjs#assignLabels',
          resolveFrom: fixturesDir,
        }),
      distillError('UNPATCHABLE_TARGET', /re-export/, /defines the function/),
    );
    assert.deepEqual(snapshot(reexport, 'assignLabels'), before);
  });

  it('refuses a frozen object', () => {
    assert.throws(
      () =>
        new FunctionOutputsDelivery({ funcPath: './frozen.cjs#compute', resolveFrom: fixturesDir }),
      distillError('UNPATCHABLE_TARGET', /frozen/),
    );
  });

  it('refuses an object that inherits the function but cannot take an own wrapper', () => {
    const owner = Object.preventExtensions(Object.create({ fn: () => 1 }) as { fn: () => number });
    assert.throws(
      () => new FunctionOutputsDelivery({ funcPath: { owner, name: 'fn' } }),
      distillError('UNPATCHABLE_TARGET', /non-extensible/),
    );
  });

  it('rejects an object-form owner that is not an object, and a missing member', () => {
    assert.throws(
      () =>
        new FunctionOutputsDelivery({
          funcPath: { owner: 3 as unknown as object, name: 'x' as never },
        }),
      (e: unknown) => e instanceof TypeError && /owner/.test(e.message),
    );
    const owner = { a: () => 1 };
    assert.throws(
      () => new FunctionOutputsDelivery({ funcPath: { owner, name: 'b' as 'a' } }),
      distillError('MEMBER_NOT_FOUND', /"b"/, /it has: a/),
    );
  });
});

describe('MethodOutputsDelivery string paths', () => {
  it('delivers a class method of an ES module', async () => {
    const mod = (await import(`${pathToFileURL(fixturesDir).href}esm-module.mjs`)) as {
      Augment: { new (): { call(b: number[]): number[] }; prototype: object };
    };
    const delivery = new MethodOutputsDelivery({
      methodPath: './esm-module.mjs#Augment.call',
      resolveFrom: fixturesDir,
    });
    const aug = new mod.Augment();
    const teacher = delivery.run(() => aug.call([1, 2]));
    delivery.overrideData = true;
    const student = delivery.run(() => new mod.Augment().call([1, 2]));
    assert.deepEqual(student, teacher);
    assert.equal(isPatched(mod.Augment.prototype, 'call'), false);
  });

  it('rejects a path without a method name', () => {
    assert.throws(
      () =>
        new MethodOutputsDelivery({
          methodPath: './esm-module.mjs#Augment',
          resolveFrom: fixturesDir,
        }),
      distillError('INVALID_PATH', /<Class>\.<method>/),
    );
  });

  it('rejects a getter where a method is expected', () => {
    assert.throws(
      () =>
        new MethodOutputsDelivery({
          methodPath: './esm-module.mjs#Augment.scale',
          resolveFrom: fixturesDir,
        }),
      distillError('NOT_A_FUNCTION', /getter/),
    );
  });

  it('rejects a member that is not a class, and an unknown method listing the methods', () => {
    assert.throws(
      () =>
        new MethodOutputsDelivery({
          methodPath: './esm-module.mjs#ops.mix',
          resolveFrom: fixturesDir,
        }),
      distillError('NOT_A_FUNCTION', /not a class/),
    );
    assert.throws(
      () =>
        new MethodOutputsDelivery({
          methodPath: './esm-module.mjs#Augment.cal',
          resolveFrom: fixturesDir,
        }),
      distillError('MEMBER_NOT_FOUND', /"cal"/, /call/),
    );
  });

  it('warns about a package with separate ES module and CommonJS builds', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      new MethodOutputsDelivery({ methodPath: 'dual-pkg#Mixer.call', resolveFrom: fixturesDir });
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    const warning = warnings.find(
      (w) => (w as { code?: string }).code === 'TFJS_DISTILL_DUAL_PACKAGE',
    );
    assert.ok(warning, 'expected a TFJS_DISTILL_DUAL_PACKAGE warning');
    assert.match(warning.message, /dual-pkg/);
    assert.match(warning.message, /\{ cls, name \}/);
  });
});
