import { Injector, resource, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { keptValue } from './kept-value';

describe('keptValue', () => {
  it('keeps the last value while the resource loads for new params, and drops it when idle', async () => {
    const params = signal<number | undefined>(1);
    const pending: ((value: string) => void)[] = [];
    const injector = TestBed.inject(Injector);
    const source = resource({
      params: () => params(),
      loader: ({ params: n }) => new Promise<string>((r) => pending.push((v) => r(`${v}${n}`))),
      injector,
    });
    const kept = keptValue(source);
    const settle = async () => {
      TestBed.tick();
      await new Promise((r) => setTimeout(r));
      TestBed.tick();
    };

    await settle();
    expect(kept()).toBeUndefined();
    pending.shift()!('key');
    await settle();
    expect(kept()).toBe('key1');

    params.set(2);
    await settle();
    expect(source.hasValue()).toBeFalse();
    expect(kept()).toBe('key1');
    pending.shift()!('key');
    await settle();
    expect(kept()).toBe('key2');

    params.set(undefined);
    await settle();
    expect(kept()).toBeUndefined();
  });
});
