// Verilog modules as the generators build them: a name that encodes the parameters, a header
// naming the generator and the full configuration, the port list, the body, and the modules it
// instantiates. A Design collects modules and emits each distinct one once.
import { shortHash } from '../../util/hash.js';
import { packageInfo, type PackageInfo } from '../../util/package-root.js';
import { range } from './verilog.js';

// Re-exported: the array generators (hdl/) and the package index name it from here.
export { shortHash };

export interface Port {
  dir: 'input' | 'output';
  name: string;
  width: number;
  signed?: boolean;
  /** Driven from an always block. */
  reg?: boolean;
  comment?: string;
}

export interface VModule {
  /** The Verilog module name. */
  readonly name: string;
  /** The name with every parameter spelled out; equal to `name` unless that was too long. */
  readonly longName: string;
  readonly ports: readonly Port[];
  /** Modules this one instantiates. */
  readonly deps: readonly VModule[];
  /** The whole module: header comment, `module ... endmodule`. */
  readonly text: string;
}

/** Module names longer than this fall back to `lbamac_<kind>_<hash>`. */
export const MAX_NAME_LENGTH = 60;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The module name for a unit of `kind` with its parameters, e.g. lbamac_mul_e4m3_e4m3_to_fp16_rtz. */
export function unitName(kind: string, parts: readonly string[]): { name: string; longName: string } {
  const longName = ['lbamac', kind, ...parts].join('_');
  if (!IDENT.test(longName)) throw new Error(`not a Verilog identifier: ${longName}`);
  if (longName.length <= MAX_NAME_LENGTH) return { name: longName, longName };
  return { name: `lbamac_${kind}_${shortHash(longName)}`, longName };
}

/** The generator every file header names: lbamac's package name and version. */
export function generatorInfo(): PackageInfo {
  return packageInfo();
}

/** Builds module bodies line by line; consecutive declarations are aligned in columns. */
export class Body {
  private readonly out: string[] = [];
  private group: { type: string; name: string; rest: string }[] = [];

  /** `wire [w-1:0] name = expr;  // comment` (no `= expr` when expr is omitted). */
  wire(width: number, name: string, expr?: string, comment?: string): this {
    return this.decl(`wire${width > 1 ? ' ' + range(width) : ''}`, name, expr, comment);
  }

  /** A signed wire (exponents). */
  swire(width: number, name: string, expr?: string, comment?: string): this {
    return this.decl(`wire signed ${range(width)}`, name, expr, comment);
  }

  decl(type: string, name: string, expr?: string, comment?: string): this {
    const rest = (expr === undefined ? ';' : ` = ${expr};`) + (comment ? `  // ${comment}` : '');
    this.group.push({ type, name, rest });
    return this;
  }

  comment(...lines: string[]): this {
    this.flush();
    for (const l of lines) this.out.push(l ? `  // ${l}` : '  //');
    return this;
  }

  blank(): this {
    this.flush();
    if (this.out.length > 0 && this.out[this.out.length - 1] !== '') this.out.push('');
    return this;
  }

  /** A raw line, indented once. */
  line(text: string): this {
    this.flush();
    this.out.push(text ? `  ${text}` : '');
    return this;
  }

  /** A module instance with named connections, aligned. */
  instance(module: string, instName: string, conns: [string, string][]): this {
    this.flush();
    const w = Math.max(...conns.map(([p]) => p.length));
    this.out.push(`  ${module} ${instName} (`);
    conns.forEach(([p, s], i) => this.out.push(`    .${p.padEnd(w)} (${s})${i < conns.length - 1 ? ',' : ''}`));
    this.out.push('  );');
    return this;
  }

  lines(): string[] {
    this.flush();
    const out = [...this.out];
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  private flush(): void {
    if (this.group.length === 0) return;
    const tw = Math.max(...this.group.map((d) => d.type.length));
    const nw = Math.max(...this.group.map((d) => d.name.length));
    for (const d of this.group) {
      // `name;  // comment` keeps the semicolon on the name; `name = expr;` aligns the `=`.
      const text = d.rest.startsWith(';') ? `${d.name};`.padEnd(d.rest === ';' ? 0 : nw + 1) + d.rest.slice(1) : `${d.name.padEnd(nw)}${d.rest}`;
      this.out.push(`  ${d.type.padEnd(tw)} ${text}`);
    }
    this.group = [];
  }
}

export interface ModuleSpec {
  kind: string;
  /** Parameters that go into the name, in order (canonical format names, mode, widths). */
  nameParts: readonly string[];
  /** What the module computes, a few lines of prose. */
  summary: readonly string[];
  /** The full configuration, as [key, value] rows of the header. */
  config: readonly [string, string][];
  /** Generator file that built the module, for the header. */
  source: string;
  ports: readonly Port[];
  body: Body;
  deps?: readonly VModule[];
}

/** Renders a module: header comment, ANSI port list, body. ASCII only. */
export function makeModule(spec: ModuleSpec): VModule {
  const { name, longName } = unitName(spec.kind, spec.nameParts);
  const gen = generatorInfo();
  const head: string[] = [`// ${name}`];
  if (longName !== name) head.push(`// (${longName}: the full name is too long, so it is hashed)`);
  head.push(`// Generated by ${gen.name} ${gen.version} (${spec.source}); do not edit.`, '//');
  for (const l of spec.summary) head.push(l ? `// ${l}` : '//');
  head.push('//', '// Configuration:');
  const kw = Math.max(...spec.config.map(([k]) => k.length));
  for (const [k, v] of spec.config) head.push(`//   ${k.padEnd(kw)}  ${v}`);

  const decls = spec.ports.map((p) => `${p.dir === 'input' ? 'input ' : 'output'} ${p.reg ? 'reg ' : 'wire'}${p.signed ? ' signed' : ''}${p.width > 1 ? ' ' + range(p.width) : ''}`);
  const dw = Math.max(...decls.map((d) => d.length));
  const nw = Math.max(...spec.ports.map((p) => p.name.length + 1));
  const portLines = spec.ports.map((p, i) => {
    const sep = i < spec.ports.length - 1 ? ',' : '';
    const text = `  ${decls[i]!.padEnd(dw)} ${(p.name + sep).padEnd(nw)}`;
    return p.comment ? `${text}  // ${p.comment}` : text.trimEnd();
  });
  const text = [...head, `module ${name} (`, ...portLines, ');', ...spec.body.lines(), 'endmodule', ''].join('\n');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`module ${name}: generated text is not ASCII`);
  return { name, longName, ports: spec.ports, deps: spec.deps ?? [], text };
}

/** One Verilog file of a module, with the nettype guard around it. */
export function moduleFileText(m: Pick<VModule, 'text'>): string {
  return ['`default_nettype none', '', m.text, '`default_nettype wire', ''].join('\n');
}

/** A set of modules, each distinct one once, dependencies before their users. */
export class Design {
  private readonly byName = new Map<string, VModule>();

  /** Adds a module and everything it instantiates; returns it for chaining. */
  add(m: VModule): VModule {
    const known = this.byName.get(m.name);
    if (known) {
      if (known.text !== m.text) throw new Error(`two different modules are both named ${m.name}`);
      return known;
    }
    for (const d of m.deps) this.add(d);
    this.byName.set(m.name, m);
    return m;
  }

  get modules(): VModule[] {
    return [...this.byName.values()];
  }

  /** One file per module, named after it (what `verilator -Wall` expects: DECLFILENAME). */
  files(): { path: string; text: string }[] {
    return this.modules.map((m) => ({ path: `${m.name}.v`, text: moduleFileText(m) }));
  }

  /** Every module in one file, for tools that take a single source. */
  singleFile(): string {
    const gen = generatorInfo();
    const head = [`// Generated by ${gen.name} ${gen.version}; do not edit.`, `// Modules: ${this.modules.map((m) => m.name).join(', ')}`, ''];
    return [...head, '`default_nettype none', '', ...this.modules.map((m) => m.text), '`default_nettype wire', ''].join('\n');
  }
}
