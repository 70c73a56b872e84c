// The first k slots of an order without sorting every slot (a page of the ranking,
// docs/adr/0015-columnar-rescore.md "A page of the ranking"): a bounded heap whose root is the
// last of the k kept so far, so most slots cost one comparison with it and are passed over.

/**
 * The first `k` of `slots` in the order `before` gives (a strict total order: for two different
 * slots exactly one of before(a, b), before(b, a) holds), first first.
 */
export function topSlots(slots: Int32Array, k: number, before: (a: number, b: number) => boolean): Int32Array {
  const heap = new Int32Array(Math.min(k, slots.length));
  if (heap.length === 0) return heap;
  let size = 0;
  for (let j = 0; j < slots.length; j++) {
    const s = slots[j]!;
    if (size < heap.length) {
      // up while the parent comes before the newcomer (every parent comes after its children)
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!before(heap[p]!, s)) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = s;
    } else if (before(s, heap[0]!)) {
      // the newcomer displaces the last of the kept: down to where no child comes after it
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && before(heap[l]!, heap[r]!) ? r : l;
        if (!before(s, heap[c]!)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = s;
    }
  }
  return heap.sort((a, b) => (a === b ? 0 : before(a, b) ? -1 : 1));
}
