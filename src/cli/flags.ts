// Command-line flags for the agents' config fields: the kebab-case of each field name (`--actor-lr`), made
// from the field table in src/rl/config.ts, parsed with util.parseArgs.
import { ALGORITHMS, type Algorithm } from '../rl/algorithms.js';
import { FIELDS, type Td3Config } from '../rl/config.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

type Field = keyof Td3Config;

/** Fields that get a flag: all but those the env sets, and seed (a run option: it seeds everything). */
const FLAG_FIELDS = (Object.keys(FIELDS) as Field[]).filter((f) => FIELDS[f].flag !== 'env' && f !== 'seed');

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** parseArgs option specs for the fields of every algorithm (all taken as strings, converted by configFromFlags). */
export function configOptions(): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(FLAG_FIELDS.map((f) => [kebab(f), { type: FIELDS[f].flag === 'boolean' ? 'boolean' as const : 'string' as const }]));
}

/** The config fields given on the command line, converted and checked for form (values are checked by the
 *  algorithm's config). A flag of a field `algo` does not have is a UsageError. */
export function configFromFlags(values: Record<string, unknown>, algo: Algorithm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FLAG_FIELDS) {
    const raw = values[kebab(field)];
    if (raw === undefined) continue;
    const flag = `--${kebab(field)}`;
    if (!algo.fields.includes(field)) {
      throw new UsageError(`${flag} is not a setting of ${algo.title} (--algo ${algo.name}); it belongs to ${owners(field)}`);
    }
    const text = String(raw);
    switch (FIELDS[field].flag) {
      case 'number': {
        const v = Number(text);
        if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${flag} expects a number, got '${text}'`);
        out[field] = v;
        break;
      }
      case 'boolean':
        out[field] = raw === true;
        break;
      case 'sizes': {
        const parts = text.split(',').map((s) => Number(s.trim()));
        if (!parts.length || parts.some((v) => !Number.isInteger(v) || v <= 0)) {
          throw new UsageError(`${flag} expects comma-separated positive integers like 256,256, got '${text}'`);
        }
        out[field] = parts;
        break;
      }
      default:
        out[field] = text;
    }
  }
  return out;
}

/** One line per flag of `algo`: the value that will be used (`config`), then what it means. */
export function configHelp(algo: Algorithm, config: Record<string, unknown>): string {
  return FLAG_FIELDS.filter((f) => algo.fields.includes(f)).map((f) => {
    const v = config[f];
    return `  --${kebab(f).padEnd(22)} ${(Array.isArray(v) ? v.join(',') : String(v)).padEnd(9)} ${FIELDS[f].doc}`;
  }).join('\n');
}

function owners(field: Field): string {
  return Object.values(ALGORITHMS).filter((a) => a.fields.includes(field)).map((a) => `${a.title} (--algo ${a.name})`).join(', ');
}

/** `--steps -5` → `--steps=-5`: util.parseArgs reads a token starting with '-' as a flag, so a negative number
 *  given to a string option would be reported as a missing value; joined, it reaches our own check. */
export function flagArgv(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)$/.exec(argv[i]);
    if (m && options[m[1]]?.type === 'string' && i + 1 < argv.length && /^-(\d|\.\d|Infinity)/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

/** A config field named in a library message, as the flag a CLI user typed: "config.batchSize must be …" →
 *  "--batch-size must be …". */
export function withFlagNames(message: string): string {
  return message.replace(/config\.(\w+)/g, (whole, field: string) =>
    (field in FIELDS && FIELDS[field as Field].flag !== 'env' ? `--${kebab(field)}` : whole));
}
