import { describe, expect, it } from '@jest/globals';
import { RequestMethod, type Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, MODULE_METADATA } from '@nestjs/common/constants.js';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/app-config.js';
import { IdempotencyInterceptor, UploadIdempotencyInterceptor } from './idempotency.interceptor.js';

/** Every route handler of the app's modules: its HTTP method, name and the interceptors bound to it. */
function routes(): { method: RequestMethod; name: string; interceptors: unknown[] }[] {
  const modules = (AppModule.register(loadConfig({}), { worker: false }).imports ?? []) as Type[];
  return modules.flatMap((module) =>
    ((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as Type[]).flatMap((controller) => {
      const prototype = controller.prototype as Record<string, unknown>;
      return Object.getOwnPropertyNames(prototype).flatMap((name) => {
        const handler = prototype[name];
        if (typeof handler !== 'function') return [];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) return [];
        return [
          {
            method,
            name: `${controller.name}.${name}`,
            interceptors: (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[],
          },
        ];
      });
    }),
  );
}

describe('IdempotencyInterceptor binding', () => {
  it('runs first on every POST route but the one safe to repeat, once however often the app is built, and on no other route', () => {
    routes();
    const all = routes();
    const posts = all.filter((route) => route.method === RequestMethod.POST);
    const bound = posts.filter((route) => route.interceptors[0] === IdempotencyInterceptor);
    expect(posts.filter((route) => !bound.includes(route)).map((route) => route.name)).toEqual(['LabelsController.print']);
    expect(bound.every((route) => route.interceptors.filter((i) => i === IdempotencyInterceptor).length === 1)).toBe(true);
    expect(all.filter((route) => route.method !== RequestMethod.POST && route.interceptors.length > 0)).toEqual([]);
    // The upload route parses its file, then hashes it with the request.
    const upload = bound.find((route) => route.interceptors.includes(UploadIdempotencyInterceptor));
    expect(upload?.interceptors).toHaveLength(3);
    expect(upload?.interceptors[2]).toBe(UploadIdempotencyInterceptor);
  });
});
