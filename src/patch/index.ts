/** Framework-agnostic interception: targets, one wrapper per target, exact restore. */
export type {
  AnyClass,
  AnyFunction,
  FunctionKeys,
  FunctionTarget,
  MethodTarget,
  PatchPoint,
} from './target.js';
export type { Interceptor, InterceptorRole, Invocation } from './interceptor.js';
export { INTERCEPTOR_ROLES } from './interceptor.js';
export { Activation, isThenable } from './activation.js';
export { isPatched } from './site.js';
export { resolveFunctionTarget, resolveMethodTarget } from './resolve.js';
export type { ResolveFrom } from './module-path.js';
export { scopeStore, type ScopeStore } from './scope.js';
