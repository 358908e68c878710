/** A small segment trie implementing the {@link RouteTable} of the contract. Literal segments win over placeholders. */
import type { FakeHandler, FakeMethod, RouteTable } from './contract.js';

interface Node {
  literals: Map<string, Node>;
  param?: { name: string; node: Node };
  handlers: Map<FakeMethod, { pattern: string; handler: FakeHandler }>;
}

const node = (): Node => ({ literals: new Map(), handlers: new Map() });

export interface RouteMatch {
  pattern: string;
  handler: FakeHandler;
  params: Record<string, string>;
  /** The method the handler was registered for (a POST may run a PUT handler, spec/API.md §1.10). */
  method: FakeMethod;
}

export class Router implements RouteTable {
  private readonly root = node();
  readonly patterns: string[] = [];

  add(method: FakeMethod, pattern: string, handler: FakeHandler): void {
    let n = this.root;
    for (const seg of pattern.split('/').filter(Boolean)) {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        if (!n.param) n.param = { name: m[1] as string, node: node() };
        else if (n.param.name !== m[1]) {
          // Same template with another placeholder name: keep the first name, alias the second.
          const first = n.param.name;
          const second = m[1] as string;
          const inner = handler;
          handler = (req) => inner({ ...req, params: { ...req.params, [second]: req.params[first] as string } });
        }
        n = n.param.node;
      } else {
        let next = n.literals.get(seg);
        if (!next) n.literals.set(seg, (next = node()));
        n = next;
      }
    }
    if (n.handlers.has(method)) throw new Error(`route registered twice: ${method} ${pattern}`);
    n.handlers.set(method, { pattern, handler });
    this.patterns.push(`${method} ${pattern}`);
  }

  /** Find the node for decoded segments; literals first, then placeholders (with backtracking). */
  private find(n: Node, segs: string[], i: number, params: string[][]): Node | undefined {
    if (i === segs.length) return n.handlers.size > 0 ? n : undefined;
    const seg = segs[i] as string;
    const lit = n.literals.get(seg);
    if (lit) {
      const hit = this.find(lit, segs, i + 1, params);
      if (hit) return hit;
    }
    // An empty segment fills a placeholder with an empty value, as live (`profile//fields` has an
    // empty ID); the handlers and routes/paths.ts answer it with the slot's own message.
    if (n.param) {
      params.push([n.param.name, seg]);
      const hit = this.find(n.param.node, segs, i + 1, params);
      if (hit) return hit;
      params.pop();
    }
    return undefined;
  }

  /** Whether some route starts with this literal segment (e.g. `profile`). */
  hasFirst(seg: string): boolean {
    return this.root.literals.has(seg);
  }

  match(method: FakeMethod, segs: string[]): RouteMatch | undefined {
    const params: string[][] = [];
    const n = this.find(this.root, segs, 0, params);
    if (!n) return undefined;
    let h = n.handlers.get(method);
    let used = method;
    if (!h && method === 'POST') {
      h = n.handlers.get('PUT'); // POST to a PUT-only path is handled as PUT
      used = 'PUT';
    }
    if (!h) return undefined;
    return { pattern: h.pattern, handler: h.handler, params: Object.fromEntries(params), method: used };
  }
}
