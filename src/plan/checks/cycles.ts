/**
 * The cycles of a directed graph given as adjacency lists (node → nodes it depends on): one
 * strongly connected component per cycle (self-loops included), each as its node list starting
 * at its lowest index. Iterative Tarjan, so a 10,000-item chain cannot overflow the stack.
 */
export function dependencyCycles(edges: readonly (readonly number[])[]): number[][] {
  const n = edges.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const cycles: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [node, edgeAt] = frame;
      if (edgeAt === 0) {
        index[node] = low[node] = counter++;
        stack.push(node);
        onStack[node] = 1;
      }
      const next = edges[node]?.[edgeAt];
      if (next !== undefined) {
        frame[1] = edgeAt + 1;
        if (index[next] === -1) work.push([next, 0]);
        else if (onStack[next]) low[node] = Math.min(low[node] ?? 0, index[next] ?? 0);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] ?? 0, low[node] ?? 0);
      if (low[node] !== index[node]) continue;
      const component: number[] = [];
      let member: number | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack[member] = 0;
        component.push(member);
      } while (member !== node);
      const selfLoop = edges[node]?.includes(node) ?? false;
      if (component.length > 1 || selfLoop) cycles.push(component.sort((a, b) => a - b));
    }
  }
  return cycles.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
}
