/**
 * Finds the contract operation for a request, the way API Gateway matches a method on a resource:
 * the first path segment is the stage, each `{name}` segment of the resource matches one non-empty
 * segment, and the method must be one the resource declares.
 */
import { type HttpMethod, type OperationSpec, operations } from '@kproxy/contract';

export interface RouteMatch {
  readonly operation: OperationSpec;
  /** Path parameters, percent-decoded. */
  readonly pathParams: Record<string, string>;
}

interface CompiledRoute {
  readonly operation: OperationSpec;
  readonly segments: readonly ({ literal: string } | { param: string })[];
}

function compileRoute(operation: OperationSpec): CompiledRoute {
  const segments = operation.path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      return param ? { param } : { literal: segment };
    });
  return { operation, segments };
}

export class Router {
  readonly #routes: readonly CompiledRoute[];

  constructor(
    readonly stage: string,
    specs: readonly OperationSpec[] = Object.values(operations),
  ) {
    this.#routes = specs.map(compileRoute);
  }

  /**
   * The operation for `method` on `pathname` (the raw, percent-encoded request path), or undefined
   * when API Gateway would answer "Missing Authentication Token".
   */
  match(method: string, pathname: string): RouteMatch | undefined {
    const rest = this.#resourceSegments(pathname);
    if (!rest) return undefined;
    for (const route of this.#routes) {
      if (route.operation.method !== method || route.segments.length !== rest.length) continue;
      const pathParams = matchSegments(route, rest);
      if (pathParams) return { operation: route.operation, pathParams };
    }
    return undefined;
  }

  /** The methods the resource at `pathname` has (a CORS preflight lists them); empty when none. */
  methodsAt(pathname: string): HttpMethod[] {
    const rest = this.#resourceSegments(pathname);
    if (!rest) return [];
    const methods = this.#routes
      .filter((route) => route.segments.length === rest.length && matchSegments(route, rest))
      .map((route) => route.operation.method);
    return [...new Set(methods)];
  }

  /** The path segments below the stage, or undefined when the stage is not this API's. */
  #resourceSegments(pathname: string): string[] | undefined {
    const [stage, ...rest] = pathname.split('/').slice(1);
    if (stage !== this.stage) return undefined;
    // A trailing slash names the same resource, as in API Gateway.
    if (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
    return rest;
  }
}

function matchSegments(route: CompiledRoute, actual: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    const value = actual[i]!;
    if ('literal' in segment) {
      if (segment.literal !== value) return undefined;
    } else {
      if (value === '') return undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        return undefined;
      }
      params[segment.param] = decoded;
    }
  }
  return params;
}
