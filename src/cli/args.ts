// Splits argv into positional words, `--name value` / `--name=value` options and bare switches.
export class UsageError extends Error {}

export type ParsedArgs = { words: string[]; options: Record<string, string>; switches: Set<string> };

export function parseArgs(argv: readonly string[], switchNames: readonly string[]): ParsedArgs {
  const words: string[] = [];
  const options: Record<string, string> = {};
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (switchNames.includes(name)) {
      if (eq !== -1) throw new UsageError(`${name} takes no value`);
      switches.add(name);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
    if (name in options) throw new UsageError(`${name} given twice`);
    options[name] = value;
  }
  return { words, options, switches };
}

/** Takes the options a command owns out of `options`, so what is left can be checked as config flags. */
export function takeOptions(options: Record<string, string>, names: readonly string[]): Record<string, string> {
  const taken: Record<string, string> = {};
  for (const name of names) {
    if (name in options) {
      taken[name] = options[name] as string;
      delete options[name];
    }
  }
  return taken;
}
