#!/usr/bin/env node
// ddpg-wasm command line: dispatches to the subcommands. Usage errors exit with code 2, printed after the
// usage text so that the last line a user reads is what was wrong.
import { readFileSync } from 'node:fs';
import { evalCommand, EVAL_HELP } from './eval.js';
import { exportCommand, EXPORT_HELP } from './export.js';
import { gradcheckCommand, GRADCHECK_HELP } from './gradcheck.js';
import { DdpgInputError } from '../errors.js';
import { UsageError, withFlagNames } from './flags.js';
import { trainCommand, TRAIN_HELP } from './train.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  train: { run: trainCommand, help: TRAIN_HELP },
  eval: { run: evalCommand, help: EVAL_HELP },
  export: { run: exportCommand, help: EXPORT_HELP },
  gradcheck: { run: gradcheckCommand, help: GRADCHECK_HELP },
};

const USAGE = `Usage: ddpg-wasm <command> [options]
Commands:
  train   train DDPG or TD3 on an environment (ddpg-wasm train --help)
  eval    evaluate a checkpoint's deterministic policy (ddpg-wasm eval --help)
  export  write a checkpoint's actor as a small policy file for loadPolicy (ddpg-wasm export --help)
  gradcheck  check an MLP's backward pass against finite differences (ddpg-wasm gradcheck --help)
  --version  print the version`;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') { console.log(`ddpg-wasm ${version()}`); return 0; }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`${USAGE}\n\nddpg-wasm: unknown command '${name}'`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${command.help}\n\nddpg-wasm ${name}: ${err.message}`);
      return 2;
    }
    if (e instanceof DdpgInputError) { // a bad hyper-parameter value given as a flag
      console.error(`${command.help}\n\nddpg-wasm ${name}: ${withFlagNames(err.message)}`);
      return 2;
    }
    console.error(`ddpg-wasm ${name}: ${err.message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
