/**
 * Stripe's request encoding: application/x-www-form-urlencoded with bracket notation
 * (`metadata[paymentId]=…`, `automatic_payment_methods[enabled]=true`, `expand[0]=latest_charge`).
 * Values stay strings, as Stripe receives them; objects whose keys are all indexes become arrays.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseForm(encoded: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = keyPath(key);
    if (path.some((seg) => seg === '__proto__' || seg === 'constructor' || seg === 'prototype')) continue;
    let node = root as Record<string, FormValue>;
    for (let i = 0; i < path.length; i++) {
      let seg = path[i];
      if (seg === '') seg = String(Object.keys(node).length); // `a[]=x`: the next index
      if (i === path.length - 1) {
        node[seg] = value;
      } else {
        const next = node[seg];
        if (typeof next !== 'object' || next === null) node[seg] = {};
        node = node[seg] as Record<string, FormValue>;
      }
    }
  }
  return arrayify(root) as Record<string, FormValue>;
}

function keyPath(key: string): string[] {
  const head = key.match(/^[^[]*/)?.[0] ?? key;
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
  return [head, ...rest];
}

function arrayify(v: FormValue): FormValue {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  const converted: Record<string, FormValue> = {};
  for (const k of keys) converted[k] = arrayify(v[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]);
  }
  return converted;
}
