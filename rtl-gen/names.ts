// Module names of a generated design. The unit generators name their modules themselves (the same
// unit is the same module in every configuration), so a finished design is renamed as a whole:
// a prefix before every module name and a name of the user's choice for the top, so that two
// configurations can live in one design without two modules of the same name.
import { LbamacError } from '../core/errors.js';
import type { VModule } from './back/module.js';

export interface ModuleNaming {
  /** Put before every module name (the top's too, unless `top` is given). */
  prefix: string;
  /** The top module's name; default: the prefix and the generator's top name. */
  top?: string;
}

export const DEFAULT_NAMING: ModuleNaming = { prefix: '' };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Verilog-2005 keywords (IEEE 1364-2005 Annex B): not usable as a module name. */
const KEYWORDS = new Set(
  (
    'always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default defparam design disable edge else end ' +
    'endcase endconfig endfunction endgenerate endmodule endprimitive endspecify endtable endtask event for force forever fork function generate ' +
    'genvar highz0 highz1 if ifnone incdir include initial inout input instance integer join large liblist library localparam macromodule medium ' +
    'module nand negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 pulldown pullup ' +
    'pulsestyle_ondetect pulsestyle_onevent rcmos real realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled ' +
    'signed small specify specparam strong0 strong1 supply0 supply1 table task time tran tranif0 tranif1 tri tri0 tri1 triand trior trireg ' +
    'unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor'
  ).split(' '),
);

/** Why `name` cannot be a Verilog module name (or the start of one, for a prefix: empty is no prefix), or null if it can. */
export function identifierProblem(name: string, isPrefix: boolean): 'syntax' | 'keyword' | null {
  if (isPrefix && name === '') return null;
  if (!IDENTIFIER.test(name)) return 'syntax';
  return !isPrefix && KEYWORDS.has(name) ? 'keyword' : null;
}

export interface NamedModule {
  name: string;
  longName: string;
  text: string;
}

export function renamedTop(top: string, naming: ModuleNaming): string {
  return naming.top ?? naming.prefix + top;
}

/** The modules renamed (in text too: declarations, instances and comments name them), in the same order. */
export function renameModules(modules: readonly VModule[], top: string, naming: ModuleNaming): NamedModule[] {
  const newName = new Map(modules.map((m) => [m.name, m.name === top ? renamedTop(top, naming) : naming.prefix + m.name]));
  const clash = modules.find((m) => m.name !== top && newName.get(m.name) === renamedTop(top, naming));
  if (clash) throw new LbamacError(`the top name ${renamedTop(top, naming)} is also the name of a module of the array; choose another`);
  // A hashed name's header spells out the long name: renamed alike.
  for (const m of modules) if (m.longName !== m.name) newName.set(m.longName, naming.prefix + m.longName);
  // Every generated module name starts with the generator's own prefix, and no wire or instance is
  // named like a module, so whole identifiers found in the map are module names.
  const pattern = new RegExp(`\\b(${[...newName.keys()].join('|')})\\b`, 'g');
  return modules.map((m) => ({ name: newName.get(m.name)!, longName: newName.get(m.longName)!, text: m.text.replace(pattern, (old) => newName.get(old)!) }));
}
