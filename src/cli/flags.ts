// Command-line flags for every DDPG config field (kebab-case of the field name), parsed with util.parseArgs.
import { DEFAULTS, type DdpgConfig } from '../rl/config.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

type FieldKind = 'number' | 'list' | 'string';

// --seed is a run option (it seeds everything), so it is not repeated here.
const CONFIG_FIELDS = (Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]).filter((f) => f !== 'seed');

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function kindOf(field: keyof typeof DEFAULTS): FieldKind {
  const v = DEFAULTS[field];
  return Array.isArray(v) ? 'list' : typeof v === 'number' ? 'number' : 'string';
}

/** parseArgs option specs for all config fields (all taken as strings, converted by configFromFlags). */
export function configOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(CONFIG_FIELDS.map((f) => [kebab(f), { type: 'string' as const }]));
}

/** The config fields given on the command line, converted and checked for form (values are checked later). */
export function configFromFlags(values: Record<string, unknown>): Partial<DdpgConfig> {
  const out: Record<string, unknown> = {};
  for (const field of CONFIG_FIELDS) {
    const raw = values[kebab(field)];
    if (raw === undefined) continue;
    const text = String(raw);
    const flag = `--${kebab(field)}`;
    switch (kindOf(field)) {
      case 'number': {
        const v = Number(text);
        if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${flag} expects a number, got '${text}'`);
        out[field] = v;
        break;
      }
      case 'list': {
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
  return out as Partial<DdpgConfig>;
}

export function configHelp(): string {
  return CONFIG_FIELDS.map((f) => {
    const d = DEFAULTS[f];
    return `  --${kebab(f).padEnd(22)} default ${Array.isArray(d) ? d.join(',') : String(d)}`;
  }).join('\n');
}
