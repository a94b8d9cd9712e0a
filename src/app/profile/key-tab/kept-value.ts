import { linkedSignal, type Resource, type Signal } from '@angular/core';

/**
 * The resource's value; while it loads again for new params, the value it had. A resource drops
 * its value when its params change, so a row drawn from it would vanish for a moment after every
 * dialog: it would blink, the panels below it would be built again, and the focus the dialog gives
 * back to the row's button would fall to the page.
 */
export function keptValue<T>(resource: Resource<T | undefined>): Signal<T | undefined> {
  return linkedSignal<{ value: T | undefined; loading: boolean }, T | undefined>({
    source: () => ({
      value: resource.hasValue() ? resource.value() : undefined,
      loading: resource.isLoading(),
    }),
    computation: ({ value, loading }, previous) => value ?? (loading ? previous?.value : undefined),
  });
}
